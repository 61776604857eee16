"""Engine construction and the request-scoped session."""

from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask, current_app, g
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session


def _sqlite_pragmas(engine: Engine, begin: str) -> None:
    """Give pysqlite real transactions (SAVEPOINT-safe), foreign keys and a busy timeout."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        # IMMEDIATE (the default): writers queue on the busy timeout instead of failing with "database is
        # locked" when a read transaction later tries to write (SQLite cannot upgrade a stale snapshot).
        connection.exec_driver_sql(f"BEGIN {begin}")


def make_engine(url: str, *, sqlite_begin: str = "IMMEDIATE") -> Engine:
    """Create an engine for a sqlite or postgresql URL."""
    if url.startswith("sqlite"):
        if sqlite_begin not in ("IMMEDIATE", "DEFERRED"):
            raise ValueError("sqlite_begin is IMMEDIATE or DEFERRED")
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 10})
        _sqlite_pragmas(engine, sqlite_begin)
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=10)


def flush_or_conflict(session: Session, message: str) -> None:
    """Flush; a uniqueness violation becomes a 409 with `message` (the session is rolled back)."""
    from sqlalchemy.exc import IntegrityError

    from inspect_service.errors import Conflict

    try:
        session.flush()
    except IntegrityError as exc:
        session.rollback()
        raise Conflict(message) from exc


class Database:
    """Binds an engine and a session factory to each app; one session per app context."""

    def init_app(self, app: Flask) -> None:
        """Create the engine for the app's DATABASE_URL."""
        engine = make_engine(app.config["DATABASE_URL"], sqlite_begin=app.config.get("SQLITE_BEGIN", "IMMEDIATE"))
        app.extensions["db"] = {"engine": engine, "factory": self._factory(engine)}
        app.teardown_request(self._teardown)
        app.teardown_appcontext(self._teardown)

    @staticmethod
    def _factory(bind, **kwargs) -> sessionmaker:
        return sessionmaker(bind=bind, class_=Session, expire_on_commit=False, **kwargs)

    def bind(self, app: Flask, connection) -> None:
        """Make the app's sessions join an outer transaction on `connection` (tests)."""
        app.extensions["db"]["factory"] = self._factory(connection, join_transaction_mode="create_savepoint")

    def unbind(self, app: Flask) -> None:
        """Return to sessions on the app's own engine."""
        app.extensions["db"]["factory"] = self._factory(app.extensions["db"]["engine"])

    @property
    def engine(self) -> Engine:
        """The current app's engine."""
        return current_app.extensions["db"]["engine"]

    @property
    def session(self) -> Session:
        """The session of the current app context, created on first use."""
        if "db_session" not in g:
            g.db_session = current_app.extensions["db"]["factory"]()
        return g.db_session

    def new_session(self) -> Session:
        """A session outside the app context's one (jobs, CLI)."""
        return current_app.extensions["db"]["factory"]()

    @contextmanager
    def session_scope(self) -> Iterator[Session]:
        """A session that commits on success and rolls back on error."""
        session = self.new_session()
        try:
            yield session
            session.commit()
        except Exception:
            session.rollback()
            raise
        finally:
            session.close()

    @staticmethod
    def _teardown(_exc) -> None:
        session = g.pop("db_session", None)
        if session is not None:
            session.close()
