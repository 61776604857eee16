"""The app served on a fixed 127.0.0.1 port that can be stopped and started again (the server really unreachable),
and the field app's page helpers for Playwright at a phone's size."""

import io
import threading
import time
from contextlib import contextmanager

from PIL import Image
from werkzeug.serving import make_server

PHONE = {"viewport": {"width": 390, "height": 844}, "locale": "zh-CN", "device_scale_factor": 2, "has_touch": True}


class Server:
    """A werkzeug server in a daemon thread; `stop()` closes the port, `start()` opens the same one again."""

    def __init__(self, app):
        self.app = app
        self.port = 0
        self._server = None
        self._thread = None

    def start(self) -> str:
        """Listen (on the previous port after a stop) and serve until stopped."""
        for _ in range(50):
            try:
                self._server = make_server("127.0.0.1", self.port, self.app, threaded=True)
                break
            except OSError:  # the old socket is still closing
                time.sleep(0.1)
        self.port = self._server.server_port
        self._thread = threading.Thread(target=self._server.serve_forever, name="field-live-server", daemon=True)
        self._thread.start()
        return self.base

    @property
    def base(self) -> str:
        """The server's base URL."""
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        """Stop serving and close the port: the phone's requests now fail to connect."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._thread.join(timeout=10)
            self._server = None


@contextmanager
def serving(app):
    """A started Server, stopped at the end."""
    server = Server(app)
    server.start()
    try:
        yield server
    finally:
        server.stop()


def jpeg(color=(200, 40, 40), size=(3000, 2000)) -> dict:
    """A camera-sized JPEG for an <input type=file> (the app must shrink it to ≤ 2560 px)."""
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, "JPEG", quality=85)
    return {"name": "photo.jpg", "mimeType": "image/jpeg", "buffer": buffer.getvalue()}


def until(page, script: str, timeout: float = 30) -> None:
    """Poll `script` (an expression, awaited) in the page until it is truthy (wait_for_function does not await)."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(f"(async () => {script})()"):
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for: {script}")
        time.sleep(0.2)


def sign_in(page, base: str, username: str, password: str) -> None:
    """Open the app and sign in; waits until the first sync has stored the replica."""
    page.goto(f"{base}/app/")
    page.wait_for_selector("input[name=username]")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    until(page, "await window.fieldApp.kv.get('last_sync_at')")
    until(page, "await navigator.serviceWorker.ready.then(() => true)")


def pending(page) -> int:
    """Operations waiting in the page's outbox."""
    return page.evaluate("window.fieldApp.store.pending().then(p => p.length)")


def sync(page, timeout: float = 30) -> None:
    """Drain and pull now, and wait until the outbox is empty."""
    deadline = time.monotonic() + timeout
    while True:
        page.evaluate("window.fieldApp.syncNow()")
        if pending(page) == 0 and page.evaluate("window.fieldApp.state.phase") == "idle":
            return
        if time.monotonic() > deadline:
            raise AssertionError(
                f"outbox not drained: {pending(page)} pending, {page.evaluate('window.fieldApp.state')}"
            )
        time.sleep(0.3)


def draw_signature(page, selector: str = "canvas.signature") -> None:
    """Draw a signature with the pointer."""
    box = page.locator(selector).bounding_box()
    x, y = box["x"] + 30, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    for step in range(1, 12):
        page.mouse.move(x + step * 20, y + (15 if step % 2 else -15))
    page.mouse.up()
