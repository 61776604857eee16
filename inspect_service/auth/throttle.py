"""Login throttling per account and per address; locks expire, so nobody is locked out for good."""

import threading
import time
from dataclasses import dataclass
from typing import Protocol

from flask import Flask, current_app


class CounterStore(Protocol):
    """Failure counters with expiry."""

    def failures(self, key: str) -> int:
        """Failures recorded under `key` in the current window."""

    def add_failure(self, key: str, window: int) -> int:
        """Record a failure; return the count in the window."""

    def lock(self, key: str, seconds: int) -> None:
        """Refuse `key` for `seconds`."""

    def locked_for(self, key: str) -> int:
        """Seconds left on a lock (0 when not locked)."""

    def reset(self, key: str) -> None:
        """Forget failures and lock of `key`."""


class MemoryStore:
    """Per-process counters (used when no Redis is configured)."""

    def __init__(self):
        self._lock = threading.Lock()
        self._counts: dict[str, tuple[int, float]] = {}
        self._locks: dict[str, float] = {}

    def failures(self, key):
        with self._lock:
            count, expires = self._counts.get(key, (0, 0.0))
            return count if expires > time.time() else 0

    def add_failure(self, key, window):
        with self._lock:
            now = time.time()
            count, expires = self._counts.get(key, (0, 0.0))
            if expires <= now:
                count, expires = 0, now + window
            self._counts[key] = (count + 1, expires)
            if len(self._counts) > 100_000:
                self._counts = {k: v for k, v in self._counts.items() if v[1] > now}
            return count + 1

    def lock(self, key, seconds):
        with self._lock:
            self._locks[key] = time.time() + seconds

    def locked_for(self, key):
        with self._lock:
            left = self._locks.get(key, 0.0) - time.time()
            return int(left) + 1 if left > 0 else 0

    def reset(self, key):
        with self._lock:
            self._counts.pop(key, None)
            self._locks.pop(key, None)


class RedisStore:
    """Counters shared by every worker through Redis."""

    def __init__(self, url: str, prefix: str = "inspect:throttle:"):
        import redis

        self._redis = redis.Redis.from_url(url, socket_timeout=2)
        self._prefix = prefix

    def failures(self, key):
        return int(self._redis.get(self._prefix + "n:" + key) or 0)

    def add_failure(self, key, window):
        name = self._prefix + "n:" + key
        pipe = self._redis.pipeline()
        pipe.incr(name)
        pipe.expire(name, window, nx=True)
        count, _ = pipe.execute()
        return int(count)

    def lock(self, key, seconds):
        self._redis.set(self._prefix + "l:" + key, 1, ex=max(1, int(seconds)))

    def locked_for(self, key):
        ttl = self._redis.ttl(self._prefix + "l:" + key)
        return max(0, int(ttl))

    def reset(self, key):
        self._redis.delete(self._prefix + "n:" + key, self._prefix + "l:" + key)


@dataclass(frozen=True)
class Policy:
    """Limits read from config."""

    account_max: int
    address_max: int
    window: int
    lock_seconds: int
    lock_max: int


def init_app(app: Flask) -> None:
    """Choose the counter store: Redis when REDIS_URL is set, memory otherwise."""
    url = app.config.get("REDIS_URL")
    app.extensions["login_throttle"] = RedisStore(url) if url else MemoryStore()


def _store() -> CounterStore:
    return current_app.extensions["login_throttle"]


def _policy() -> Policy:
    c = current_app.config
    return Policy(
        c["LOGIN_ACCOUNT_MAX_FAILURES"],
        c["LOGIN_ADDRESS_MAX_FAILURES"],
        c["LOGIN_WINDOW_SECONDS"],
        c["LOGIN_LOCK_SECONDS"],
        c["LOGIN_LOCK_MAX_SECONDS"],
    )


def _keys(username: str, address: str) -> tuple[str, str]:
    return "acct:" + username.strip().lower()[:64], "addr:" + (address or "unknown")


def retry_after(username: str, address: str) -> int:
    """Seconds the caller must wait before trying this login again (0: go ahead)."""
    store = _store()
    return max(store.locked_for(key) for key in _keys(username, address))


def record_failure(username: str, address: str) -> None:
    """Count a failed login; lock the account or address once over its limit."""
    store, policy = _store(), _policy()
    account, addr = _keys(username, address)
    for key, limit in ((account, policy.account_max), (addr, policy.address_max)):
        count = store.add_failure(key, policy.window)
        if count >= limit:
            over = count - limit
            store.lock(key, min(policy.lock_max, policy.lock_seconds * 2 ** min(over, 16)))


def record_success(username: str, address: str) -> None:
    """A good login clears the account's failures (the address keeps its count)."""
    _store().reset(_keys(username, address)[0])
