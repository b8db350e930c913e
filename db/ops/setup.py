"""Making a new database ready: its mode, its facility, the reference lists, the first account."""

from __future__ import annotations

from sqlmodel import Session

from db.errors import QadamError
from db.i18n import _
from db.models import FacilityCreate, User, UserCreate
from db.ops.common import create_record, transaction, write_audit
from db.ops.facilities import add_facility, facility_by_code
from db.ops.references import load_default_lists
from db.ops.settings import MODE, OWN_FACILITY, is_initialized, put_setting
from db.ops.users import add_user
from db.values import DatabaseMode


def initialize(session: Session, *, mode: DatabaseMode, facility: FacilityCreate | None = None,
               admin: UserCreate | None = None, enforce_password_rules: bool = True
               ) -> User | None:
    """Set up an empty database once. A facility database names its own facility."""
    if is_initialized(session):
        raise QadamError(_("This database is already set up."))
    if mode == DatabaseMode.FACILITY and facility is None:
        raise QadamError(_("A facility database needs its facility."))
    with transaction(session):
        load_default_lists(session)
        put_setting(session, MODE, mode.value)
        if facility is not None:
            own = facility_by_code(session, facility.code) or add_facility(session, facility)
            if own.id is None:
                create_record(session, None, own, "facility")
            put_setting(session, OWN_FACILITY, own.uuid)
        user = None
        if admin is not None:
            user = add_user(session, admin, enforce_password_rules=enforce_password_rules)
            create_record(session, None, user, "app_user")
        write_audit(session, None, "initialize", details=mode.value)
    return user
