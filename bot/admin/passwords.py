"""Password hashes: argon2id through argon2-cffi, with its default (RFC 9106 low-memory)
parameters.

A login for a name that has no account still verifies the password against a dummy hash
made with the same parameters, so the reply takes as long as a wrong password's: the time
taken tells nothing about which names exist.
"""

from __future__ import annotations

from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

MIN_LENGTH = 10
MAX_LENGTH = 256

_HASHER = PasswordHasher()


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


def verify_password(stored: str, password: str) -> bool:
    """True when `password` matches `stored`; never raises for a wrong or damaged hash."""
    try:
        return _HASHER.verify(stored, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(stored: str) -> bool:
    """The hash was made with weaker parameters than today's: hash again at the next login."""
    try:
        return _HASHER.check_needs_rehash(stored)
    except InvalidHashError:
        return True


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return _HASHER.hash("no account has this password; it only spends the same time")


def spend_like_a_verify(password: str) -> None:
    """Do the work of a verification for a name without an account."""
    verify_password(_dummy_hash(), password)


def password_problem(password: str) -> str | None:
    """Why a new password is refused (English, for the command line), or None."""
    if len(password) < MIN_LENGTH:
        return f"the password must have at least {MIN_LENGTH} characters"
    if len(password) > MAX_LENGTH:
        return f"the password may have at most {MAX_LENGTH} characters"
    if password.strip() != password:
        return "the password may not start or end with a space"
    return None
