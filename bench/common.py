"""Shared set-up for the benchmarks: a throwaway database per backend and a minimal world in it."""

import os
import socket
import time
import uuid
from contextlib import contextmanager
from datetime import UTC, datetime

import psycopg
import requests
from sqlalchemy.engine import make_url

from inspect_service import create_app
from inspect_service.auth import service as auth_service
from inspect_service.extensions import db
from inspect_service.migrate import upgrade

PG_BASE = os.environ.get("TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
SECRET = "bench-secret-key-long-enough-for-production-checks-0123"


def config(url: str) -> dict:
    """App settings for a benchmark database."""
    return {
        "DATABASE_URL": url,
        "SECRET_KEY": SECRET,
        "ENV_NAME": "testing",
        "REDIS_URL": None,
        "PASSWORD_HASH_TIME_COST": 1,
        "PASSWORD_HASH_MEMORY_KIB": 1024,
    }


@contextmanager
def database(backend: str, tmpdir: str):
    """A migrated, empty database (dropped afterwards on PostgreSQL)."""
    if backend == "sqlite":
        url = f"sqlite:///{tmpdir}/bench-{uuid.uuid4().hex[:6]}.db"
        upgrade(url)
        yield url
        return
    admin = make_url(PG_BASE).set(drivername="postgresql").render_as_string(hide_password=False)
    name = f"inspect_bench_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        url = make_url(PG_BASE).set(database=name).render_as_string(hide_password=False)
        upgrade(url)
        yield url
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def seed(url: str) -> dict:
    """A park, an enterprise, an inspector with a token, and one photo; returns their ids and the token."""
    from inspect_service.common.time import utcnow
    from inspect_service.demo import credit_code
    from inspect_service.enterprises.models import Enterprise
    from inspect_service.parks.models import Park
    from inspect_service.photos.models import Photo
    from inspect_service.users.models import User

    app = create_app(config(url))
    with app.app_context(), db.session_scope() as session:
        park = Park(name="基准园区", short_name=f"基{uuid.uuid4().hex[:4]}")
        session.add(park)
        session.flush()
        enterprise = Enterprise(park_id=park.id, name="基准企业", credit_code=credit_code("330100", 1))
        session.add(enterprise)
        session.flush()
        user = User(
            username=f"bench{uuid.uuid4().hex[:6]}",
            display_name="基准",
            role="inspector",
            inspector_kind="park_staff",
            park_id=park.id,
            password_hash="x",
            password_changed_at=utcnow(),
        )
        session.add(user)
        session.flush()
        digest = uuid.uuid4().hex * 2
        photo = Photo(
            park_id=park.id,
            enterprise_id=enterprise.id,
            role="evidence",
            sha256=digest,
            original_sha256=digest,
            content_type="image/jpeg",
            width=1,
            height=1,
            size_bytes=1,
            thumb_sha256=digest,
            uploaded_by=user.id,
            payload_hash=digest,
        )
        session.add(photo)
        session.flush()
        pair = auth_service.open_session(session=session, user=user)
        ids = {
            "park": park.id,
            "enterprise": enterprise.id,
            "user": user.id,
            "photo": photo.id,
            "token": pair.access_token,
        }
    with app.app_context():
        db.engine.dispose()
    return ids


def hazard_body(ids: dict) -> dict:
    """A valid hazard registration."""
    return {
        "enterprise_id": str(ids["enterprise"]),
        "location_text": "一车间",
        "domain": "fire",
        "nature": "object",
        "level": "general",
        "source": "park_inspection",
        "description": "消防通道堵塞",
        "legal_basis": "《消防法》第二十八条",
        "rectify_mode": "deadline",
        "photo_ids": [str(ids["photo"])],
    }


def free_port() -> int:
    """An unused loopback port."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def now() -> datetime:
    """Aware UTC now."""
    return datetime.now(UTC)


def healthy(proc, port: int, seconds: float = 60):
    """`proc` once the server on `port` answers /healthz (killed, and an error, if it does not within `seconds`)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if requests.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200:
                return proc
        except requests.RequestException:
            time.sleep(0.3)
    proc.kill()
    raise RuntimeError("the server did not start")
