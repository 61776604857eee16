"""Password hashing with argon2id."""

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app

_hashers: dict[tuple[int, int], PasswordHasher] = {}
_dummy_hashes: dict[tuple[int, int], str] = {}


def _hasher() -> tuple[PasswordHasher, tuple[int, int]]:
    key = (current_app.config["PASSWORD_HASH_TIME_COST"], current_app.config["PASSWORD_HASH_MEMORY_KIB"])
    if key not in _hashers:
        _hashers[key] = PasswordHasher(time_cost=key[0], memory_cost=key[1], parallelism=1, type=Type.ID)
        _dummy_hashes[key] = _hashers[key].hash("placeholder-for-unknown-users")
    return _hashers[key], key


def hash_password(password: str) -> str:
    """Hash a password with argon2id."""
    return _hasher()[0].hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Check a password; with no hash (unknown user) spend the same time and answer False."""
    hasher, key = _hasher()
    try:
        matched = hasher.verify(password_hash or _dummy_hashes[key], password)
    except (VerificationError, InvalidHashError):
        return False
    return matched and password_hash is not None
