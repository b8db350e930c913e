"""The database's own settings: facility or regional mode, and which facility this PC is."""

from __future__ import annotations

from sqlmodel import Session, select

from db.errors import ValidationError
from db.i18n import _
from db.models import DatabaseSetting, Facility, User
from db.ops.common import transaction, write_audit
from db.rights import Action, require
from db.values import DatabaseMode

MODE = "mode"
OWN_FACILITY = "own_facility_uuid"
DEADLINE_DAY = "deadline_day"
DEFAULT_DEADLINE_DAY = 5
# The 28th exists in every month; a later deadline would mean a different day each month.
LATEST_DEADLINE_DAY = 28


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


def deadline_day(session: Session) -> int:
    """The day of the next month by which a facility's report is due (default the 5th)."""
    value = get_setting(session, DEADLINE_DAY)
    return int(value) if value.isdigit() and 1 <= int(value) <= LATEST_DEADLINE_DAY \
        else DEFAULT_DEADLINE_DAY


def set_deadline_day(session: Session, actor: User, day: int) -> None:
    """Change the reports' deadline day of the region: checked, audited, one transaction."""
    require(actor, Action.REGION_SETTINGS)
    if not isinstance(day, int) or not 1 <= day <= LATEST_DEADLINE_DAY:
        raise ValidationError({DEADLINE_DAY: _(
            "The deadline must be a day from 1 to {last} of the next month.").format(
            last=LATEST_DEADLINE_DAY)})
    old = deadline_day(session)
    if old == day:
        return
    with transaction(session):
        put_setting(session, DEADLINE_DAY, str(day))
        write_audit(session, actor, "update", table="database_setting",
                    changes={DEADLINE_DAY: [old, day]})
