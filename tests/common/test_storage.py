"""Blob storage: content-addressed keys, no path traversal, atomic writes, backend chosen by config."""

import hashlib
import os

import pytest

from inspect_service import create_app
from inspect_service.common import storage
from inspect_service.common.storage import BlobNotFound, LocalStorage, content_key
from inspect_service.config import ConfigError, from_environment
from tests.conftest import test_config as make_config

DATA = b"photo bytes"
KEY = hashlib.sha256(DATA).hexdigest()


@pytest.fixture
def store(tmp_path) -> LocalStorage:
    return LocalStorage(tmp_path / "blobs")


def _files(root) -> list[str]:
    return sorted(str(path.relative_to(root)) for path in root.rglob("*") if path.is_file())


def test_blob_is_stored_under_its_sha256_and_read_back(store):
    assert content_key(DATA) == KEY
    assert not store.exists(KEY)
    store.put(KEY, DATA, "image/jpeg")
    assert store.exists(KEY)
    assert store.get(KEY) == DATA
    assert _files(store.root) == [f"{KEY[:2]}/{KEY[2:4]}/{KEY}"]


def test_storing_the_same_content_twice_keeps_one_file(store):
    store.put(KEY, DATA, "image/jpeg")
    store.put(KEY, DATA, "image/png")
    assert _files(store.root) == [f"{KEY[:2]}/{KEY[2:4]}/{KEY}"]


def test_key_that_is_not_the_hash_of_the_data_is_refused(store):
    with pytest.raises(ValueError, match="SHA-256"):
        store.put(KEY, b"other bytes", "image/jpeg")
    assert not store.root.exists() or _files(store.root) == []


def test_delete_and_missing_blob(store):
    store.put(KEY, DATA, "image/jpeg")
    store.delete(KEY)
    store.delete(KEY)  # absent is fine
    assert not store.exists(KEY)
    with pytest.raises(BlobNotFound):
        store.get(KEY)


@pytest.mark.parametrize(
    "key",
    [
        "../../etc/passwd",
        "/etc/passwd",
        f"../{KEY[3:]}",
        f"{KEY[:62]}/.",
        f"ab/../{KEY[6:]}",
        KEY.upper(),
        KEY[:-1],
        KEY + "0",
        KEY[:-1] + "\x00",
        f"{KEY}\n",
        "",
        None,
    ],
)
def test_keys_that_are_not_hex_digests_are_refused_by_every_call(store, key):
    for call in (
        lambda: store.put(key, DATA, "image/jpeg"),
        lambda: store.get(key),
        lambda: store.exists(key),
        lambda: store.delete(key),
    ):
        with pytest.raises(ValueError):
            call()
    assert not store.root.exists()


def test_write_goes_through_a_temporary_file_renamed_into_place(store, monkeypatch):
    renames = []
    real_replace = os.replace

    def spy(source, target):
        renames.append((os.path.dirname(source), os.path.basename(source), str(target)))
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", spy)
    store.put(KEY, DATA, "image/jpeg")
    ((directory, name, target),) = renames
    assert target == str(store.path(KEY)) and directory == str(store.path(KEY).parent)
    assert name.startswith(".tmp-")
    assert _files(store.root) == [f"{KEY[:2]}/{KEY[2:4]}/{KEY}"]


def test_failed_write_leaves_neither_blob_nor_temporary_file(store, monkeypatch):
    def fail(_source, _target):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OSError, match="disk full"):
        store.put(KEY, DATA, "image/jpeg")
    assert not store.exists(KEY)
    assert _files(store.root) == []


def test_app_binds_the_configured_local_storage(database_url, tmp_path):
    app = create_app(make_config(database_url, STORAGE_DIR=str(tmp_path / "files")))
    with app.app_context():
        bound = storage.current()
    assert isinstance(bound, LocalStorage) and bound.root == tmp_path / "files"


def test_storage_defaults_to_a_directory_in_the_instance_folder():
    settings = from_environment({}, instance_path="/srv/inspect/instance")
    assert settings["STORAGE_BACKEND"] == "local"
    assert settings["STORAGE_DIR"] == "/srv/inspect/instance/storage"
    assert settings["PHOTO_MAX_BYTES"] == 15 * 1024 * 1024


@pytest.mark.parametrize(
    ("overrides", "message"),
    [({"STORAGE_BACKEND": "s3"}, "STORAGE_BACKEND"), ({"PHOTO_MAX_BYTES": 0}, "PHOTO_MAX_BYTES")],
)
def test_unknown_backend_or_no_photo_cap_refuses_to_start(database_url, overrides, message):
    with pytest.raises(ConfigError, match=message):
        create_app(make_config(database_url, **overrides))
