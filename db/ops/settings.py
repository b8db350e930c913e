"""The database's own settings: facility or regional mode, and which facility this PC is."""

from __future__ import annotations

from sqlmodel import Session, select

from db.models import DatabaseSetting, Facility
from db.values import DatabaseMode

MODE = "mode"
OWN_FACILITY = "own_facility_uuid"


def get_setting(session: Session, key: str, default: str = "") -> str:
    row = session.get(DatabaseSetting, key)
    return row.value if row is not None else default


def put_setting(session: Session, key: str, value: str) -> None:
    """Set a value inside the caller's transaction (no commit here)."""
    row = session.get(DatabaseSetting, key)
    if row is None:
        session.add(DatabaseSetting(key=key, value=value))
    else:
        row.value = value


def database_mode(session: Session) -> DatabaseMode | None:
    value = get_setting(session, MODE)
    return DatabaseMode(value) if value else None


def is_initialized(session: Session) -> bool:
    return database_mode(session) is not None


def own_facility(session: Session) -> Facility | None:
    uuid = get_setting(session, OWN_FACILITY)
    if not uuid:
        return None
    return session.exec(select(Facility).where(Facility.uuid == uuid)).first()
