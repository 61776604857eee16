"""Test harness: one database per run (SQLite file or a uniquely named PostgreSQL database),
migrated with Alembic, and a rolled-back transaction around every test."""

import os
import uuid
from typing import NamedTuple

import psycopg
import pytest
from sqlalchemy import create_engine, inspect
from sqlalchemy.engine import make_url

from inspect_service import create_app
from inspect_service.auth.throttle import MemoryStore
from inspect_service.extensions import db
from inspect_service.migrate import upgrade

TEST_SECRET = "test-secret-key-that-is-long-enough-0123456789"
UNMIGRATED_TABLES = pytest.StashKey[list]()


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
    # The shared test database is used through one connection per test (rolled back), plus module-level ones;
    # DEFERRED lets them coexist. Apps that really commit concurrently (live_app) keep the IMMEDIATE default.
    config.setdefault("SQLITE_BEGIN", "DEFERRED")
    config.update(overrides)
    return config


def _create_unmigrated_tables(url: str) -> list[str]:
    """Create the tables of models that no migration creates yet and name them.

    Lets a model be tested before its migration is written; tests/common/test_migrations.py fails while the
    list is not empty, so nothing ships without its migration.
    """
    from inspect_service.models_registry import metadata

    engine = create_engine(url)
    try:
        existing = set(inspect(engine).get_table_names())
        missing = [table for table in metadata.sorted_tables if table.name not in existing]
        metadata.create_all(engine, tables=missing)
    finally:
        engine.dispose()
    return [table.name for table in missing]


def _admin_url(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def database_url(request, tmp_path_factory):
    """A fresh, migrated database for this test run; PostgreSQL ones are dropped at the end."""
    if request.config.getoption("--db") == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
        upgrade(url)
        request.config.stash[UNMIGRATED_TABLES] = _create_unmigrated_tables(url)
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
        request.config.stash[UNMIGRATED_TABLES] = _create_unmigrated_tables(url)
        yield url
    finally:
        with psycopg.connect(_admin_url(base), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def unmigrated_tables(request, database_url) -> list[str]:
    """Tables the harness created because no migration does yet (empty when migrations match the models)."""
    return request.config.stash[UNMIGRATED_TABLES]


@pytest.fixture(scope="session")
def app(database_url, tmp_path_factory):
    """The application under test (stored files in a temporary directory)."""
    return create_app(test_config(database_url, STORAGE_DIR=str(tmp_path_factory.mktemp("storage"))))


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


class ModuleWorld(NamedTuple):
    """The standard world of a module and the connection whose transaction holds it."""

    world: object
    connection: object


@pytest.fixture(scope="module")
def module_world(app):
    """The standard world built once for a module, in a transaction rolled back after its last test.

    For modules of hundreds of small tests: such a module overrides `_isolated` to use
    `savepoint_per_test` and `world` to return this world, so each test still starts from the same
    world and is still rolled back, without paying for a new world every time.
    """
    from tests.world import build_world

    with app.app_context():
        connection = db.engine.connect()
        outer = connection.begin()
        db.bind(app, connection)
        build_session = db.new_session()
        try:
            world = build_world(build_session)
        finally:
            build_session.close()
    try:
        yield ModuleWorld(world, connection)
    finally:
        outer.rollback()
        connection.close()
        db.unbind(app)


@pytest.fixture
def savepoint_per_test(app, module_world):
    """Run the test inside a savepoint over the module's world, rolled back after; fresh login counters."""
    app.extensions["login_throttle"] = MemoryStore()
    savepoint = module_world.connection.begin_nested()
    db.bind(app, module_world.connection)
    try:
        yield
    finally:
        savepoint.rollback()


@pytest.fixture(scope="module")
def live_app(request, tmp_path_factory):
    """An app on a database of its own whose transactions really commit (concurrency tests).

    SQLite: a separate file (the shared test database is held by each test's outer transaction).
    PostgreSQL: a second uniquely named database, dropped afterwards.
    """
    storage = str(tmp_path_factory.mktemp("live-storage"))
    if request.config.getoption("--db") == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('live') / 'live.db'}"
        upgrade(url)
        _create_unmigrated_tables(url)
        yield create_app(test_config(url, STORAGE_DIR=storage, SQLITE_BEGIN="IMMEDIATE"))
        return
    base = os.environ["TEST_DATABASE_URL"]
    name = f"inspect_live_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(_admin_url(base), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = make_url(base).set(database=name).render_as_string(hide_password=False)
    try:
        upgrade(url)
        _create_unmigrated_tables(url)
        live = create_app(test_config(url, STORAGE_DIR=storage))
        yield live
        with live.app_context():
            db.engine.dispose()
    finally:
        with psycopg.connect(_admin_url(base), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
