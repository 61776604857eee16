"""Notification factories, matrix targets, request bodies, and real receivers on 127.0.0.1 (HTTP and SMTP)."""

import hashlib
import hmac
import json
import socket
import threading
import time
import uuid
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import SimpleNamespace

from aiosmtpd.controller import Controller
from sqlmodel import select

from inspect_service.notifications import service
from inspect_service.notifications.models import Notification, WebhookSubscription
from tests.users.factories import make_user

RECEIVER_LIFETIME = 30.0  # seconds a hanging receiver waits at most, so no test can hang for good
TIMESTAMP_TOLERANCE = 300


def notify(session, *, recipient, park_id=None, reason="hazard.deadline_near", object_id=None, due=None, **fields):
    """Enqueue one notification for `recipient` and return the enqueue result."""
    return service.enqueue(
        session=session,
        park_id=park_id or recipient.park_id,
        recipient_id=recipient.id,
        reason=reason,
        object_type=fields.pop("object_type", "hazard"),
        object_id=object_id or uuid.uuid4(),
        due_date=due,
        title=fields.pop("title", "隐患整改期限将至"),
        body=fields.pop("body", "请于期限前完成整改并提交回复。"),
        **fields,
    )


def make_notification(session, recipient, **fields) -> Notification:
    """Insert a notification for `recipient` and return its row."""
    object_id = uuid.uuid4()
    assert notify(session, recipient=recipient, object_id=object_id, **fields)
    query = select(Notification).where(Notification.recipient_id == recipient.id, Notification.object_id == object_id)
    return session.exec(query).one()


def make_subscription(session, park, creator, *, url="http://127.0.0.1:9/hook", **fields) -> WebhookSubscription:
    """Insert a webhook subscription of `park`."""
    subscription = WebhookSubscription(
        park_id=park.id, url=url, secret=fields.pop("secret", uuid.uuid4().hex), created_by=creator.id, **fields
    )
    session.add(subscription)
    session.flush()
    return subscription


def matrix_targets(session, world) -> SimpleNamespace:
    """A notification of every caller (own), of a park colleague (other) and of the other park (foreign); a
    webhook subscription of each park."""
    colleague = make_user(session, role="inspector", park=world.park, inspector_kind="park_staff")
    outsider = make_user(session, role="park_manager", park=world.foreign_park)
    targets = SimpleNamespace(
        own={
            caller: make_notification(session, user, park_id=user.park_id or world.park.id)
            for caller, user in world.users.items()
        },
        other=make_notification(session, colleague),
        foreign=make_notification(session, outsider),
        own_subscription=make_subscription(session, world.park, world.user("park_manager")),
        foreign_subscription=make_subscription(session, world.foreign_park, outsider),
    )
    session.commit()
    return targets


def pick_notification(world, caller, name):
    """The caller's own notification, a colleague's, or one of the other park (matrix targets)."""
    targets = world.notifications
    if name == "own":
        return targets.own.get(caller) or targets.other  # anonymous has no account of its own
    return targets.other if name == "other" else targets.foreign


def pick_subscription(world, _caller, name):
    """The webhook subscription of the park (own) or of the other park (foreign)."""
    return getattr(world.notifications, f"{name}_subscription")


def new_subscription(world, _session, _target) -> dict:
    """A subscription of the standard park (admins name the park; park managers may)."""
    return {"url": "https://receiver.example.com/inspect", "reasons": ["hazard.overdue"], "park_id": str(world.park.id)}


def disable_subscription(_world, _session, _target) -> dict:
    """Turn a subscription off."""
    return {"disabled": True}


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def expected_signature(secret: str, timestamp: str, body: bytes) -> str:
    """What a receiver computes to check X-Inspect-Signature."""
    return "sha256=" + hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()


class Receiver:
    """A webhook receiver on 127.0.0.1 that checks signatures; answers come from `statuses` (then 200)."""

    def __init__(self, secret: str, statuses=(), *, hang: bool = False, delay: float = 0.0):
        self.secret, self.statuses, self.hang, self.delay = secret, list(statuses), hang, delay
        self.hits: list[dict] = []
        self.lock = threading.Lock()
        self.released = threading.Event()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"

    def _handler(self):
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.record(self.headers, body)
                if receiver.hang:
                    receiver.released.wait(RECEIVER_LIFETIME)
                time.sleep(receiver.delay)
                self.send_response(receiver.next_status())
                self.end_headers()

            def log_message(self, *_args):
                pass

        return Handler

    def record(self, headers, body: bytes) -> None:
        """Keep one call and whether its signature and timestamp are good."""
        timestamp = headers.get("X-Inspect-Timestamp", "")
        signed = hmac.compare_digest(
            headers.get("X-Inspect-Signature", ""), expected_signature(self.secret, timestamp, body)
        )
        fresh = timestamp.isdigit() and abs(time.time() - int(timestamp)) <= TIMESTAMP_TOLERANCE
        with self.lock:
            self.hits.append(
                {"delivery": headers.get("X-Inspect-Delivery"), "valid": signed and fresh, "json": json.loads(body)}
            )

    def next_status(self) -> int:
        """The next scripted status, 200 once the script is spent."""
        with self.lock:
            return self.statuses.pop(0) if self.statuses else 200


@contextmanager
def receiver(secret: str, statuses=(), *, hang: bool = False, delay: float = 0.0):
    """Run a Receiver for the duration of the block."""
    running = Receiver(secret, statuses, hang=hang, delay=delay)
    thread = threading.Thread(target=running.server.serve_forever, daemon=True)
    thread.start()
    try:
        yield running
    finally:
        running.released.set()
        running.server.shutdown()
        running.server.server_close()
        thread.join(RECEIVER_LIFETIME)


class _Inbox:
    """An aiosmtpd handler that keeps every message it is given."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, _server, _session, envelope):
        self.messages.append(envelope)
        return "250 Message accepted for delivery"


@contextmanager
def smtp_server():
    """A real SMTP server on 127.0.0.1 (a free port); yields (port, inbox)."""
    inbox = _Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield controller.port, inbox
    finally:
        controller.stop()
