"""Who may do what. Checked inside every operation, whatever the caller."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from db.errors import PermissionDenied
from db.i18n import _
from db.values import Role, label

if TYPE_CHECKING:  # the window's frame asks `may` before the tables are imported
    from db.models import User


class Action(StrEnum):
    READ = "read"
    EDIT_RECORDS = "edit_records"  # persons, events, volunteers, participations, outcomes
    EDIT_FACILITIES = "edit_facilities"
    EDIT_REFERENCES = "edit_references"
    MANAGE_USERS = "manage_users"
    LOCK_MONTHS = "lock_months"
    UNLOCK_MONTHS = "unlock_months"
    EXPORT_PACKAGE = "export_package"
    IMPORT_PACKAGE = "import_package"
    BACKUP = "backup"
    REGION_SETTINGS = "region_settings"  # the regional department's own settings (deadline)


_OPERATOR = {Action.READ, Action.EDIT_RECORDS}
_HEAD = _OPERATOR | {Action.LOCK_MONTHS, Action.UNLOCK_MONTHS, Action.EXPORT_PACKAGE}
_ADMIN = _HEAD | {
    Action.EDIT_FACILITIES, Action.EDIT_REFERENCES, Action.MANAGE_USERS, Action.BACKUP,
}
_ANALYST = {Action.READ, Action.IMPORT_PACKAGE, Action.REGION_SETTINGS}

ALLOWED: dict[str, set[Action]] = {
    Role.OPERATOR: _OPERATOR,
    Role.HEAD: _HEAD,
    Role.ADMIN: _ADMIN | {Action.IMPORT_PACKAGE, Action.REGION_SETTINGS},
    Role.ANALYST: _ANALYST,
}


def may(user: User, action: Action) -> bool:
    return user.active and action in ALLOWED.get(user.role, set())


def require(user: User, action: Action) -> None:
    if not may(user, action):
        role = label(Role(user.role)) if user.role in set(Role) else user.role
        raise PermissionDenied(
            _("The account “{login}” ({role}) may not do this.").format(login=user.login, role=role)
        )
