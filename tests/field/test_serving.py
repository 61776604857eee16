"""How /app/ is served: an installable manifest, a service worker that lists the whole shell, a strict CSP,
nothing outside the shell, and the console's "在移动端办理" links into the app."""

import gzip
import io
import json
import re

from PIL import Image

from inspect_service.field import STATIC


def test_app_page_is_served_with_a_strict_content_security_policy(client):
    response = client.get("/app/")
    assert response.status_code == 200 and b'<script type="module" src="/app/js/main.js">' in response.data
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "connect-src 'self'" in csp and "unsafe-inline" not in csp
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert client.get("/app").status_code == 308


def test_no_script_or_style_is_inline_and_nothing_comes_from_another_origin():
    for path in STATIC.rglob("*"):
        if path.suffix in (".html", ".js", ".css", ".webmanifest"):
            text = path.read_text(encoding="utf-8")
            assert not re.search(r"https?://", text), f"{path.name} names another origin"
            assert "innerHTML" not in text and "insertAdjacentHTML" not in text, f"{path.name} parses HTML"
    html = (STATIC / "index.html").read_text(encoding="utf-8")
    assert not re.search(r"<script(?![^>]*\bsrc=)", html) and "<style" not in html and " style=" not in html


def test_manifest_makes_the_app_installable(client):
    response = client.get("/app/manifest.webmanifest")
    assert response.status_code == 200 and response.headers["Content-Type"].startswith("application/manifest+json")
    manifest = json.loads(response.data)
    assert manifest["start_url"] == "/app/" and manifest["display"] == "standalone" and manifest["lang"] == "zh-CN"
    sizes = {icon["sizes"]: icon["src"] for icon in manifest["icons"]}
    for size in ("192x192", "512x512"):
        icon = client.get(sizes[size])
        assert icon.status_code == 200
        assert Image.open(io.BytesIO(icon.data)).size == tuple(int(n) for n in size.split("x"))


def test_service_worker_caches_every_file_of_the_shell_under_a_content_version(client):
    response = client.get("/app/sw.js")
    assert response.status_code == 200 and response.headers["Service-Worker-Allowed"] == "/app/"
    body = response.get_data(as_text=True)
    shell = json.loads("[" + re.search(r"const SHELL = \[(.*)\];", body).group(1) + "]")
    files = {"/app/" + p.relative_to(STATIC).as_posix() for p in STATIC.rglob("*") if p.is_file()}
    assert set(shell) == (files - {"/app/sw.js", "/app/index.html"}) | {"/app/"}
    assert re.search(r'const VERSION = "[0-9a-f]{16}";', body)
    for url in shell:
        assert client.get(url).status_code == 200, url


def test_nothing_outside_the_shell_is_served(client):
    assert client.get("/app/../inspect_service/config.py").status_code == 404
    assert client.get("/app/js/../../__init__.py").status_code == 404
    assert client.get("/app/missing.js").status_code == 404


def test_every_module_is_preloaded_so_the_shell_loads_in_one_round_trip():
    html = (STATIC / "index.html").read_text(encoding="utf-8")
    preloaded = set(re.findall(r'<link rel="modulepreload" href="/app/([^"]+)">', html))
    modules = {p.relative_to(STATIC).as_posix() for p in (STATIC / "js").rglob("*.js")} - {"js/main.js"}
    assert preloaded == modules


def test_text_files_go_gzipped_to_phones_that_accept_it_and_revalidate_with_304(client):
    plain = client.get("/app/js/store.js")
    packed = client.get("/app/js/store.js", headers={"Accept-Encoding": "gzip"})
    assert "Content-Encoding" not in plain.headers and packed.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(packed.data) == plain.data == (STATIC / "js" / "store.js").read_bytes()
    assert len(packed.data) < len(plain.data) / 2 and "Accept-Encoding" in packed.headers["Vary"]
    again = client.get("/app/js/store.js", headers={"Accept-Encoding": "gzip", "If-None-Match": packed.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""
    icon = client.get("/app/icons/icon-192.png", headers={"Accept-Encoding": "gzip"})
    assert "Content-Encoding" not in icon.headers and icon.mimetype == "image/png"
    worker = client.get("/app/sw.js", headers={"Accept-Encoding": "gzip"})
    assert b"const SHELL" in gzip.decompress(worker.data)
