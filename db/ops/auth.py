"""Logging in: password check, lockout after repeated failures, audit of every attempt."""

from __future__ import annotations

import datetime as dt

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
    if user.locked_until is not None and _aware(user.locked_until) > now:
        minutes = max(1, int((_aware(user.locked_until) - now).total_seconds() // 60) + 1)
        raise LoginFailed(_("Too many wrong passwords: the account is locked for {n} more "
                            "minutes.").format(n=minutes))
    with transaction(session):
        if not verify_password(user.password_hash, password):
            user.failed_logins += 1
            if user.failed_logins >= MAX_FAILURES:
                user.locked_until = now + LOCKOUT
                user.failed_logins = 0
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
