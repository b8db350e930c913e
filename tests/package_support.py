"""Two facility databases with a locked October and their packages, and a regional database
that knows both facilities: the world the package import tests (and the region page's) use."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from ops_support import (
    D,
    agency,
    article,
    home,
    iin_for,
    new_event,
    new_facility,
    new_participation,
    new_person,
    new_user,
    new_volunteer,
    topic,
)
from sqlmodel import Session, select

from db.database import Database, open_database
from db.models import AttendeeInput, FacilityCreate, OutcomeCreate, User, UserCreate
from db.months import Month
from db.ops.month_locks import lock_month
from db.ops.setup import initialize
from db.ops.volunteers import create_outcome
from db.values import DatabaseMode
from reports.model import MonthlyReport
from reports.monthly import build_monthly_report
from reports.package import write_package

OCTOBER = Month(2026, 10)
NOW = dt.datetime(2026, 11, 15, 9, 30, tzinfo=dt.UTC)


def _open(template: Path, path: Path) -> Database:
    shutil.copyfile(template, path)
    return open_database(path)


def _admin(session: Session, mode: DatabaseMode, code: str | None = None) -> User:
    facility = (FacilityCreate(code=code, name=f"Учреждение №{code}", facility_type="medium")
                if code else None)
    user = initialize(session, mode=mode, facility=facility, admin=UserCreate(
        login="admin", full_name="Админов Админ", role="admin", password="correct horse"))
    assert user is not None
    return user


def _fill(session: Session, admin: User, serial: int, events: int) -> None:
    first = new_person(session, admin, surname="Жумабеков", name="Нурлан",
                       iin=iin_for(D(1985, 3, 7), serial=serial), birth_date=D(1985, 3, 7))
    second = new_person(session, admin, surname="Сейтова", name="Айгерим",
                        iin=iin_for(D(1992, 5, 1), serial=serial + 40), birth_date=D(1992, 5, 1))
    volunteer = new_volunteer(session, admin, first)
    event = new_event(session, admin, topic_ids=[topic(session).id],
                      agency_ids=[agency(session).id],
                      attendees=[AttendeeInput(person_id=first.id, category="released"),
                                 AttendeeInput(person_id=second.id, category="serving")])
    for day in range(events - 1):
        new_event(session, admin, event_date=D(2026, 10, 20 + day), count_community=3 + day)
    new_participation(session, admin, volunteer, event, hours=1.5)
    create_outcome(session=session, actor=admin, data=OutcomeCreate(
        person_id=first.id, outcome_date=D(2026, 8, 1), kind="repeat_offence",
        article_id=article(session).id))


class World:
    def __init__(self, tmp: Path, template: Path) -> None:
        self.tmp = tmp
        self.facilities: dict[str, Database] = {}
        self.reports: dict[str, MonthlyReport] = {}
        self.packages: dict[str, Path] = {}
        for code, serial, events in (("69", 1, 2), ("70", 7, 3)):
            database = _open(template, tmp / f"f{code}.db")
            self.facilities[code] = database
            with database.session() as session:
                admin = _admin(session, DatabaseMode.FACILITY, code)
                head = new_user(session, admin, "head")
                _fill(session, admin, serial, events)
                lock_month(session=session, actor=head, facility_id=home(session).id,
                           month=OCTOBER)
                self.packages[code] = self.export(code)
        self.regional = _open(template, tmp / "region.db")
        with self.regional.session() as session:
            admin = _admin(session, DatabaseMode.REGIONAL)
            for code in ("69", "70"):
                new_facility(session, admin, code, name=f"Учреждение №{code}",
                             facility_type="medium", region="")
            new_user(session, admin, "analyst")
            new_user(session, admin, "operator")

    def export(self, code: str, name: str = "") -> Path:
        path = self.tmp / (name or f"package-{code}.xlsx")
        with self.facilities[code].session() as session:
            head = session.exec(select(User).where(User.login == "head")).one()
            write_package(session, actor=head, facility_id=home(session).id, month=OCTOBER,
                          path=path, now=NOW)
            self.reports[code] = build_monthly_report(
                session, facility_id=home(session).id, month=OCTOBER, now=NOW)
        return path

    def close(self) -> None:
        for database in (*self.facilities.values(), self.regional):
            database.dispose()
