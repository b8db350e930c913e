"""Pieces every operation uses: lookups, transactions, audit entries, applying updates."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, SQLModel, select

from db.errors import Conflict, InUse, NotFound
from db.i18n import _
from db.models import AuditEntry, User, utcnow
from db.rights import Action, require

T = TypeVar("T", bound=SQLModel)

SYSTEM_LOGIN = "system"


@contextmanager
def transaction(session: Session) -> Iterator[None]:
    """Commit when the block ends, roll back everything on any error."""
    try:
        yield
        session.commit()
    except IntegrityError as exc:
        session.rollback()
        raise Conflict(_("The change conflicts with a record that already exists.")) from exc
    except BaseException:
        session.rollback()
        raise


def get_or_raise(session: Session, model: type[T], record_id: int | None, what: str) -> T:
    record = session.get(model, record_id) if record_id is not None else None
    if record is None:
        raise NotFound(_("{what} not found (it may have been deleted).").format(what=what))
    return record


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    return value


AUDIT_SKIP = {"updated_at", "created_at", "search_key", "sort_key", "password_hash"}


def snapshot(record: SQLModel) -> dict[str, Any]:
    return {k: _jsonable(v) for k, v in record.model_dump().items() if k not in AUDIT_SKIP}


def write_audit(session: Session, actor: User | None, action: str, *, table: str = "",
                record_uuid: str = "", changes: dict[str, Any] | None = None,
                details: str = "") -> None:
    session.add(AuditEntry(
        user_login=actor.login if actor is not None else SYSTEM_LOGIN,
        action=action,
        table_name=table,
        record_uuid=record_uuid,
        changes=json.dumps(changes or {}, ensure_ascii=False, sort_keys=True, default=str),
        details=details,
    ))


def apply_changes(record: SQLModel, values: dict[str, Any]) -> dict[str, list[Any]]:
    """Set the given fields; return {field: [old, new]} for those that really changed."""
    changed: dict[str, list[Any]] = {}
    for field, new in values.items():
        old = getattr(record, field)
        if old != new:
            setattr(record, field, new)
            if field not in AUDIT_SKIP:
                changed[field] = [_jsonable(old), _jsonable(new)]
    if changed and hasattr(record, "updated_at"):
        record.updated_at = utcnow()
    return changed


def given_values(data: SQLModel, model: type[SQLModel]) -> dict[str, Any]:
    """The fields an Update model was given. Every field there is optional, so None means
    "leave it" unless the column may really be empty (a birth date, a release date…)."""
    columns = model.__table__.columns  # type: ignore[attr-defined]
    return {k: v for k, v in data.model_dump(exclude_unset=True).items()
            if v is not None or (k in columns and columns[k].nullable)}


def count_where(session: Session, model: type[SQLModel], *conditions: Any) -> int:
    return session.exec(select(func.count()).select_from(model).where(*conditions)).one()


def refuse_if_referenced(what: str, references: dict[str, int]) -> None:
    """Raise InUse naming what refers to the record, e.g. {"events": 3}."""
    used = {name: n for name, n in references.items() if n}
    if used:
        listing = ", ".join(f"{name}: {n}" for name, n in used.items())
        raise InUse(_("{what} cannot be deleted: other records refer to it ({listing}).").format(
            what=what, listing=listing))


def update_record(session: Session, actor: User, record: SQLModel, values: dict[str, Any],
                  table: str) -> dict[str, list[Any]]:
    """Apply the values and audit exactly the fields that changed (nothing when none did)."""
    changed = apply_changes(record, values)
    if changed:
        write_audit(session, actor, "update", table=table, record_uuid=record.uuid,
                    changes=changed)
    return changed


def delete_record(session: Session, actor: User, record: SQLModel, table: str) -> None:
    """Audit the record's last values, then delete it (inside the caller's transaction)."""
    write_audit(session, actor, "delete", table=table, record_uuid=record.uuid,
                changes=snapshot(record))
    session.delete(record)


def create_record(session: Session, actor: User | None, record: T, table: str) -> T:
    session.add(record)
    session.flush()
    write_audit(session, actor, "create", table=table, record_uuid=record.uuid,
                changes=snapshot(record))
    return record


def require_edit(actor: User) -> None:
    require(actor, Action.EDIT_RECORDS)
