"""Reading the audit trail: filters, search, paging, rights; exports recorded in it.

That each change writes exactly one entry with its old and new values is tested with each
operation (tests/test_ops_*.py, accounts and month locks included), and that sqlite3 cannot
UPDATE or DELETE an entry in tests/test_migrations.py."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from ops_support import audit_count, new_audit, new_event, new_person, new_user
from sqlmodel import Session

from db.database import Database
from db.errors import PermissionDenied
from db.models import AuditEntry, PersonUpdate, User
from db.months import Month
from db.ops.audit_log import (
    AuditFilter,
    AuditRow,
    action_label,
    audit_actions,
    audit_logins,
    audit_rows,
    change_lines,
    count_audit,
    record_export,
)
from db.ops.persons import update_person

pytestmark = pytest.mark.usefixtures("fast_hashing", "fixed_today")


def local(day: dt.date, hour: int) -> dt.datetime:
    """An instant given in the PC's local time, as the trail stores it (UTC)."""
    return dt.datetime.combine(day, dt.time(hour)).astimezone().astimezone(dt.UTC)


@pytest.fixture
def trail(session: Session, admin: User) -> list[AuditEntry]:
    """A fresh trail of known entries (the set-up's own entries are there too, dated now)."""
    entries = [
        AuditEntry(at=local(dt.date(2026, 10, 1), 9), user_login="aigul", action="create",
                   table_name="person", record_uuid="p-1",
                   changes=json.dumps({"surname": "Әлібеков"}, ensure_ascii=False)),
        AuditEntry(at=local(dt.date(2026, 10, 1), 23), user_login="aigul", action="update",
                   table_name="person", record_uuid="p-1",
                   changes=json.dumps({"surname": ["Әлібеков", "Семёнов"]},
                                      ensure_ascii=False)),
        AuditEntry(at=local(dt.date(2026, 10, 2), 0), user_login="bolat", action="delete",
                   table_name="event", record_uuid="e-1", changes="{}",
                   details="100% done_by_hand"),
        AuditEntry(at=local(dt.date(2026, 10, 5), 12), user_login="bolat", action="login",
                   table_name="app_user", record_uuid="u-2", changes="{}"),
    ]
    session.add_all(entries)
    session.commit()
    return entries


def ids(rows: list[AuditRow]) -> list[int]:
    return [row.id for row in rows]


@pytest.mark.parametrize(("f", "expected"), [
    (AuditFilter(user_login="aigul"), [1, 0]),
    (AuditFilter(action="delete"), [2]),
    (AuditFilter(table_name="person"), [1, 0]),
    (AuditFilter(record_uuid="p-1"), [1, 0]),
    (AuditFilter(user_login="bolat", table_name="person"), []),
    # local calendar days, both ends included: 23:00 on the 1st is the 1st, 00:00 the 2nd
    (AuditFilter(date_from=dt.date(2026, 10, 1), date_to=dt.date(2026, 10, 1)), [1, 0]),
    (AuditFilter(date_from=dt.date(2026, 10, 2), date_to=dt.date(2026, 10, 5)), [3, 2]),
    (AuditFilter(date_to=dt.date(2026, 9, 30)), []),
    # search: any case of every letter, ё as е, each word somewhere in the entry
    (AuditFilter(search="әлібеков"), [1, 0]),
    (AuditFilter(search="СЕМЕНОВ"), [1]),
    (AuditFilter(search="aigul семенов"), [1]),
    (AuditFilter(search="100%"), [2]),  # % and _ are plain characters
    (AuditFilter(search="done_by"), [2]),
    (AuditFilter(search="10_%"), []),
])
def test_ops_audit_log_filters(session: Session, admin: User, trail: list[AuditEntry],
                               f: AuditFilter, expected: list[int]) -> None:
    # only the known entries: their dates are in October, the set-up's are today
    if f.date_from is None and f.date_to is None:
        f = AuditFilter(**{**f.__dict__, "date_to": dt.date(2026, 10, 31)})
    rows = audit_rows(session, f, actor=admin)
    assert ids(rows) == [trail[i].id for i in expected]
    assert count_audit(session, f, actor=admin) == len(expected)


def test_ops_audit_log_rows_are_plain_values(session: Session, admin: User,
                                             trail: list[AuditEntry]) -> None:
    [row] = audit_rows(session, AuditFilter(action="update"), actor=admin)
    assert row == AuditRow(id=trail[1].id, at=local(dt.date(2026, 10, 1), 23),
                           user_login="aigul", action="update", table_name="person",
                           record_uuid="p-1", changes={"surname": ["Әлібеков", "Семёнов"]},
                           details="")
    assert row.at.tzinfo is not None and row.at.utcoffset() == dt.timedelta(0)
    assert change_lines(row.action, row.changes) == ["surname: Әлібеков → Семёнов"]


def test_ops_audit_log_paging_and_order(session: Session, admin: User,
                                        trail: list[AuditEntry]) -> None:
    total = count_audit(session, actor=admin)
    everything = audit_rows(session, actor=admin, limit=1000)
    assert len(everything) == total
    assert ids(everything) == sorted(ids(everything), reverse=True)  # newest first
    pages = [audit_rows(session, actor=admin, offset=offset, limit=2)
             for offset in range(0, total, 2)]
    assert [row for page in pages for row in page] == everything
    oldest = audit_rows(session, actor=admin, limit=3, newest_first=False)
    assert ids(oldest) == sorted(ids(everything))[:3]


def test_ops_audit_log_reading_needs_an_administrator(session: Session, admin: User) -> None:
    for role in ("operator", "head", "analyst"):
        actor = new_user(session, admin, role)
        with pytest.raises(PermissionDenied):
            audit_rows(session, actor=actor)
        with pytest.raises(PermissionDenied):
            count_audit(session, actor=actor)


def test_ops_audit_log_actions_and_logins_for_filters(session: Session, admin: User,
                                                      trail: list[AuditEntry]) -> None:
    assert audit_actions(session) == ["create", "delete", "initialize", "login", "update"]
    assert audit_logins(session) == ["aigul", "bolat", "system"]


def test_ops_audit_log_change_lines_by_action(session: Session, admin: User) -> None:
    person = new_person(session, admin)
    before = audit_count(session)
    update_person(session=session, actor=admin, person_id=person.id,
                  data=PersonUpdate(district="Абайский", release_date=None))
    [row] = audit_rows(session, AuditFilter(action="update"), actor=admin)
    assert change_lines(row.action, row.changes) == ["district: — → Абайский",
                                                     "release_date: 10.01.2026 → —"]
    event = new_event(session, admin, topic_ids=[])
    created = audit_rows(session, AuditFilter(record_uuid=event.uuid), actor=admin)
    lines = change_lines(created[0].action, created[0].changes)
    assert "event_date: 10.10.2026" in lines
    assert "topic_ids: []" in lines  # a list in a created record's values stays a value
    assert len(new_audit(session, before)) == 2
    assert action_label("update", "ru") and action_label("frobnicate", "ru") == "frobnicate"


def test_ops_audit_log_record_export_commits_one_entry(session: Session, database: Database,
                                                       admin: User) -> None:
    before = audit_count(session)
    record_export(session, admin, what="monthly_report_xlsx", facility_code="69",
                  month=Month(2026, 10), personal_data="none", path="/tmp/report.xlsx")
    record_export(session, None, what="audit_trail", facility_code="69", month=None,
                  personal_data="full", path="/tmp/audit.xlsx")
    with database.session() as other:  # committed: another session sees them
        first, second = new_audit(other, before)
    assert (first.action, first.user_login, second.user_login) == ("export", "admin", "system")
    assert json.loads(first.changes) == {
        "what": "monthly_report_xlsx", "facility": "69", "month": "2026-10",
        "personal_data": "none", "path": "/tmp/report.xlsx"}
    assert json.loads(second.changes)["month"] is None
    with pytest.raises(ValueError):
        record_export(session, admin, what="x", facility_code="69", month=None,
                      personal_data="some", path="/tmp/x")
