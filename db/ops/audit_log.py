"""Reading the audit trail (administrators only), and recording exports in it.

Rows come out as frozen dataclasses of plain values, so the viewer's table model never holds
an ORM object. Periods are the PC's calendar days: `date_from`/`date_to` are local dates,
turned into the UTC instants the trail is stored in.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, func
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from db.i18n import N_, translate
from db.models import AuditEntry, User
from db.months import Month
from db.ops.common import transaction, write_audit
from db.rights import Action, require
from db.search import normalize

EXPORT = "export"
# What a file carries about persons: "none" (figures only), "names" (names without IINs,
# birth dates or addresses), "pseudonymised" (persons by UUID, initials and birth year: the
# regional package's default), "full" (restricted data as well).
PERSONAL_DATA_LEVELS = ("none", "names", "pseudonymised", "full")

# Actions whose changes are {field: [old, new]}; the others hold the record's values.
PAIR_ACTIONS = frozenset({"update", "password_change", "password_reset"})
# The words for the actions and tables the core writes, marked for the catalog; a code not
# here (a newer program's) is shown as it is.
ACTION_LABELS: dict[str, str] = {
    "create": N_("created"),
    "update": N_("changed"),
    "delete": N_("deleted"),
    "login": N_("logged in"),
    "login_failed": N_("failed login"),
    "password_change": N_("password changed"),
    "password_change_failed": N_("wrong current password"),
    "password_reset": N_("password reset"),
    "month_lock": N_("month locked"),
    "month_unlock": N_("month unlocked"),
    "export": N_("file exported"),
    "initialize": N_("database set up"),
    "backup": N_("backup made"),
    "restore": N_("restored from a backup"),
    "import": N_("package imported"),
}
TABLE_LABELS: dict[str, str] = {
    "app_user": N_("account"),
    "event": N_("event"),
    "facility": N_("facility"),
    "month_lock": N_("month lock"),
    "outcome": N_("outcome"),
    "participation": N_("participation"),
    "person": N_("person"),
    "reference_item": N_("reference item"),
    "volunteer": N_("volunteer"),
}
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def action_label(action: str, language: str) -> str:
    return translate(ACTION_LABELS[action], language) if action in ACTION_LABELS else action


def table_label(table: str, language: str) -> str:
    return translate(TABLE_LABELS[table], language) if table in TABLE_LABELS else table


def _value_text(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, str):
        if _ISO_DATE.match(value):  # dates as staff read them
            return f"{value[8:10]}.{value[5:7]}.{value[0:4]}"
        return value
    if isinstance(value, bool):
        return "✓" if value else "✗"
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def change_lines(action: str, changes: dict[str, Any]) -> list[str]:
    """An entry's changes as lines a person reads: "field: old → new" for changes, "field:
    value" for the values of a created or deleted record (and of the other entries)."""
    lines = []
    for name, value in sorted(changes.items()):
        if action in PAIR_ACTIONS and isinstance(value, list) and len(value) == 2:
            text = f"{_value_text(value[0])} → {_value_text(value[1])}"
        else:
            text = _value_text(value)
        lines.append(f"{name}: {text}" if name else text)
    return lines


@dataclass(frozen=True)
class AuditFilter:
    user_login: str | None = None
    action: str | None = None
    table_name: str | None = None
    record_uuid: str | None = None
    date_from: dt.date | None = None  # local calendar days, both included
    date_to: dt.date | None = None
    search: str = ""  # words that must all occur (any case, ё = е) in the entry's texts


@dataclass(frozen=True)
class AuditRow:
    id: int
    at: dt.datetime  # aware, UTC
    user_login: str
    action: str
    table_name: str
    record_uuid: str
    changes: dict[str, Any] = field(hash=False)
    details: str


def _local_midnight_utc(day: dt.date) -> dt.datetime:
    # A naive datetime's astimezone() takes it as the PC's local time.
    return dt.datetime.combine(day, dt.time.min).astimezone().astimezone(dt.UTC)


_FOLD = "qadam_fold"


def _fold_function(session: Session) -> Any:
    """SQL that folds case for every letter. SQLite's lower() folds ASCII only, so on SQLite
    the connection gets Python's fold (db.search.normalize) as a function; other servers fold
    Unicode themselves."""
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        return func.lower
    raw = connection.connection.dbapi_connection
    # registering again on a pooled connection only replaces the same function: cheap
    raw.create_function(_FOLD, 1, lambda text: normalize(text or ""), deterministic=True)
    return getattr(func, _FOLD)


def _conditions(session: Session, f: AuditFilter) -> list[ColumnElement[bool]]:
    where: list[ColumnElement[bool]] = []
    if f.user_login:
        where.append(col(AuditEntry.user_login) == f.user_login)
    if f.action:
        where.append(col(AuditEntry.action) == f.action)
    if f.table_name:
        where.append(col(AuditEntry.table_name) == f.table_name)
    if f.record_uuid:
        where.append(col(AuditEntry.record_uuid) == f.record_uuid.strip())
    if f.date_from is not None:
        where.append(col(AuditEntry.at) >= _local_midnight_utc(f.date_from))
    if f.date_to is not None:
        where.append(col(AuditEntry.at) < _local_midnight_utc(f.date_to + dt.timedelta(days=1)))
    words = normalize(f.search).split()
    if words:
        fold = _fold_function(session)
        text = fold(func.coalesce(AuditEntry.user_login, "") + " " + AuditEntry.action + " "
                    + AuditEntry.table_name + " " + AuditEntry.record_uuid + " "
                    + AuditEntry.changes + " " + AuditEntry.details)
        # instr, not LIKE: a % or _ typed by the user is just a character
        where.extend(func.instr(text, word) > 0 for word in words)
    return where


def _query(session: Session, f: AuditFilter) -> SelectOfScalar[AuditEntry]:
    return select(AuditEntry).where(*_conditions(session, f))


def _row(entry: AuditEntry) -> AuditRow:
    try:
        changes = json.loads(entry.changes) if entry.changes else {}
    except ValueError:
        changes = {"": entry.changes}  # not ours (an old or foreign row): show it as it is
    at = entry.at if entry.at.tzinfo else entry.at.replace(tzinfo=dt.UTC)
    assert entry.id is not None
    return AuditRow(id=entry.id, at=at, user_login=entry.user_login, action=entry.action,
                    table_name=entry.table_name, record_uuid=entry.record_uuid,
                    changes=changes if isinstance(changes, dict) else {"": changes},
                    details=entry.details)


def audit_rows(session: Session, f: AuditFilter = AuditFilter(), *, actor: User,
               offset: int = 0, limit: int = 200, newest_first: bool = True) -> list[AuditRow]:
    """A page of the trail. Reading it needs the right to manage users (administrators)."""
    require(actor, Action.MANAGE_USERS)
    order = col(AuditEntry.id).desc() if newest_first else col(AuditEntry.id)
    # by id, not time: the order entries were written in, even if the PC's clock jumped
    query = _query(session, f).order_by(order).offset(offset).limit(limit)
    return [_row(entry) for entry in session.exec(query)]


def count_audit(session: Session, f: AuditFilter = AuditFilter(), *, actor: User) -> int:
    require(actor, Action.MANAGE_USERS)
    return session.exec(select(func.count()).select_from(_query(session, f).subquery())).one()


def audit_actions(session: Session) -> list[str]:
    """The actions the trail holds, for the viewer's filter."""
    return list(session.exec(select(AuditEntry.action).distinct().order_by(AuditEntry.action)))


def audit_logins(session: Session) -> list[str]:
    """The logins the trail holds (also of deleted or renamed accounts), for the filter."""
    return list(session.exec(select(AuditEntry.user_login).distinct()
                             .order_by(AuditEntry.user_login)))


def record_export(session: Session, actor: User | None, *, what: str, facility_code: str,
                  month: Month | None, personal_data: str, path: str) -> None:
    """Note a written file in the trail, in a transaction of its own (the file is already
    written; there is nothing to roll back with it). `actor` None is the command line without
    a user ("system")."""
    if personal_data not in PERSONAL_DATA_LEVELS:
        raise ValueError(f"unknown personal data level {personal_data!r}")
    with transaction(session):
        write_audit(session, actor, EXPORT, changes={
            "what": what, "facility": facility_code,
            "month": str(month) if month is not None else None,
            "personal_data": personal_data, "path": str(path)}, details=str(path))
