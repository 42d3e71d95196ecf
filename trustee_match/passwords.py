"""Password hashing: argon2id at the app's configured cost; older werkzeug hashes still verify.

The cost comes from `PASSWORD_HASH_PARAMS` (argon2-cffi's time_cost, memory_cost in KiB,
parallelism). Production uses OWASP's argon2id minimum, m=19 MiB, t=2, p=1 (~50 ms a check on
one core); only TestConfig lowers it, so a test suite that logs in hundreds of times stays fast.
"""

from __future__ import annotations

from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from werkzeug.security import check_password_hash

_ARGON2_PREFIX = "$argon2"


@lru_cache
def _hasher_for(time_cost: int, memory_cost: int, parallelism: int) -> PasswordHasher:
    return PasswordHasher(time_cost=time_cost, memory_cost=memory_cost, parallelism=parallelism)


def _hasher() -> PasswordHasher:
    return _hasher_for(**current_app.config["PASSWORD_HASH_PARAMS"])


def hash_password(password: str) -> str:
    """An argon2id hash of `password`, with a fresh salt, at the configured cost."""
    return _hasher().hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """Whether `password` matches the stored hash: argon2id, or werkzeug's scrypt / pbkdf2."""
    if not password_hash.startswith(_ARGON2_PREFIX):
        return check_password_hash(password_hash, password)
    try:
        return _hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """Whether the hash is of an older kind or cost, to be replaced at the next login."""
    if not password_hash.startswith(_ARGON2_PREFIX):
        return True
    return _hasher().check_needs_rehash(password_hash)


@lru_cache
def _dummy_hash_for(time_cost: int, memory_cost: int, parallelism: int) -> str:
    return _hasher_for(time_cost, memory_cost, parallelism).hash("not-a-real-password")


def dummy_hash() -> str:
    """A hash at the configured cost to check a login for an unknown address against.

    Checking it takes as long as checking a real account's hash, so the answer time does not
    tell whether an address has an account.
    """
    return _dummy_hash_for(**current_app.config["PASSWORD_HASH_PARAMS"])
