"""Re-run a whole write transaction that the database aborted to break a deadlock or a lock conflict."""

import functools
import logging
import random
import sqlite3
import time

from sqlalchemy.exc import DBAPIError
from sqlmodel import Session

from inspect_service.errors import DomainError
from inspect_service.extensions import db

ATTEMPTS = 3
BACKOFF_SECONDS = 0.025  # doubled per attempt, jittered ×0.5–1.5 so two losers do not collide again
# serialization_failure, deadlock_detected, lock_not_available (NOWAIT / lock_timeout)
RETRYABLE_SQLSTATES = frozenset({"40001", "40P01", "55P03"})
SQLITE_BUSY, SQLITE_LOCKED = 5, 6
_ATTEMPT, _NUMBER_HELD = "retry.attempt", "retry.number_held"  # session.info keys
log = logging.getLogger(__name__)


class Busy(DomainError):
    """The transaction lost to concurrent ones on every attempt; the client should retry shortly."""

    status, slug, title = 503, "busy", "Busy"

    def __init__(self, detail=None, **kwargs):
        kwargs.setdefault("headers", {"Retry-After": "1"})
        super().__init__(detail, **kwargs)


def is_retryable(error: BaseException) -> bool:
    """True when the database aborted the transaction only because of concurrent ones (safe to run again)."""
    if not isinstance(error, DBAPIError):
        return False
    orig = error.orig
    if getattr(orig, "sqlstate", None) in RETRYABLE_SQLSTATES:
        return True
    if isinstance(orig, sqlite3.OperationalError):
        code = getattr(orig, "sqlite_errorcode", 0) & 0xFF
        return code in (SQLITE_BUSY, SQLITE_LOCKED) or "database is locked" in str(orig)
    return False


def hold_number_lock(session: Session) -> None:
    """Note that this transaction holds a number counter's row lock (until it ends)."""
    session.info[_NUMBER_HELD] = True


def lock_nowait(session: Session) -> bool:
    """True when a row lock is to be taken without waiting: the transaction holds a number counter and is the first
    attempt of one that is re-run on a lock failure.

    The lock order is rows first, number counters last (a counter is taken as late as possible). A transaction that
    already holds a counter and waited for a row could wait for one that holds the row and waits for the counter;
    failing at once and re-running from the start costs milliseconds where the deadlock detector costs a second.
    A re-run waits in line as usual (the other transaction has usually finished by then; if not, the detector still
    breaks a cycle), so a busy row cannot use up every attempt.
    """
    return session.info.get(_ATTEMPT) == 1 and bool(session.info.get(_NUMBER_HELD))


def _pause(attempt: int) -> None:
    time.sleep(BACKOFF_SECONDS * 2 ** (attempt - 1) * random.uniform(0.5, 1.5))  # noqa: S311 - jitter, not secrecy


def retry_transaction(view):
    """Decorate a view that owns its transaction: on a deadlock, serialization or lock failure, roll back and run
    the view again from the start (at most ATTEMPTS times in all), then answer 503 with Retry-After.

    The rollback undoes everything the failed attempt wrote (an Idempotency-Key claim included), so nothing is
    applied twice. Put it outside `idempotent`, so each attempt claims the key afresh. No lock is held while
    waiting between attempts.
    """

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        for attempt in range(1, ATTEMPTS + 1):
            session = db.session
            session.info[_ATTEMPT] = attempt
            try:
                return view(*args, **kwargs)
            except DBAPIError as error:
                if not is_retryable(error):
                    raise
                session.rollback()
                if attempt == ATTEMPTS:
                    raise Busy("Too many concurrent changes to the same records; retry shortly.") from error
                log.info("transaction aborted by a concurrent one (attempt %d): %s", attempt, type(error.orig).__name__)
                _pause(attempt)
            finally:
                session.info.pop(_ATTEMPT, None)
                session.info.pop(_NUMBER_HELD, None)
        return None  # not reached: the last attempt returns or raises

    return wrapper
