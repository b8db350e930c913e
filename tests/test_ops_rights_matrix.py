"""For each role, the operations it may and may not do, called on db/ directly.

tests/test_ops_rights.py covers creating and changing persons, events, facilities, reference
items and accounts; this matrix adds the rest: deletions, participations, outcomes, month
locks, account changes and the audit trail. A refused call writes nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from ops_support import (
    D,
    audit_count,
    home,
    new_event,
    new_facility,
    new_participation,
    new_person,
    new_user,
    new_volunteer,
    topic,
)
from sqlmodel import Session

from db.errors import PermissionDenied
from db.models import (
    OutcomeCreate,
    OutcomeUpdate,
    ParticipationUpdate,
    User,
    UserUpdate,
    VolunteerUpdate,
)
from db.months import Month
from db.ops.accounts import change_password, reset_password, update_user
from db.ops.audit_log import AuditFilter, audit_rows, count_audit
from db.ops.events import delete_event
from db.ops.facilities import delete_facility
from db.ops.month_locks import lock_month, unlock_month
from db.ops.references import delete_item, update_item
from db.ops.volunteers import (
    create_outcome,
    delete_outcome,
    delete_participation,
    delete_volunteer,
    update_outcome,
    update_participation,
    update_volunteer,
)
from db.rights import ALLOWED, Action

pytestmark = pytest.mark.usefixtures("fast_hashing", "fixed_today")

ROLES = ("operator", "head", "admin", "analyst")
RECORDS = {"operator", "head", "admin"}
HEADS = {"head", "admin"}
ADMIN = {"admin"}
EVERYONE = set(ROLES)

Made = dict[str, Any]


def _volunteer_at_event(s: Session, a: User) -> Made:
    volunteer = new_volunteer(s, a, new_person(s, a))
    event = new_event(s, a)
    return {"volunteer": volunteer, "event": event,
            "participation": new_participation(s, a, volunteer, event)}


def _outcome(s: Session, a: User) -> Made:
    return {"outcome": create_outcome(session=s, actor=a, data=OutcomeCreate(
        person_id=new_person(s, a).id, outcome_date=D(2026, 9, 1), kind="repeat_offence"))}


def _locked(s: Session, a: User) -> Made:
    lock_month(session=s, actor=a, facility_id=home(s).id, month=Month(2026, 10))
    return {}


def _someone(s: Session, a: User) -> Made:
    return {"user": new_user(s, a, "operator", login="someone")}


# name: (who may, make the records as admin, the operation as the actor)
MATRIX: dict[str, tuple[set[str], Callable[[Session, User], Made],
                        Callable[[Session, User, Made], object]]] = {
    "delete_event": (RECORDS, lambda s, a: {"event": new_event(s, a)},
                     lambda s, u, m: delete_event(session=s, actor=u, event_id=m["event"].id)),
    "update_volunteer": (RECORDS, lambda s, a: {"volunteer": new_volunteer(s, a, new_person(
        s, a))}, lambda s, u, m: update_volunteer(session=s, actor=u,
                                                  volunteer_id=m["volunteer"].id,
                                                  data=VolunteerUpdate(notes="x"))),
    "delete_volunteer": (RECORDS, lambda s, a: {"volunteer": new_volunteer(s, a, new_person(
        s, a))}, lambda s, u, m: delete_volunteer(session=s, actor=u,
                                                  volunteer_id=m["volunteer"].id)),
    "create_participation": (RECORDS, lambda s, a: {
        "volunteer": new_volunteer(s, a, new_person(s, a)), "event": new_event(s, a)},
        lambda s, u, m: new_participation(s, u, m["volunteer"], m["event"])),
    "update_participation": (RECORDS, _volunteer_at_event, lambda s, u, m: update_participation(
        session=s, actor=u, participation_id=m["participation"].id,
        data=ParticipationUpdate(hours=3))),
    "delete_participation": (RECORDS, _volunteer_at_event, lambda s, u, m: delete_participation(
        session=s, actor=u, participation_id=m["participation"].id)),
    "update_outcome": (RECORDS, _outcome, lambda s, u, m: update_outcome(
        session=s, actor=u, outcome_id=m["outcome"].id, data=OutcomeUpdate(notes="x"))),
    "delete_outcome": (RECORDS, _outcome, lambda s, u, m: delete_outcome(
        session=s, actor=u, outcome_id=m["outcome"].id)),
    "delete_facility": (ADMIN, lambda s, a: {"facility": new_facility(s, a)},
                        lambda s, u, m: delete_facility(session=s, actor=u,
                                                        facility_id=m["facility"].id)),
    "update_item": (ADMIN, lambda s, a: {}, lambda s, u, m: update_item(
        session=s, actor=u, item_id=topic(s).id, name_ru="Новое имя")),
    "delete_item": (ADMIN, lambda s, a: {}, lambda s, u, m: delete_item(
        session=s, actor=u, item_id=topic(s).id)),
    "lock_month": (HEADS, lambda s, a: {}, lambda s, u, m: lock_month(
        session=s, actor=u, facility_id=home(s).id, month=Month(2026, 10))),
    "unlock_month": (HEADS, _locked, lambda s, u, m: unlock_month(
        session=s, actor=u, facility_id=home(s).id, month=Month(2026, 10), reason="ошибка")),
    "reset_password": (ADMIN, _someone, lambda s, u, m: reset_password(
        session=s, actor=u, user_id=m["user"].id, new_password="temporary secret")),
    "update_user": (ADMIN, _someone, lambda s, u, m: update_user(
        session=s, actor=u, user_id=m["user"].id, data=UserUpdate(position="психолог"))),
    "audit_rows": (ADMIN, lambda s, a: {}, lambda s, u, m: audit_rows(s, AuditFilter(),
                                                                       actor=u)),
    "count_audit": (ADMIN, lambda s, a: {}, lambda s, u, m: count_audit(s, AuditFilter(),
                                                                         actor=u)),
    "change_own_password": (EVERYONE, lambda s, a: {}, lambda s, u, m: change_password(
        session=s, actor=u, old_password="long enough password",
        new_password="a brand new secret")),
}
READS = {"audit_rows", "count_audit"}  # allowed, they write nothing


@pytest.mark.parametrize(("role", "operation"), [
    (role, name) for role in ROLES for name in MATRIX])
def test_ops_rights_matrix_by_role(session: Session, admin: User, role: str,
                                   operation: str) -> None:
    allowed, prepare, run = MATRIX[operation]
    # the admin acting is a second administrator, so the password it changes is the known one
    actor = new_user(session, admin, role, login=f"acting.{role}")
    made = prepare(session, admin)
    before = audit_count(session)
    if role in allowed:
        run(session, actor, made)
        if operation not in READS:
            assert audit_count(session) > before
        return
    with pytest.raises(PermissionDenied) as error:
        run(session, actor, made)
    assert actor.login in error.value.message
    session.rollback()
    assert audit_count(session) == before


def test_ops_rights_matrix_declared_rights() -> None:
    """The rights table itself, as the issue states it: heads also lock, unlock and export;
    administrators also manage facilities, lists, accounts and backups; analysts read and
    import, and set the region's deadline day (administrators too)."""
    assert {
        "operator": {Action.READ, Action.EDIT_RECORDS},
        "head": {Action.READ, Action.EDIT_RECORDS, Action.LOCK_MONTHS, Action.UNLOCK_MONTHS,
                 Action.EXPORT_PACKAGE},
        "admin": {Action.READ, Action.EDIT_RECORDS, Action.LOCK_MONTHS, Action.UNLOCK_MONTHS,
                  Action.EXPORT_PACKAGE, Action.EDIT_FACILITIES, Action.EDIT_REFERENCES,
                  Action.MANAGE_USERS, Action.BACKUP, Action.IMPORT_PACKAGE,
                  Action.REGION_SETTINGS},
        "analyst": {Action.READ, Action.IMPORT_PACKAGE, Action.REGION_SETTINGS},
    } == ALLOWED
