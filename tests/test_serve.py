"""The `make run` path: migrate, load the demo, serve web + scheduler, stop both on Ctrl-C."""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parent.parent
FLASK = str(Path(sys.executable).parent / "flask")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for(url: str, deadline: float) -> requests.Response:
    while time.monotonic() < deadline:
        try:
            return requests.get(url, timeout=5)
        except requests.RequestException:  # refused, or accepted while the worker still imports the app
            time.sleep(0.3)
    raise AssertionError(f"{url} did not answer in time")


@pytest.fixture
def serve_env(tmp_path, backend):
    if backend != "sqlite":
        pytest.skip("the embedded default is SQLite; the PostgreSQL run covers the same code in-process")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "INSPECT_", "FLASK_"))}
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'serve.db'}"
    for command in (["db", "upgrade"], ["demo"]):
        subprocess.run(
            [FLASK, "--app", "wsgi", *command], cwd=ROOT, env=env, check=True, timeout=120, capture_output=True
        )
    return env


def test_serve_answers_docs_and_demo_login_then_stops_on_ctrl_c(serve_env):
    port = _free_port()
    proc = subprocess.Popen(
        [FLASK, "--app", "wsgi", "serve", "--port", str(port), "--workers", "1"],
        cwd=ROOT,
        env=serve_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        docs = _wait_for(f"{base}/api/docs", time.monotonic() + 60)
        assert docs.status_code == 200 and "swagger" in docs.text.lower()
        assert requests.get(f"{base}/api/docs/assets/swagger-ui-bundle.js", timeout=5).status_code == 200
        login = requests.post(
            f"{base}/api/auth/login", json={"username": "manager", "password": "demo-pass-2026"}, timeout=10
        )
        assert login.status_code == 200
        me = requests.get(
            f"{base}/api/me", headers={"Authorization": f"Bearer {login.json()['access_token']}"}, timeout=5
        )
        assert me.json()["role"] == "park_manager"
    finally:
        os.killpg(proc.pid, signal.SIGINT)
        output = proc.communicate(timeout=30)[0].decode(errors="replace")
    assert proc.returncode is not None
    assert "scheduler running" in output
    with pytest.raises(requests.ConnectionError):
        requests.get(f"http://127.0.0.1:{port}/healthz", timeout=2)
