"""The field app's budgets in Debian's Chromium with DevTools' network presets (printed figures, not a test).

App shell bytes on a cold load (goal <= 200 KB compressed); time until the task list is usable on slow 3G
(first sign-in <= 3 s, reload with a warm service worker <= 1 s); draining 50 queued operations with 20 photos on
fast 3G (<= 20 s). A fresh SQLite database with the demo parks, served by gunicorn on 127.0.0.1; about 3 minutes.
"""

import base64
import gzip
import io
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import urlparse
from zoneinfo import ZoneInfo

import requests
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.common import SECRET, free_port, healthy
from bench.field_network import LOG_FORMAT, Meter, ServerLog, chain, kb, not_seen, traffic
from inspect_service import create_app, demo
from inspect_service.extensions import db
from inspect_service.migrate import upgrade

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
PHONE = {"viewport": {"width": 390, "height": 844}, "locale": "zh-CN", "device_scale_factor": 2, "has_touch": True}
BUDGET = int(os.environ.get("BENCH_BUDGET_SECONDS", "285"))  # the whole run, hard
USER, PASSWORD = "liaison1", demo.DEMO_PASSWORD
# Chrome DevTools' presets (front_end/core/sdk/NetworkManager.ts): throughput in bytes/s, latency in ms.
SLOW_3G = {"offline": False, "latency": 400 * 5, "downloadThroughput": 500 * 1000 / 8 * 0.8,
           "uploadThroughput": 500 * 1000 / 8 * 0.8}  # fmt: skip
FAST_3G = {"offline": False, "latency": 150 * 3.75, "downloadThroughput": 1.6 * 1000 * 1000 / 8 * 0.9,
           "uploadThroughput": 750 * 1000 / 8 * 0.9}  # fmt: skip
OFFLINE = {"offline": True, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1}
HAZARDS, RESULTS = 20, 29  # + 1 create_inspection = 50 operations, 20 photos
TASKS_READY = """() => { const h = document.querySelector('#view h2');
  return !!h && h.textContent.includes('今天及逾期') && document.querySelectorAll('#view .card.task').length > 0; }"""
TIMING = """() => [...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')]
  .map(e => ({ name: e.name, transfer: e.transferSize, sw: e.workerStart > 0 }))"""
QUEUE = """async ({ photos, order, enterpriseId, taskId, itemIds, deadline }) => {
  const app = window.fieldApp, me = await app.kv.get('me'), now = () => new Date().toISOString();
  const inspectionId = crypto.randomUUID(), hazards = [];
  await app.store.enqueue({ kind: 'create_inspection', label: 'bench inspection', data: { id: inspectionId,
    enterprise_id: enterpriseId, source: 'park_inspection', inspection_type: 'routine', methods: ['site_walk'],
    inspector_ids: [me.id], started_at: now(), task_id: taskId } });
  for (const step of order) {
    if (step === 'result') {
      await app.store.enqueue({ kind: 'add_result', label: 'bench result', extra: { inspection_id: inspectionId },
        data: { id: crypto.randomUUID(), check_item_id: itemIds.shift(), result: 'pass' } });
      continue;
    }
    const bytes = Uint8Array.from(atob(photos[hazards.length]), (c) => c.charCodeAt(0));
    const photo = await app.photos.keep(new Blob([bytes], { type: 'image/jpeg' }),
                                        { enterpriseId, role: 'before', position: null });
    const id = crypto.randomUUID();
    await app.store.enqueue({ kind: 'create_hazard', label: 'bench hazard', photos: [photo], data: { id,
      enterprise_id: enterpriseId, inspection_id: inspectionId, location_text: '二号车间东侧配电箱',
      description: `配电箱门未关闭、无警示标识（基准 ${hazards.length + 1}）`, legal_basis: 'GB 50054 第五章',
      level: 'general', domain: 'electrical', nature: 'object', source: 'park_inspection', rectify_mode: 'deadline',
      deadline, suspected_major: false, photo_ids: [photo], found_at: now(), latitude: null, longitude: null } });
    hazards.push({ id, photo, size: bytes.length });
  }
  return { inspectionId, hazards, queued: (await app.store.pending()).length };
}"""


STARTED = time.monotonic()


def budget_left() -> float:
    """Seconds left of the whole run's budget."""
    return BUDGET - (time.monotonic() - STARTED)


def until(page, expression: str, seconds: float) -> bool:
    """Poll a page expression, promises awaited (wait_for_function takes a pending Promise as truthy), until true."""
    deadline = time.monotonic() + seconds
    while not page.evaluate(expression):
        if time.monotonic() > deadline:
            return False
        page.wait_for_timeout(100)  # not time.sleep: Playwright delivers the CDP events while it waits
    return True


def prepare(tmpdir: str) -> dict:
    """A migrated SQLite database with the demo parks; the server's environment."""
    env = {"DATABASE_URL": f"sqlite:///{tmpdir}/field.db", "STORAGE_DIR": f"{tmpdir}/storage",
           "INSPECT_ENV": "testing", "SECRET_KEY": SECRET, "SCHEDULER_ENABLED": "false"}  # fmt: skip
    upgrade(env["DATABASE_URL"])
    app = create_app({"DATABASE_URL": env["DATABASE_URL"], "STORAGE_DIR": env["STORAGE_DIR"], "ENV_NAME": "testing",
                      "SECRET_KEY": SECRET, "REDIS_URL": None})  # fmt: skip
    with app.app_context(), db.session_scope() as session:
        demo.load(session=session)
    with app.app_context():
        db.engine.dispose()
    return env


def serve(env: dict, port: int, log: Path) -> subprocess.Popen:
    """gunicorn as `flask serve` runs it (2 sync workers), with an access log of sizes; waits until healthy."""
    command = [sys.executable, "-m", "gunicorn", "-w", "2", "-b", f"127.0.0.1:{port}", "--log-level", "warning",
               "--access-logfile", str(log), "--access-logformat", LOG_FORMAT,
               "wsgi:app"]  # fmt: skip
    clean = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "DATABASE_URL")}
    proc = subprocess.Popen(command, cwd=ROOT, env={**clean, **env}, start_new_session=True)
    return healthy(proc, port)


def shell_bytes(base: str, page_requests: list[dict], server: list[dict]) -> dict:
    """The shell's transferred bytes on a cold load (text is served gzipped), and every file gzip -6'd."""
    shell_page = [r for r in page_requests if urlparse(r["url"]).path.startswith("/app/") and not r["sw"]]
    shell_sw = [r for r in not_seen(server, shell_page) if r["path"].startswith("/app/")]
    sw_source = requests.get(f"{base}/app/sw.js", timeout=10).text
    urls = [
        "/app/sw.js",
        *re.search(r"const SHELL = \[(.*?)\];", sw_source, re.S).group(1).replace('"', "").split(", "),
    ]
    raw = served = zipped = 0
    encodings = set()
    for url in urls:
        response = requests.get(base + url, headers={"Accept-Encoding": "gzip"}, timeout=10, stream=True)
        wire = response.raw.read(decode_content=False)
        encoding = response.headers.get("Content-Encoding", "identity")
        body = gzip.decompress(wire) if encoding == "gzip" else wire
        encodings.add(encoding)
        raw, served, zipped = raw + len(body), served + len(wire), zipped + len(gzip.compress(body, compresslevel=6))
    page_bytes = sum(r["bytes"] for r in shell_page)
    sw_bytes = sum(r["sent"] for r in shell_sw)
    print(
        f"  shell: {len(urls)} files, {kb(raw)} raw, {kb(served)} as served, {kb(zipped)} with gzip -6; "
        "Content-Encoding: "
        f"{', '.join(sorted(encodings))}{' (static files NOT compressed)' if encodings == {'identity'} else ''}"
    )
    print(f"  cold load: page fetched {len(shell_page)} shell files, {kb(page_bytes)} on the wire (headers "
          f"included); service worker install fetched {len(shell_sw)} more, {kb(sw_bytes)} body bytes "
          f"(statuses {sorted({r['status'] for r in shell_sw})})")  # fmt: skip
    return {"transferred": page_bytes + sw_bytes, "gzip": zipped}


def cold_sign_in(context, base: str, log: ServerLog) -> tuple[dict, object, Meter]:
    """A first visit on slow 3G: the shell, the sign-in, the first sync, until the task cards are shown."""
    page = context.new_page()
    meter = Meter(context, page)
    meter.emulate(SLOW_3G)
    start = time.perf_counter()
    page.goto(f"{base}/app/", wait_until="commit", timeout=60000)
    page.wait_for_selector("input[name=username]", timeout=60000)
    form = time.perf_counter()
    page.fill("input[name=username]", USER)
    page.fill("input[name=password]", PASSWORD)
    submit = time.perf_counter()
    page.click("button[type=submit]")
    page.wait_for_function(TASKS_READY, timeout=90000)
    ready = time.perf_counter()
    print(f"  first visit: login form after {form - start:.2f} s; task list after {ready - start:.2f} s "
          f"({ready - submit:.2f} s from submit)")  # fmt: skip
    shell, sign_in = chain(meter.requests.values(), start, form), chain(meter.requests.values(), submit, ready)
    latency = SLOW_3G["latency"] / 1000
    print(f"  critical path: {shell} requests one after another to the login form (>= {shell * latency:.0f} s of "
          f"latency alone), {sign_in} from submit to the task list (>= {sign_in * latency:.0f} s)")  # fmt: skip
    until(page, "window.fieldApp.kv.get('last_sync_at')", 60)
    until(page, "navigator.serviceWorker.ready.then(() => !!navigator.serviceWorker.controller)", 60)
    page_requests, server = meter.take(), log.take()
    traffic("cold", page_requests, page.evaluate(TIMING), server)
    figures = {"form": form - start, "cold": ready - start, **shell_bytes(base, page_requests, server)}
    return figures, page, meter


def warm_reload(page, meter: Meter, log: ServerLog) -> float:
    """Reload on slow 3G with the service worker warm and the replica stored, until the task cards are shown."""
    meter.take()
    log.take()  # not the shell files fetched by shell_bytes
    synced = page.evaluate("window.fieldApp.kv.get('last_sync_at')")
    start = time.perf_counter()
    page.reload(wait_until="commit", timeout=60000)
    page.wait_for_function(TASKS_READY, timeout=60000)
    elapsed = time.perf_counter() - start
    print(f"  warm reload: task list after {elapsed:.2f} s")
    until(page, f"window.fieldApp.kv.get('last_sync_at').then(t => t > {synced})", 60)  # its sync after the reload
    traffic("warm", meter.take(), page.evaluate(TIMING), log.take())
    return elapsed


def camera_photos(count: int) -> list[bytes]:
    """Distinct 2560×1920 JPEGs (quality 85, like the app's resize) of about 300 KB each."""
    out = []
    for _ in range(count):
        noise = Image.effect_noise((160, 120), 22).convert("RGB")
        gradient = Image.linear_gradient("L").resize((160, 120)).convert("RGB")
        buffer = io.BytesIO()
        Image.blend(noise, gradient, 0.4).resize((2560, 1920), Image.BICUBIC).save(buffer, "JPEG", quality=85)
        out.append(buffer.getvalue())
    return out


def queue_work(page, meter: Meter) -> dict:
    """Offline, queue one inspection's day through the app's own modules: 50 operations, 20 photos."""
    meter.emulate(OFFLINE)
    page.wait_for_function("() => !navigator.onLine", timeout=10000)
    tasks = page.evaluate("window.fieldApp.store.list('task')")
    items = page.evaluate("window.fieldApp.store.list('check_item')")
    task = sorted(tasks, key=lambda t: t["due_date"])[0]
    order = ["result"] * RESULTS + ["hazard"] * HAZARDS
    random.Random(7).shuffle(order)
    photos = camera_photos(HAZARDS)
    deadline = (datetime.now(ZoneInfo("Asia/Shanghai")).date() + timedelta(days=7)).isoformat()
    arg = {"photos": [base64.b64encode(p).decode() for p in photos], "order": order, "deadline": deadline,
           "enterpriseId": task["enterprise_id"], "taskId": task["id"],
           "itemIds": [i["id"] for i in sorted(items, key=lambda i: i["code"])[:RESULTS]]}  # fmt: skip
    queued = page.evaluate(QUEUE, arg)
    sizes = [h["size"] for h in queued["hazards"]]
    print(f"  queued offline: {queued['queued']} operations (1 create_inspection, {RESULTS} add_result, "
          f"{HAZARDS} create_hazard), {len(sizes)} photos 2560×1920 of {kb(min(sizes))}–{kb(max(sizes))}, "
          f"{kb(sum(sizes))} in all")  # fmt: skip
    return queued


def drain(page, meter: Meter, log: ServerLog) -> float | None:
    """Back online on fast 3G (one switch) and time the app's drain until its outbox has nothing pending."""
    meter.take()
    log.take()
    start = time.perf_counter()
    meter.emulate(FAST_3G)  # the app's `online` listener starts a sync at once; syncNow joins it
    page.evaluate("() => { window.fieldApp.syncNow(); }")
    if not until(page, "window.fieldApp.store.pending().then(p => p.length === 0)", budget_left() - 30):
        print("  drain did not finish within the run's budget")
        return None
    elapsed = time.perf_counter() - start
    server = log.take()
    sends = [r for r in server if r["path"] in ("/api/photos", "/api/sync/batch")]
    up, rate = sum(r["up"] for r in sends), FAST_3G["uploadThroughput"]
    print(f"  drain: {elapsed:.2f} s; {len(sends)} uploads (photos three at a time, then the batch), {kb(up)} up; "
          f"the emulated link's bandwidth alone needs {up / rate:.1f} s at {rate / 1000:.1f} kB/s up; within 20 s "
          f"the photos could total at most {kb(20 * rate)}")  # fmt: skip
    traffic("drain", meter.take(), None, server)
    return elapsed


def verify(base: str, page, queued: dict) -> None:
    """Check on the server, through the API, that the hazards exist with their photos and the results are in."""
    stuck = page.evaluate("window.fieldApp.store.outbox().then(o => o.map(e => [e.status, e.problem]))")
    token = requests.post(f"{base}/api/auth/login", json={"username": USER, "password": PASSWORD}, timeout=30)
    headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
    found = 0
    for hazard in queued["hazards"]:
        body = requests.get(f"{base}/api/hazards/{hazard['id']}", headers=headers, timeout=30)
        if body.status_code != 200 or hazard["photo"] not in [str(p) for p in body.json().get("photo_ids", [])]:
            continue
        photo = requests.get(f"{base}/api/photos/{hazard['photo']}/content", headers=headers, timeout=30)
        found += photo.status_code == 200 and len(photo.content) > 0
    inspection = requests.get(f"{base}/api/inspections/{queued['inspectionId']}", headers=headers, timeout=30)
    results = len(inspection.json().get("results", [])) if inspection.status_code == 200 else 0
    print(f"  server check: {found}/{HAZARDS} hazards with their photo, {results}/{RESULTS} results, {len(stuck)} "
          "left in the outbox" + "".join(f"\n    outbox: {s} {p}" for s, p in stuck[:5]))  # fmt: skip


def summary(rows: list[tuple[str, float | None, float, str]]) -> None:
    """The figures against their goals."""
    print("\nfigure                                   value        goal        result")
    for name, value, goal, unit in rows:
        shown = "n/a" if value is None else (kb(value) if unit == "KB" else f"{value:.2f} s")
        target = kb(goal) if unit == "KB" else f"{goal:.0f} s"
        verdict = "n/a" if value is None else ("PASS" if value <= goal else "FAIL")
        print(f"{name:<40} {shown:>10}   <= {target:<8}  {verdict}")


def run(tmpdir: str) -> None:
    """Set up, serve, measure, print."""
    from playwright.sync_api import sync_playwright

    env = prepare(tmpdir)
    port = free_port()
    base, log = f"http://127.0.0.1:{port}", ServerLog(Path(tmpdir) / "access.log")
    proc = serve(env, port, log.path)
    log.take()
    rows = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            try:
                context = browser.new_context(**PHONE)
                figures, page, meter = cold_sign_in(context, base, log)
                rows += [("shell transferred, cold load (as served)", figures["transferred"], 200 * 1024, "KB"),
                         ("shell, every file gzip -6", figures["gzip"], 200 * 1024, "KB"),
                         ("first sign-in to task list, slow 3G", figures["cold"], 3, "s")]  # fmt: skip
                rows.append(("warm reload to task list, slow 3G", warm_reload(page, meter, log), 1, "s"))
                queued = queue_work(page, meter)
                rows.append(("drain 50 ops + 20 photos, fast 3G", drain(page, meter, log), 20, "s"))
                verify(base, page, queued)
            finally:
                browser.close()
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)
        summary(rows)


def _expired(_signum, _frame):
    raise TimeoutError(f"the benchmark ran past its {BUDGET} s budget")


def main() -> None:
    """Run within the time budget."""
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        sys.exit(f"{CHROMIUM} is missing: apt-get install -y chromium (never a downloaded browser)")
    if not shutil.which("gunicorn", path=os.path.dirname(sys.executable)):
        sys.exit("gunicorn is missing: pip install -r requirements.txt")
    print(f"network presets (Chrome DevTools): slow 3G {SLOW_3G}; fast 3G {FAST_3G} (bytes/s, ms)")
    signal.signal(signal.SIGALRM, _expired)
    signal.alarm(BUDGET)
    with tempfile.TemporaryDirectory() as tmpdir:
        run(tmpdir)
    signal.alarm(0)


if __name__ == "__main__":
    main()
