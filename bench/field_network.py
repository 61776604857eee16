"""Network accounting for the field app benchmark: the page's own requests (CDP, throttled by Chromium's emulation),
the server's access log (every request, the service worker's own included), and which were which."""

import os
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlparse

VERBOSE = bool(os.environ.get("BENCH_VERBOSE"))  # a request waterfall per phase
LOG_FORMAT = "%(m)s %(U)s %(s)s %(B)s %({content-length}i)s %({content-length}o)s"  # sizes: sent, up, length


class Meter:
    """The page's own network events (what Chromium's emulation throttles) over a CDP session."""

    def __init__(self, context, page):
        self.page, self.cdp = page, context.new_cdp_session(page)
        self.requests = {}
        self.cdp.on("Network.requestWillBeSent", self._sent)
        self.cdp.on("Network.responseReceived", self._answered)
        self.cdp.on("Network.loadingFinished", self._finished)
        self.cdp.send("Network.enable")

    def emulate(self, conditions: dict) -> None:
        """Apply network conditions to the page (a DevTools preset, or offline)."""
        self.cdp.send("Network.emulateNetworkConditions", conditions)

    def _sent(self, event):
        self.requests[event["requestId"]] = {"url": event["request"]["url"], "sw": False, "bytes": 0,
                                             "start": time.perf_counter(), "end": None}  # fmt: skip

    def _answered(self, event):
        if event["requestId"] in self.requests:
            self.requests[event["requestId"]]["sw"] = bool(event["response"].get("fromServiceWorker"))

    def _finished(self, event):
        if event["requestId"] in self.requests:
            self.requests[event["requestId"]]["bytes"] = int(event.get("encodedDataLength") or 0)
            self.requests[event["requestId"]]["end"] = time.perf_counter()  # on receipt: comparable to our marks

    def take(self) -> list[dict]:
        """The requests seen since the last take (after a pause in Playwright, which delivers events meanwhile)."""
        self.page.wait_for_timeout(300)
        seen, self.requests = list(self.requests.values()), {}
        return seen


class ServerLog:
    """What the server answered (every request, the service worker's own included), read phase by phase."""

    def __init__(self, path: Path):
        self.path, self.offset = path, 0

    def take(self) -> list[dict]:
        """Requests logged since the last take: method, path, status, response and request body bytes."""
        time.sleep(0.3)  # let the workers write their last lines
        text = self.path.read_text(encoding="utf-8") if self.path.exists() else ""
        lines, self.offset = text[self.offset :].splitlines(), len(text)
        rows = []
        for line in lines:
            method, path, status, sent, received, length = (line.split() + ["-"] * 6)[:6]
            sent = max(_int(sent), _int(length))  # sendfile responses leave gunicorn's own count empty
            rows.append({"method": method, "path": path, "status": status, "sent": sent, "up": _int(received)})
        return rows


def _int(text: str) -> int:
    return int(text) if text.isdigit() else 0


def kb(n: float) -> str:
    """Bytes as kilobytes for printing."""
    return f"{n / 1024:.1f} KB"


def not_seen(server: list[dict], page_requests: list[dict]) -> list[dict]:
    """Server requests beyond those the page's CDP session saw going to the network, path by path."""
    seen = Counter(urlparse(r["url"]).path for r in page_requests if not r["sw"])
    out = []
    for row in server:
        if seen[row["path"]] > 0:
            seen[row["path"]] -= 1
        else:
            out.append(row)
    return out


def chain(page_requests: list[dict], since: float, until: float) -> int:
    """The longest run of network requests in [since, until] each sent right after the previous one ended."""
    done = sorted((r for r in page_requests if not r["sw"] and r["end"] and since <= r["start"] and r["end"] <= until),
                  key=lambda r: r["start"])  # fmt: skip
    depth = []
    for i, r in enumerate(done):
        before = [depth[j] for j in range(i) if done[j]["end"] - 0.25 <= r["start"] <= done[j]["end"] + 0.3]
        depth.append(1 + max(before, default=0))
    return max(depth, default=0)


def waterfall(page_requests: list[dict], unthrottled: list[dict]) -> None:
    """Each request the page saw (start and end from the first one, in seconds), then the service worker's own."""
    origin = min((r["start"] for r in page_requests), default=0)
    for r in sorted(page_requests, key=lambda r: r["start"]):
        end = f"{r['end'] - origin:6.2f}" if r["end"] else "     -"
        print(f"      {r['start'] - origin:6.2f} {end}  {r['bytes']:>8} B {'sw ' if r['sw'] else '   '}{r['url']}")
    for row in unthrottled:
        print(f"      service worker: {row['method']} {row['path']} {row['status']} {row['sent']} B")


def traffic(label: str, page_requests: list[dict], timing: list[dict] | None, server: list[dict]) -> None:
    """Print which requests crossed the emulated network (the page's own) and which did not (service worker)."""
    network = [r for r in page_requests if not r["sw"]]
    via_sw = [r for r in page_requests if r["sw"]]
    print(f"  [{label}] page CDP (throttled): {len(network)} requests, {kb(sum(r['bytes'] for r in network))}; "
          f"answered by the service worker: {len(via_sw)}")  # fmt: skip
    if timing is not None:
        size = kb(sum(e["transfer"] for e in timing))
        print(f"  [{label}] Resource Timing: {len(timing)} entries, transferSize {size}, "
              f"{sum(e['sw'] for e in timing)} through the service worker")  # fmt: skip
    unthrottled = not_seen(server, network)
    print(f"  [{label}] server: {len(server)} requests, {kb(sum(r['sent'] for r in server))} sent, "
          f"{kb(sum(r['up'] for r in server))} received; not seen by the page (service worker's own, "
          f"NOT throttled): {len(unthrottled)}, {kb(sum(r['sent'] for r in unthrottled))}")  # fmt: skip
    if VERBOSE:
        waterfall(page_requests, unthrottled)
