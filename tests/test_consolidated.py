"""The consolidated (regional) report and the completeness table, on one database holding the
events and volunteers of several facilities (made here through the operations; the package
import that fills a regional database in real life comes later).

Facilities: №69 (home, October locked on time), №54 (October locked late), №12 (held events,
never locked), №07 (nothing at all)."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from dataclasses import fields
from pathlib import Path

import pytest
from openpyxl import load_workbook
from ops_support import (
    home,
    new_event,
    new_facility,
    new_participation,
    new_person,
    new_volunteer,
)
from pypdf import PdfReader
from sqlmodel import Session

from db.models import OutcomeCreate, User
from db.months import Month
from db.ops.month_locks import lock_month
from db.ops.volunteers import create_outcome
from reports.completeness import Status, completeness, deadline_of
from reports.consolidated import (
    RegionReport,
    build_region_report,
    region_summary_rows,
)
from reports.consolidated_excel import write_region_xlsx
from reports.consolidated_pdf import write_region_pdf
from reports.model import MonthlyReport, Pair
from reports.monthly import no_reoffence_rate, volunteers_considered_12m
from reports.texts import format_figure

D = dt.date
OCTOBER = Month(2026, 10)
NOW = dt.datetime(2026, 11, 15, 9, 30)
ROOT = Path(__file__).resolve().parent.parent


def _at(monkeypatch: pytest.MonkeyPatch, day: dt.date) -> None:
    """Locks are stamped with db.clock.now: set the moment a month is submitted."""
    monkeypatch.setattr("db.clock.now",
                        lambda: dt.datetime.combine(day, dt.time(6, 0), tzinfo=dt.UTC))


@pytest.fixture
def region(session: Session, admin: User, fixed_today: dt.date,
           monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    own = home(session)
    f54 = new_facility(session, admin, "54")
    f12 = new_facility(session, admin, "12")
    f07 = new_facility(session, admin, "07")
    ids = {"69": own.id, "54": f54.id, "12": f12.id, "07": f07.id}
    shared = new_person(session, admin, surname="Общий")  # reached in two facilities

    def attendee(person_id: int | None) -> dict:
        return {"person_id": person_id, "category": "released"}

    def event(code: str, day: dt.date, serving: int, released: int, **more: object) -> object:
        fid = ids[code]
        values: dict = dict(facility_id=fid, place_facility_id=fid, event_date=day,
                            count_serving=serving, count_released=released)
        values.update(more)
        return new_event(session, admin, **values)

    e69 = event("69", D(2026, 10, 5), 20, 3, attendees=[attendee(shared.id)])
    event("69", D(2026, 3, 5), 10, 0)  # earlier in the year: year-to-date only
    e54 = event("54", D(2026, 10, 7), 15, 2, attendees=[attendee(shared.id)])
    event("54", D(2026, 10, 1), 8, 0, place_kind="outside", place_facility_id=None,
          place_text="Школа №5", count_community=40)
    event("12", D(2026, 10, 20), 12, 1)

    # volunteers: two at №69 (one re-offends), one at №54
    p1 = new_person(session, admin, surname="Первый", facility_id=ids["69"])
    p2 = new_person(session, admin, surname="Второй", facility_id=ids["69"])
    p3 = new_person(session, admin, surname="Третий", facility_id=ids["54"])
    v1 = new_volunteer(session, admin, p1, facility_id=ids["69"])
    new_volunteer(session, admin, p2, facility_id=ids["69"])
    v3 = new_volunteer(session, admin, p3, facility_id=ids["54"])
    new_participation(session, admin, v1, e69, hours=1.5)
    new_participation(session, admin, v3, e54, hours=2.25)
    create_outcome(session=session, actor=admin, data=OutcomeCreate(
        person_id=p2.id, outcome_date=D(2026, 9, 1), kind="repeat_offence"))

    _at(monkeypatch, D(2026, 11, 3))  # on time (deadline 05.11)
    lock_month(session=session, actor=admin, facility_id=ids["69"], month=OCTOBER)
    _at(monkeypatch, D(2026, 11, 10))  # late
    lock_month(session=session, actor=admin, facility_id=ids["54"], month=OCTOBER)
    return ids


def _summed_fields() -> list[str]:
    skip = {"facility", "month", "generated_at", "events_by_kind", "unique_persons",
            "no_reoffence_rate_12m", "events", "signature"}
    return [item.name for item in fields(MonthlyReport) if item.name not in skip]


def test_total_is_the_sum_of_the_facilities(session: Session, region: dict[str, int]) -> None:
    report = build_region_report(session, month=OCTOBER, now=NOW)
    assert [r.facility.code for r in report.facilities] == ["07", "12", "54", "69"]
    for name in _summed_fields():
        values = [getattr(r, name) for r in report.facilities]
        total = getattr(report.total, name)
        if isinstance(total, Pair):
            assert total.month == pytest.approx(sum(v.month for v in values)), name
            assert total.year == pytest.approx(sum(v.year for v in values)), name
        else:
            assert total == sum(values), name
    assert report.total.events_total == Pair(4, 5)
    assert report.total.volunteer_hours.month == pytest.approx(3.75)
    # events by kind, kind by kind
    for index, kind_count in enumerate(report.total.events_by_kind):
        assert kind_count.events.month == sum(
            r.events_by_kind[index].events.month for r in report.facilities)
    assert len(report.total.events) == 4
    assert [e.event_date for e in report.total.events] == sorted(
        e.event_date for e in report.total.events)


def test_unique_persons_and_rate_by_their_own_definitions(session: Session,
                                                          region: dict[str, int]) -> None:
    report = build_region_report(session, month=OCTOBER, now=NOW)
    # one person named at №69 and at №54: two in the columns, one in the region
    assert sum(r.unique_persons.month for r in report.facilities) == 2
    assert report.total.unique_persons == Pair(1, 1)
    considered = reoffended = 0
    for fid in region.values():
        c, r = volunteers_considered_12m(session, fid, OCTOBER)
        considered, reoffended = considered + c, reoffended + r
    assert (considered, reoffended) == (3, 1)
    assert report.total.no_reoffence_rate_12m == no_reoffence_rate(3, 1) == 66.7


def test_region_rows_line_up(session: Session, region: dict[str, int]) -> None:
    report = build_region_report(session, month=OCTOBER, now=NOW)
    rows = region_summary_rows(report, "ru")
    first = rows[0]
    assert first.number == "1" and first.values == [0, 1, 2, 1, 4]
    assert all(len(row.values) == 5 for row in rows)
    numbers = [row.number for row in rows]
    assert numbers[:3] == ["1", "1.1", "1.2"] and numbers[-1] == "4.4"


def test_completeness_statuses(session: Session, region: dict[str, int]) -> None:
    assert deadline_of(OCTOBER) == D(2026, 11, 5)
    after = {row.facility_code: row for row in
             completeness(session, months=[OCTOBER], today=D(2026, 11, 15))}
    assert after["69"].status == Status.RECEIVED
    assert (after["69"].revision, after["69"].received_at.date()) == (1, D(2026, 11, 3))
    assert after["54"].status == Status.LATE and after["54"].revision == 1
    assert after["12"].status == Status.LATE and after["12"].revision is None  # overdue
    assert after["07"].status == Status.MISSING and after["07"].overdue
    before = {row.facility_code: row for row in
              completeness(session, months=[OCTOBER], today=D(2026, 11, 4))}
    assert before["12"].status == Status.RECEIVED  # data there, deadline not passed
    assert before["07"].status == Status.MISSING and not before["07"].overdue
    # a month with nothing anywhere: all missing
    rows = completeness(session, months=[Month(2026, 8), OCTOBER], today=D(2026, 11, 15))
    assert len(rows) == 8
    assert {r.status for r in rows if r.month == Month(2026, 8)} == {Status.MISSING}


def _report(session: Session) -> RegionReport:
    return build_region_report(session, month=OCTOBER, now=NOW)


def test_xlsx_reads_back(session: Session, region: dict[str, int], tmp_path: Path) -> None:
    report = _report(session)
    path = write_region_xlsx(report, tmp_path / "region.xlsx")
    ws = load_workbook(path).worksheets[0]
    values = [[cell for cell in row] for row in ws.iter_rows(values_only=True)]
    assert values[0][0] == "СВОДНЫЙ ОТЧЁТ" or values[0][0]  # title (translated later)
    head = next(row for row in values if row[0] == "№ п/п" or row[1] and row[2] ==
                report.facilities[0].facility.name)
    assert list(head[2:6]) == [r.facility.name for r in report.facilities]
    first = next(row for row in values if row[0] == "1")
    assert list(first[2:7]) == [0, 1, 2, 1, 4]
    hours = next(row for row in values if row[0] == "3.5")
    assert hours[6] == pytest.approx(3.8) or hours[6] == pytest.approx(3.75)
    text = " ".join(str(cell) for row in values for cell in row if cell is not None)
    assert "54" in text and "01.01.2026" not in text


def test_pdf_contains_the_totals(session: Session, region: dict[str, int],
                                 tmp_path: Path) -> None:
    report = _report(session)
    path = write_region_pdf(report, tmp_path / "region.pdf")
    text = "".join(page.extract_text() for page in PdfReader(path).pages)
    assert format_figure(report.total.attendances_total.month) in text  # 101
    assert "66,7" in text
    for facility in report.facilities:
        assert facility.facility.name.split("№")[-1] in text
    assert "3 из" in text or "of" in text or "из" in text


def test_pdf_landscape_with_many_facilities(session: Session, admin: User,
                                            region: dict[str, int], tmp_path: Path) -> None:
    for code in ("21", "22", "23"):
        new_facility(session, admin, code)
    path = write_region_pdf(_report(session), tmp_path / "wide.pdf")
    box = PdfReader(path).pages[0].mediabox
    assert box.width > box.height


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", QADAM_LANG="ru")
    return subprocess.run([sys.executable, "main.py", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, encoding="utf-8", timeout=120)


def test_cli(session: Session, region: dict[str, int], tmp_path: Path) -> None:
    db = tmp_path / "test.db"
    session.close()
    result = _run("consolidate", "--db", str(db), "--month", "2026-10", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["total"]["events_total"] == {"month": 4, "year": 5}
    assert [f["facility"]["code"] for f in data["facilities"]] == ["07", "12", "54", "69"]
    assert {row["status"] for row in data["completeness"]} <= {"received", "late", "missing"}

    out = tmp_path / "out"
    out.mkdir()
    result = _run("consolidate", "--db", str(db), "--month", "2026-10",
                  "--xlsx", str(out / "r.xlsx"), "--pdf", str(out / "r.pdf"), "--lang", "kk")
    assert result.returncode == 0, result.stderr
    assert (out / "r.xlsx").stat().st_size and (out / "r.pdf").stat().st_size

    for bad in (("--month", "2026-13", "--db", str(db)),
                ("--month", "2026-10", "--db", str(tmp_path / "none.db"))):
        result = _run("consolidate", *bad)
        assert result.returncode == 2
        assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
