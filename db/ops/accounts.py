"""Changing accounts: one's own password, an administrator's reset, and the account's details.

Passwords never reach the audit trail, not even hashed: `password_hash` is in AUDIT_SKIP and
the password entries say only that it happened (and the flags that changed with it).
"""

from __future__ import annotations

from sqlmodel import Session, col

from db import clock
from db.errors import FieldErrors, ValidationError
from db.i18n import _
from db.models import User, UserUpdate, utcnow
from db.ops.auth import lockout_message, register_failure
from db.ops.common import (
    apply_changes,
    count_where,
    get_or_raise,
    given_values,
    transaction,
    update_record,
    write_audit,
)
from db.passwords import check_password_rules, hash_password, verify_password
from db.rights import Action, require
from db.rules import in_choices, required_text
from db.values import Role

TABLE = "app_user"


def password_is_temporary(user: User) -> bool:
    """True after an administrator's reset: the user must choose a new password first."""
    return user.must_change_password


def change_password(*, session: Session, actor: User, old_password: str,
                    new_password: str) -> None:
    """The actor changes their own password. A wrong current password counts towards the
    lockout like a wrong login: an unattended open window is no way to guess it."""
    # the actor may be the window's copy from another session: work on this session's row
    user = get_or_raise(session, User, actor.id, _("The account"))
    require(user, Action.READ)  # every active account may; an inactive one nothing
    now = clock.now()
    locked = lockout_message(user, now)
    if locked:
        raise ValidationError({"old_password": locked})
    if not verify_password(user.password_hash, old_password):
        with transaction(session):
            register_failure(user, now)
            write_audit(session, user, "password_change_failed", table=TABLE,
                        record_uuid=user.uuid)
        raise ValidationError({"old_password": lockout_message(user, now)
                               or _("The current password is wrong.")})
    errors = FieldErrors()
    check_password_rules(errors, new_password, user.login)
    if new_password == old_password:
        errors.add("password", _("The new password must differ from the current one."))
    errors.raise_if_any()
    with transaction(session):
        changed = apply_changes(user, {"must_change_password": False, "failed_logins": 0})
        user.password_hash = hash_password(new_password)
        user.updated_at = utcnow()
        write_audit(session, user, "password_change", table=TABLE, record_uuid=user.uuid,
                    changes=changed)


def reset_password(*, session: Session, actor: User, user_id: int, new_password: str) -> None:
    """An administrator sets a temporary password: the user must change it at the next login.
    A reset also lifts a lockout (the administrator has checked who is asking)."""
    require(actor, Action.MANAGE_USERS)
    user = get_or_raise(session, User, user_id, _("The account"))
    errors = FieldErrors()
    check_password_rules(errors, new_password, user.login)
    errors.raise_if_any()
    with transaction(session):
        changed = apply_changes(user, {"must_change_password": True, "failed_logins": 0,
                                       "locked_until": None})
        user.password_hash = hash_password(new_password)
        user.updated_at = utcnow()
        write_audit(session, actor, "password_reset", table=TABLE, record_uuid=user.uuid,
                    changes=changed)


def _other_active_admins(session: Session, user_id: int) -> int:
    return count_where(session, User, User.role == Role.ADMIN.value,
                       User.active == True, col(User.id) != user_id)  # noqa: E712


def update_user(*, session: Session, actor: User, user_id: int, data: UserUpdate) -> User:
    """Change an account's name, position, role or whether it is active. The last active
    administrator stays one (nobody could manage accounts any more), and nobody deactivates
    their own account (the window they work in would outlive it)."""
    require(actor, Action.MANAGE_USERS)
    user = get_or_raise(session, User, user_id, _("The account"))
    values = given_values(data, User)
    for field in ("full_name", "position"):
        if isinstance(values.get(field), str):
            values[field] = values[field].strip()
    errors = FieldErrors()
    if "full_name" in values:
        required_text(errors, "full_name", values["full_name"], _("The full name is required."),
                      200)
    if "position" in values and len(values["position"]) > 200:
        errors.add("position", _("At most {n} characters are allowed here.").format(n=200))
    if "role" in values:
        in_choices(errors, "role", values["role"], [r.value for r in Role])
    active = values.get("active", user.active)
    role = values.get("role", user.role)
    if not active and user.active and user.id == actor.id:
        errors.add("active", _("You cannot deactivate your own account."))
    if (user.active and user.role == Role.ADMIN and (not active or role != Role.ADMIN)
            and _other_active_admins(session, user.id) == 0):
        errors.add("active" if not active else "role", _(
            "{login} is the last active administrator: make another account an administrator "
            "first.").format(login=user.login))
    errors.raise_if_any()
    with transaction(session):
        update_record(session, actor, user, values, TABLE)
    return user

