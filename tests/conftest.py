"""Test harness: one database per run (SQLite file or a uniquely named PostgreSQL database),
migrated with Alembic, and a rolled-back transaction around every test."""

import os
import uuid

import psycopg
import pytest
from sqlalchemy.engine import make_url

from inspect_service import create_app
from inspect_service.auth.throttle import MemoryStore
from inspect_service.extensions import db
from inspect_service.migrate import upgrade

TEST_SECRET = "test-secret-key-that-is-long-enough-0123456789"


def pytest_addoption(parser):
    parser.addoption(
        "--db",
        choices=("sqlite", "postgres"),
        default="sqlite",
        help="database backend; postgres needs TEST_DATABASE_URL",
    )


def test_config(database_url: str, **overrides) -> dict:
    """Config for a test app."""
    config = {
        "ENV_NAME": "testing",
        "TESTING": True,
        "SECRET_KEY": TEST_SECRET,
        "DATABASE_URL": database_url,
        "REDIS_URL": None,
        "PASSWORD_HASH_TIME_COST": 1,
        "PASSWORD_HASH_MEMORY_KIB": 1024,
    }
    config.update(overrides)
    return config


def _admin_url(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def database_url(request, tmp_path_factory):
    """A fresh, migrated database for this test run; PostgreSQL ones are dropped at the end."""
    if request.config.getoption("--db") == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
        upgrade(url)
        yield url
        return
    base = os.environ.get("TEST_DATABASE_URL")
    if not base:
        pytest.exit("--db postgres needs TEST_DATABASE_URL", returncode=2)
    name = f"inspect_test_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(_admin_url(base), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = make_url(base).set(database=name).render_as_string(hide_password=False)
    try:
        upgrade(url)
        yield url
    finally:
        with psycopg.connect(_admin_url(base), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def app(database_url):
    """The application under test."""
    return create_app(test_config(database_url))


@pytest.fixture(scope="session")
def backend(request) -> str:
    """'sqlite' or 'postgres'."""
    return request.config.getoption("--db")


@pytest.fixture(autouse=True)
def _isolated(app):
    """Run each test inside an outer transaction that is rolled back; fresh login counters."""
    app.extensions["login_throttle"] = MemoryStore()
    with app.app_context():
        connection = db.engine.connect()
    outer = connection.begin()
    db.bind(app, connection)
    try:
        yield
    finally:
        outer.rollback()
        connection.close()
        db.unbind(app)


@pytest.fixture
def session(app):
    """A session of its own joined to the test's transaction, with the app context pushed."""
    with app.app_context():
        own = db.new_session()
        try:
            yield own
        finally:
            own.close()


@pytest.fixture
def client(app):
    """A test client."""
    return app.test_client()


@pytest.fixture
def world(session):
    """Two parks, own / other / foreign enterprises and a token for every caller."""
    from tests.world import build_world

    return build_world(session)
