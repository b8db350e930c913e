"""Staff accounts: adding and finding them. Changes and passwords are in db/ops/accounts.py,
logging in (and the lockout) in db/ops/auth.py."""

from __future__ import annotations

import re

from sqlmodel import Session, select

from db.errors import FieldErrors
from db.i18n import _
from db.models import User, UserCreate
from db.ops.common import create_record, transaction
from db.passwords import check_password_rules, hash_password
from db.rights import Action, require
from db.rules import in_choices, required_text
from db.values import Role

_LOGIN = re.compile(r"^[A-Za-z0-9._-]{2,50}$")


def user_by_login(session: Session, login: str) -> User | None:
    return session.exec(select(User).where(User.login == login.strip())).first()


def _check(session: Session, data: UserCreate, *, enforce_password_rules: bool) -> None:
    errors = FieldErrors()
    if not _LOGIN.match(data.login.strip()):
        errors.add("login", _("The login must be 2–50 Latin letters, digits, dots, dashes or "
                              "underscores."))
    elif user_by_login(session, data.login) is not None:
        errors.add("login", _("The login “{login}” is taken.").format(login=data.login.strip()))
    required_text(errors, "full_name", data.full_name, _("The full name is required."), 200)
    in_choices(errors, "role", data.role, [r.value for r in Role])
    if enforce_password_rules:
        check_password_rules(errors, data.password, data.login)
    errors.raise_if_any()


def add_user(session: Session, data: UserCreate, *, enforce_password_rules: bool = True) -> User:
    """Insert an account without a rights check or commit: for the first administrator and for
    demo databases, whose documented accounts have the short password `demo`."""
    _check(session, data, enforce_password_rules=enforce_password_rules)
    return User(login=data.login.strip(), full_name=data.full_name.strip(),
                position=data.position.strip(), role=data.role,
                password_hash=hash_password(data.password))


def create_user(*, session: Session, actor: User, data: UserCreate) -> User:
    require(actor, Action.MANAGE_USERS)
    user = add_user(session, data)
    with transaction(session):
        create_record(session, actor, user, "app_user")
    return user


def list_users(session: Session) -> list[User]:
    return list(session.exec(select(User).order_by(User.login)))
