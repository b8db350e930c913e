"""Logging in: password check, lockout after repeated failures, audit of every attempt."""

from __future__ import annotations

import datetime as dt
import math

from sqlmodel import Session

from db import clock
from db.errors import QadamError
from db.i18n import _
from db.models import User
from db.ops.common import transaction, write_audit
from db.ops.users import user_by_login
from db.passwords import hash_password, needs_rehash, verify_password

MAX_FAILURES = 5
LOCKOUT = dt.timedelta(minutes=5)


class LoginFailed(QadamError):
    pass


def _aware(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def lockout_message(user: User, now: dt.datetime | None = None) -> str:
    """Why the account refuses every password just now; "" when it does not."""
    now = clock.now() if now is None else now
    if user.locked_until is None or _aware(user.locked_until) <= now:
        return ""
    # rounded up: 5:00 left is "5 minutes", 0:01 left is "1 minute"
    minutes = max(1, math.ceil((_aware(user.locked_until) - now).total_seconds() / 60))
    return _("Too many wrong passwords: the account is locked for {n} more minutes.").format(
        n=minutes)


def register_failure(user: User, now: dt.datetime) -> None:
    """Count a wrong password (inside the caller's transaction); the fifth in a row locks the
    account for LOCKOUT. Any place that checks a password counts, so none is a way to guess."""
    user.failed_logins += 1
    if user.failed_logins >= MAX_FAILURES:
        user.locked_until = now + LOCKOUT
        user.failed_logins = 0


def authenticate(session: Session, login: str, password: str) -> User:
    """Return the user, or raise LoginFailed with a message that does not reveal which
    of login and password was wrong."""
    user = user_by_login(session, login)
    now = clock.now()
    wrong = LoginFailed(_("Wrong login or password."))
    if user is None or not user.active:
        with transaction(session):
            write_audit(session, None, "login_failed", table="app_user",
                        details=login.strip()[:50])
        raise wrong
    locked = lockout_message(user, now)
    if locked:
        # refused without looking at the password, even the right one; still on the record
        with transaction(session):
            write_audit(session, user, "login_failed", table="app_user",
                        record_uuid=user.uuid, details="locked")
        raise LoginFailed(locked)
    with transaction(session):
        if not verify_password(user.password_hash, password):
            register_failure(user, now)
            write_audit(session, user, "login_failed", table="app_user",
                        record_uuid=user.uuid)
            failed = True
        else:
            user.failed_logins = 0
            user.locked_until = None
            if needs_rehash(user.password_hash):
                user.password_hash = hash_password(password)
            write_audit(session, user, "login", table="app_user", record_uuid=user.uuid)
            failed = False
    if failed:
        raise wrong
    return user
