"""Content-addressed blob storage: a small interface, a local-directory backend, a factory chosen by config.

A blob's key is the SHA-256 (lowercase hex) of its bytes, so a key names exactly one content: writes are
idempotent, nothing is overwritten with other bytes, and a key can never name a path outside the store.
"""

import contextlib
import hashlib
import os
import re
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Protocol

from flask import Flask, current_app

KEY_PATTERN = re.compile(r"[0-9a-f]{64}")


class BlobNotFound(KeyError):
    """No blob is stored under the key."""


class Storage(Protocol):
    """Where blobs live; every backend answers these four calls."""

    def put(self, key: str, data: bytes, content_type: str) -> None:
        """Store `data` under `key` (its SHA-256); storing the same key again is a no-op."""

    def get(self, key: str) -> bytes:
        """Return the bytes stored under `key`; BlobNotFound when absent."""

    def exists(self, key: str) -> bool:
        """Return True when a blob is stored under `key`."""

    def delete(self, key: str) -> None:
        """Remove the blob under `key` (absent is fine)."""


def content_key(data: bytes) -> str:
    """The key of `data`: its SHA-256 in lowercase hex."""
    return hashlib.sha256(data).hexdigest()


def check_key(key: str) -> str:
    """Return `key` when it is a SHA-256 hex digest; ValueError otherwise (no paths, no traversal)."""
    if not isinstance(key, str) or not KEY_PATTERN.fullmatch(key):
        raise ValueError("A storage key is the 64-character lowercase hex SHA-256 of the blob.")
    return key


class LocalStorage:
    """Blobs as files under one directory, at `ab/cd/<sha256>`, written atomically."""

    def __init__(self, root: str | os.PathLike) -> None:
        self.root = Path(root)

    def path(self, key: str) -> Path:
        """The file of `key`."""
        check_key(key)
        return self.root / key[:2] / key[2:4] / key

    def put(self, key: str, data: bytes, content_type: str) -> None:
        """Write `data` to a temporary file beside its final path, then rename it into place."""
        path = self.path(key)
        if content_key(data) != key:
            raise ValueError("The key is not the SHA-256 of the data.")
        if path.exists():
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        try:
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temporary, path)  # readers see the whole blob or none of it
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary)
            raise

    def get(self, key: str) -> bytes:
        """Read the blob of `key`."""
        try:
            return self.path(key).read_bytes()
        except FileNotFoundError as exc:
            raise BlobNotFound(key) from exc

    def exists(self, key: str) -> bool:
        """Return True when the blob of `key` is on disk."""
        return self.path(key).is_file()

    def delete(self, key: str) -> None:
        """Remove the blob of `key`."""
        self.path(key).unlink(missing_ok=True)


def _local(config: Mapping) -> Storage:
    return LocalStorage(config["STORAGE_DIR"])


# STORAGE_BACKEND name -> factory taking the app config. An S3-compatible backend is one more entry here: a
# class with the same four methods (e.g. boto3 put_object/get_object/head_object/delete_object on one bucket,
# keyed like LocalStorage) built from its own STORAGE_S3_* settings, which config.validate must then require.
BACKENDS: dict[str, Callable[[Mapping], Storage]] = {"local": _local}


def from_config(config: Mapping) -> Storage:
    """Build the storage backend named by STORAGE_BACKEND."""
    name = config.get("STORAGE_BACKEND", "local")
    if name not in BACKENDS:
        raise ValueError(f"Unknown STORAGE_BACKEND {name!r}; known: {sorted(BACKENDS)}")
    return BACKENDS[name](config)


def init_app(app: Flask) -> None:
    """Bind the configured storage to the app."""
    app.extensions["storage"] = from_config(app.config)


def current() -> Storage:
    """The current app's storage."""
    return current_app.extensions["storage"]
