"""Password hashing with Argon2id (argon2-cffi): salted, slow on purpose, upgradable."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from db.errors import FieldErrors
from db.i18n import _

MIN_LENGTH = 8
_hasher = PasswordHasher()


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


def check_password_rules(errors: FieldErrors, password: str, login: str) -> None:
    if len(password) < MIN_LENGTH:
        errors.add("password", _("The password must have at least {n} characters.").format(
            n=MIN_LENGTH))
    elif password.strip().casefold() == login.strip().casefold():
        errors.add("password", _("The password must not be the login."))
