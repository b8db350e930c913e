"""Importing packages into a regional database: two facility databases export, one regional
database imports; refusals leave the data as it was (only a "refused" history row is added)."""

from __future__ import annotations

import datetime as dt
from dataclasses import fields
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from ops_support import (
    D,
    home,
)
from package_support import NOW, OCTOBER, World, _admin, _open
from sqlalchemy import text
from sqlmodel import Session, SQLModel, select

from db.errors import PermissionDenied
from db.models import (
    AuditEntry,
    Event,
    EventUpdate,
    PackageImport,
    Person,
    User,
)
from db.ops.events import update_event
from db.ops.month_locks import lock_month, unlock_month
from db.values import DatabaseMode
from reports.completeness import Status, completeness
from reports.consolidated import build_region_report
from reports.model import MonthlyReport
from reports.package import PackageError, read_package
from reports.package_import import IMPORTED, REFUSED, import_package, table_counts

_SKIP = {"facility", "month", "generated_at", "events", "signature", "unique_persons",
         "no_reoffence_rate_12m", "events_by_kind"}


@pytest.fixture(autouse=True)
def _source_language(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("db.i18n._current", ["en"])


@pytest.fixture
def world(migrated_template: Path, tmp_path: Path, fixed_today: dt.date) -> Any:
    built = World(tmp_path, migrated_template)
    yield built
    built.close()


def _user(session: Session, login: str) -> User:
    return session.exec(select(User).where(User.login == login)).one()


def _import(session: Session, path: Path, login: str = "analyst") -> Any:
    return import_package(session, actor=_user(session, login), path=path)


def _dump(session: Session) -> dict[str, list[Any]]:
    """Every table's rows but the import history's, for "nothing changed" checks."""
    return {table.name: [tuple(row) for row in session.execute(
        text(f'SELECT * FROM "{table.name}" ORDER BY 1')).all()]
        for table in SQLModel.metadata.sorted_tables if table.name != "package_import"}


def _history(session: Session) -> list[PackageImport]:
    return list(session.exec(select(PackageImport).order_by(PackageImport.id)))


def test_import_round_trip_sums_the_facilities(world: World,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    moments = iter([dt.datetime(2026, 11, 3, 10, tzinfo=dt.UTC),
                    dt.datetime(2026, 11, 9, 10, tzinfo=dt.UTC)])
    monkeypatch.setattr("db.clock.now", lambda: next(moments))
    with world.regional.session() as session:
        first = _import(session, world.packages["69"])
        second = _import(session, world.packages["70"])
        assert (first.revision, first.replaced_revision, second.facility_code) == (1, None, "70")
        region = build_region_report(session, month=OCTOBER, now=NOW)
        assert [r.result for r in _history(session)] == [IMPORTED, IMPORTED]
        audited = session.exec(select(AuditEntry).where(AuditEntry.action == "import")).all()
        assert [entry.user_login for entry in audited] == ["analyst", "analyst"]
        rows = completeness(session, months=[OCTOBER], today=dt.date(2026, 11, 15))
    facility_reports = [world.reports["69"], world.reports["70"]]
    for item in fields(MonthlyReport):
        if item.name in _SKIP:
            continue
        for imported, source in zip(region.facilities, facility_reports, strict=True):
            assert getattr(imported, item.name) == getattr(source, item.name), item.name
        values = [getattr(report, item.name) for report in facility_reports]
        total = getattr(region.total, item.name)
        if hasattr(total, "month"):
            assert total.month == pytest.approx(sum(v.month for v in values)), item.name
            assert total.year == pytest.approx(sum(v.year for v in values)), item.name
        else:
            assert total == sum(values), item.name
    # no person is shared between the two facilities: unique persons add up too
    assert region.total.unique_persons.month == sum(
        r.unique_persons.month for r in facility_reports)
    assert [len(r.events) for r in region.facilities] == [2, 3]
    assert [(row.facility_code, row.status, row.revision) for row in rows] == [
        ("69", Status.RECEIVED, 1), ("70", Status.LATE, 1)]  # by the import's date


def test_import_same_revision_is_refused_and_changes_nothing(world: World) -> None:
    with world.regional.session() as session:
        _import(session, world.packages["69"])
        before, counts = _dump(session), table_counts(session)
        with pytest.raises(PackageError, match="revision 1 is already imported"):
            _import(session, world.packages["69"])
        assert _dump(session) == before
        assert table_counts(session)["event"] == counts["event"]
        history = _history(session)
        assert [r.result for r in history] == [IMPORTED, REFUSED]
        assert history[-1].revision == 1 and "already imported" in history[-1].message


def test_import_newer_revision_replaces_without_duplicates(world: World) -> None:
    with world.regional.session() as session:
        _import(session, world.packages["69"])
        counts = table_counts(session)
        first = build_region_report(session, month=OCTOBER, now=NOW).facilities[0]
    with world.facilities["69"].session() as session:
        head = _user(session, "head")
        admin = _user(session, "admin")
        facility_id = home(session).id
        unlock_month(session=session, actor=head, facility_id=facility_id, month=OCTOBER,
                     reason="a count was wrong")
        event = session.exec(select(Event).where(Event.event_date == D(2026, 10, 20))).one()
        update_event(session=session, actor=admin, event_id=event.id,
                     data=EventUpdate(count_community=30))
        lock_month(session=session, actor=head, facility_id=facility_id, month=OCTOBER)
    newer = world.export("69", "package-69-r2.xlsx")
    with world.regional.session() as session:
        result = _import(session, newer)
        assert (result.revision, result.replaced_revision) == (2, 1)
        after = table_counts(session)
        assert {k: v for k, v in after.items() if k != "package_import"} == {
            k: v for k, v in counts.items() if k != "package_import"}
        region = build_region_report(session, month=OCTOBER, now=NOW)
        changed = [item.name for item in fields(MonthlyReport) if item.name not in _SKIP
                   and getattr(region.facilities[0], item.name) != getattr(first, item.name)]
        assert changed  # the new count shows
        for item in fields(MonthlyReport):
            if item.name not in _SKIP:
                assert getattr(region.facilities[0], item.name) == getattr(
                    world.reports["69"], item.name), item.name
        assert region.completeness[0].revision == 2
        with pytest.raises(PackageError, match="revision 2 is already imported"):
            _import(session, world.packages["69"])  # the older one, now


def test_import_never_downgrades_a_full_person(world: World) -> None:
    uuid = read_package(world.packages["69"]).persons[0]["uuid"]
    with world.regional.session() as session:
        session.add(Person(uuid=uuid, surname="Фамилия", name="Имя", iin=None))
        session.commit()
        _import(session, world.packages["69"])
        kept = session.exec(select(Person).where(Person.uuid == uuid)).one()
        assert (kept.surname, kept.name) == ("Фамилия", "Имя")
        others = session.exec(select(Person).where(Person.uuid != uuid)).all()
        assert others and all(p.name == "" and p.surname.endswith(".") and p.iin is None
                              for p in others)


def test_import_unknown_reference_code_refuses_the_whole_file(world: World) -> None:
    with world.regional.session() as session:
        session.execute(text("UPDATE reference_item SET code = 'renamed' "
                             "WHERE code = 'addiction_prevention'"))
        session.commit()
        before = _dump(session)
        with pytest.raises(PackageError, match="addiction_prevention"):
            _import(session, world.packages["69"])
        assert _dump(session) == before
        assert [r.result for r in _history(session)] == [REFUSED]


def _flip(path: Path) -> Path:
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    damaged = path.with_name("flipped.xlsx")
    damaged.write_bytes(bytes(data))
    return damaged


def _edit(path: Path) -> Path:
    wb = load_workbook(path)
    wb["events"]["I2"] = 999  # count_serving of the first event
    edited = path.with_name("edited.xlsx")
    wb.save(edited)
    return edited


@pytest.mark.parametrize(("spoil", "words"), [(_flip, "damaged"), (_edit, "changed after")])
def test_import_refuses_spoiled_files_and_keeps_the_data(world: World, spoil: Any,
                                                         words: str) -> None:
    bad = spoil(world.packages["69"])
    with world.regional.session() as session:
        _import(session, world.packages["70"])
        before = _dump(session)
        with pytest.raises(PackageError, match=words):
            _import(session, bad)
        assert _dump(session) == before
        refused = _history(session)[-1]
        assert (refused.result, refused.file_name, refused.facility_id) == (
            REFUSED, bad.name, None)


def test_import_rights_and_mode(world: World) -> None:
    with world.regional.session() as session:
        with pytest.raises(PermissionDenied):
            _import(session, world.packages["69"], login="operator")
        assert _history(session) == []
        assert _import(session, world.packages["69"], login="admin").revision == 1
    with world.facilities["70"].session() as session, pytest.raises(
            PackageError, match="regional database"):
        _import(session, world.packages["69"], login="admin")


def test_import_unknown_facility_is_refused_unless_added(world: World,
                                                         migrated_template: Path) -> None:
    other = _open(migrated_template, world.tmp / "other-region.db")
    try:
        with other.session() as session:
            admin = _admin(session, DatabaseMode.REGIONAL)
            before = _dump(session)
            with pytest.raises(PackageError, match="Add the facility first"):
                _import(session, world.packages["69"], login="admin")
            assert _dump(session) == before
            import_package(session, actor=admin, path=world.packages["69"],
                           add_facility_if_unknown=True)
            assert table_counts(session)["facility"] == 1
            assert table_counts(session)["event"] == 2
    finally:
        other.dispose()


def test_cli_package_import(world: World, monkeypatch: pytest.MonkeyPatch,
                            capsys: pytest.CaptureFixture[str]) -> None:
    import main

    monkeypatch.setenv("QADAM_PASSWORD", "long enough password")
    monkeypatch.setenv("QADAM_LANG", "en")
    world.regional.dispose()
    db = str(world.tmp / "region.db")
    argv = ["package", "import", "--db", db, "--user", "analyst"]
    assert main.main([*argv, str(world.packages["69"]), str(world.packages["70"])]) == 0
    assert len(capsys.readouterr().out.strip().splitlines()) == 2
    # one refused (the same revision again), one file missing: both tried, exit 2
    assert main.main([*argv, str(world.packages["69"]), str(world.tmp / "absent.xlsx")]) == 2
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 2 and all("отклонён" in line for line in lines)  # Russian default
    assert main.main(["package", "import", "--db", db, "--user", "operator",
                      str(world.packages["69"])]) == 2
