"""Hazard create through the full stack vs a bare endpoint, same gunicorn config, SQLite and PostgreSQL.

wrk, 16 connections on 127.0.0.1, bounded duration; prints requests/s, p50/p99 and the ratio.
Targets: full-stack create >= 40 % of the bare ceiling, p99 <= 50 ms.
"""

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.common import config, database, free_port, hazard_body, healthy, seed

ROOT = Path(__file__).resolve().parent.parent
DURATION = os.environ.get("BENCH_SECONDS", "10")
CONNECTIONS = 16


def _wrk(url: str, script: str | None) -> dict:
    args = ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{DURATION}s", "--latency", "--timeout", "5s"]
    out = subprocess.run(
        [*args, *(["-s", script] if script else []), url],
        capture_output=True,
        text=True,
        timeout=int(DURATION) + 60,
        check=True,
    ).stdout

    def latency(pct):
        value, unit = re.search(rf"\s{pct}%\s+([\d.]+)(us|ms|s)", out).groups()
        return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]

    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50": latency(50),
        "p99": latency(99),
        "non2xx": int(errors.group(1)) if errors else 0,
    }


def _serve(url: str, port: int):
    env = {
        **os.environ,
        **{k: str(v) for k, v in config(url).items() if v is not None},
        "INSPECT_ENV": "testing",
        "SECRET_KEY": config(url)["SECRET_KEY"],
    }
    env.pop("REDIS_URL", None)
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "-w",
            "2",
            "-k",
            "sync",
            "-b",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            "wsgi:app",
        ],
        cwd=ROOT,
        env=env,
    )
    return healthy(proc, port)


def run(backend: str, tmpdir: str) -> dict:
    with database(backend, tmpdir) as url:
        ids = seed(url)
        port = free_port()
        proc = _serve(url, port)
        body, script = Path(tmpdir) / "body.json", Path(tmpdir) / "post.lua"
        body.write_text(json.dumps(hazard_body(ids), ensure_ascii=False), encoding="utf-8")
        script.write_text(
            'wrk.method = "POST"\n'
            f'local f = io.open("{body}", "rb"); wrk.body = f:read("*a"); f:close()\n'
            'wrk.headers["Content-Type"] = "application/json"\n'
            f'wrk.headers["Authorization"] = "Bearer {ids["token"]}"\n'
        )
        probe = requests.post(
            f"http://127.0.0.1:{port}/api/hazards",
            data=body.read_bytes(),
            timeout=10,
            headers={"Content-Type": "application/json", "Authorization": f"Bearer {ids['token']}"},
        )
        if probe.status_code != 201:
            raise RuntimeError(f"create answered {probe.status_code}: {probe.text[:300]}")
        try:
            bare = _wrk(f"http://127.0.0.1:{port}/healthz", None)
            create = _wrk(f"http://127.0.0.1:{port}/api/hazards", str(script))
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    return {"backend": backend, "bare": bare, "create": create, "ratio": create["rps"] / bare["rps"]}


def main() -> None:
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: make bench installs it (apt-get install wrk)")
    with tempfile.TemporaryDirectory() as tmpdir:
        for backend in ("sqlite", "postgres"):
            r = run(backend, tmpdir)
            print(
                f"api[{backend}] bare {r['bare']['rps']:.0f} req/s p50 {r['bare']['p50']:.1f} ms | "
                f"create {r['create']['rps']:.0f} req/s p50 {r['create']['p50']:.1f} ms "
                f"p99 {r['create']['p99']:.1f} ms non-2xx {r['create']['non2xx']} | "
                f"create/bare = {r['ratio']:.1%} (target >= 40 %, p99 <= 50 ms)"
            )


if __name__ == "__main__":
    main()
