"""A package's values are checked like a user's input before the import writes anything:
checksums prove only that a file is whole, and anyone can recompute them (`resign`). Each
forged value is refused with one message naming the sheet, the Excel row and the column, and
the regional database keeps every row (the attempt adds only its "refused" history line)."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from openpyxl import load_workbook
from ops_support import home
from package_support import NOW, OCTOBER, World
from sqlmodel import col, select
from test_fuzz_packages import refused_and_unchanged, resign

from db.backup import backup_database
from db.database import Database, open_database
from db.models import PackageImport, User
from reports.excel import MAX_CELL_TEXT
from reports.package import META_SHEET, write_package
from reports.package_import import IMPORTED, REFUSED, import_package

TODAY = dt.date(2026, 11, 15)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory, migrated_template: Path) -> Iterator[World]:
    with mock.patch("db.clock.today", lambda: TODAY):
        built = World(tmp_path_factory.mktemp("package-values"), migrated_template)
        with built.facilities["69"].session() as session:
            head = session.exec(select(User).where(User.login == "head")).one()
            full = built.tmp / "package-69-full.xlsx"
            write_package(session, actor=head, facility_id=home(session).id, month=OCTOBER,
                          path=full, personal_data="full", now=NOW)
            built.packages["69-full"] = full
    built.regional.dispose()
    built.base = backup_database(built.tmp / "region.db",  # type: ignore[attr-defined]
                                 built.tmp / "region-empty.db")
    yield built
    built.close()


@pytest.fixture(autouse=True)
def _english_and_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("db.i18n._current", ["en"])
    monkeypatch.setattr("db.clock.today", lambda: TODAY)


@pytest.fixture
def region(world: World, tmp_path: Path) -> Iterator[Database]:
    """A fresh copy of the regional database that knows both facilities and holds no data."""
    path = tmp_path / "region.db"
    shutil.copyfile(world.base, path)  # type: ignore[attr-defined]
    database = open_database(path)
    yield database
    database.dispose()


def forged(world: World, folder: Path, cells: dict[tuple[str, str], Any],
           package: str = "69") -> Path:
    """A copy of a package with some cells changed and its checksums recomputed."""
    path = folder / "package-69.xlsx"
    shutil.copyfile(world.packages[package], path)
    wb = load_workbook(path)
    for (sheet, cell), value in cells.items():
        if isinstance(value, str) and len(value) > MAX_CELL_TEXT:
            # openpyxl cuts what is assigned to Excel's limit; another program need not
            wb[sheet][cell] = ""
            wb[sheet][cell]._value = value
            wb[sheet][cell].data_type = "s"
        else:
            wb[sheet][cell] = value
    wb.save(path)
    resign(path)
    return path


def where(sheet: str, row: int, column: str) -> str:
    return f"package-69.xlsx: sheet “{sheet}”, row {row}, “{column}”: "


def refused_with(database: Database, path: Path, message: str) -> None:
    assert refused_and_unchanged(database, path) == message
    with database.session() as session:
        last = session.exec(select(PackageImport).order_by(col(PackageImport.id).desc())
                            ).first()
        assert last is not None and (last.result, last.message) == (REFUSED, message)


def test_package_values_negative_count_is_refused(world: World, region: Database,
                                                  tmp_path: Path) -> None:
    path = forged(world, tmp_path, {("events", "I2"): -5})
    refused_with(region, path, where("events", 2, "count_serving")
                 + "A count cannot be negative.")


def test_package_values_count_beyond_the_limit_is_refused(world: World, region: Database,
                                                          tmp_path: Path) -> None:
    # 1e20 would not even fit an SQLite integer: refused, not a crash
    path = forged(world, tmp_path, {("events", "M3"): 10**20})
    refused_with(region, path, where("events", 3, "materials_count")
                 + "A count cannot be more than 100000.")


def test_package_values_unknown_status_code_is_refused(world: World, region: Database,
                                                       tmp_path: Path) -> None:
    path = forged(world, tmp_path, {("events", "O2"): "whatever"})
    refused_with(region, path, where("events", 2, "status")
                 + "“whatever” is not one of the allowed values.")


@pytest.mark.parametrize(("sheet", "cell", "value", "column"), [
    ("events", "D2", "moon", "place_kind"),
    ("attendees", "C2", "nobody", "category"),
    ("persons", "D2", "X", "sex"),
    ("persons", "E2", "prisoner", "status"),
    ("volunteers", "E2", "hero", "status"),
    ("participations", "D2", "boss", "role"),
    ("outcomes", "D2", "warning", "kind"),
])
def test_package_values_unknown_codes_of_every_enum_are_refused(
        world: World, region: Database, tmp_path: Path, sheet: str, cell: str, value: str,
        column: str) -> None:
    path = forged(world, tmp_path, {(sheet, cell): value})
    refused_with(region, path, where(sheet, 2, column)
                 + f"“{value}” is not one of the allowed values.")


def test_package_values_enrolment_in_1900_is_refused(world: World, region: Database,
                                                     tmp_path: Path) -> None:
    path = forged(world, tmp_path, {("volunteers", "C2"): dt.datetime(1900, 5, 5)})
    refused_with(region, path, where("volunteers", 2, "enrolled_on")
                 + "The date 05.05.1900 is too early.")


def test_package_values_event_in_2090_is_refused(world: World, region: Database,
                                                 tmp_path: Path) -> None:
    path = forged(world, tmp_path, {("events", "B2"): dt.datetime(2090, 10, 10)})
    refused_with(region, path, where("events", 2, "event_date")
                 + "The date 10.10.2090 is in the future: only a planned event may be "
                   "dated ahead.")
    # planned, it may be ahead of today, but not outside the package's month
    path = forged(world, tmp_path, {("events", "B2"): dt.datetime(2090, 10, 10),
                                    ("events", "O2"): "planned"})
    refused_with(region, path, where("events", 2, "event_date")
                 + "The date 10.10.2090 is not in the package's month 2026-10.")


def test_package_values_month_not_begun_is_refused(world: World, region: Database,
                                                   tmp_path: Path) -> None:
    wb = load_workbook(world.packages["69"])
    [month] = [row[1].coordinate for row in wb[META_SHEET].iter_rows()
               if row[0].value == "month"]
    path = forged(world, tmp_path, {(META_SHEET, month): "2090-10"})
    refused_with(region, path, "package-69.xlsx is the package of 2090-10, which has not "
                               "begun yet: only a month that has begun can be imported.")


def test_package_values_negative_or_too_many_hours_are_refused(world: World, region: Database,
                                                               tmp_path: Path) -> None:
    for hours in (-3.0, 25):
        path = forged(world, tmp_path, {("participations", "E2"): hours})
        refused_with(region, path, where("participations", 2, "hours")
                     + "Hours must be between 0 and 24.")


def test_package_values_texts_longer_than_the_model_or_excel_allow_are_refused(
        world: World, region: Database, tmp_path: Path) -> None:
    path = forged(world, tmp_path, {("events", "H2"): "Ә" * 201})
    refused_with(region, path, where("events", 2, "responsible")
                 + "At most 200 characters are allowed here.")
    path = forged(world, tmp_path, {("persons", "B2"): "Ж" * (MAX_CELL_TEXT + 1)})
    refused_with(region, path, where("persons", 2, "initials")
                 + "At most 32767 characters are allowed here.")
    # notes have no length of their own in the model: Excel's limit still holds
    path = forged(world, tmp_path, {("events", "R2"): "Ә" * (MAX_CELL_TEXT + 1)}, "69-full")
    refused_with(region, path, where("events", 2, "notes")
                 + "At most 32767 characters are allowed here.")


def test_package_values_broken_identifier_is_refused(world: World, region: Database,
                                                     tmp_path: Path) -> None:
    path = forged(world, tmp_path, {("event_topics", "A2"): "not-a-uuid"})
    refused_with(region, path, where("event_topics", 2, "event_uuid")
                 + "This is not a record identifier (UUID).")


def test_package_values_full_package_checks_names_and_iin(world: World, region: Database,
                                                          tmp_path: Path) -> None:
    path = forged(world, tmp_path, {("persons", "C2"): ""}, "69-full")
    refused_with(region, path, where("persons", 2, "name") + "The first name is required.")
    path = forged(world, tmp_path, {("persons", "E2"): "123456789012"}, "69-full")
    message = refused_and_unchanged(region, path)
    assert message.startswith(where("persons", 2, "iin")), message


def test_package_values_row_number_is_the_excel_row(world: World, region: Database,
                                                    tmp_path: Path) -> None:
    """A blank row inside a sheet is skipped by the reader: the message still names the row
    a person sees in Excel."""
    path = tmp_path / "package-69.xlsx"
    shutil.copyfile(world.packages["69"], path)
    wb = load_workbook(path)
    wb["events"].insert_rows(3)
    wb["events"]["J4"] = -1  # count_released of the second event
    wb.save(path)
    resign(path)
    refused_with(region, path, where("events", 4, "count_released")
                 + "A count cannot be negative.")


def test_package_values_right_values_behind_new_checksums_are_imported(
        world: World, region: Database, tmp_path: Path) -> None:
    """The check refuses wrong values, not re-signed files: the checksums are no signature,
    and a plausible value is taken."""
    path = forged(world, tmp_path, {("events", "I2"): 21})
    with region.session() as session:
        analyst = session.exec(select(User).where(User.login == "analyst")).one()
        assert import_package(session, actor=analyst, path=path).revision == 1
        assert [row.result for row in session.exec(select(PackageImport))] == [IMPORTED]


def test_package_values_full_package_is_imported(world: World, region: Database) -> None:
    """A full package's persons (names, IIN, dates) pass the person rules."""
    with region.session() as session:
        analyst = session.exec(select(User).where(User.login == "analyst")).one()
        result = import_package(session, actor=analyst, path=world.packages["69-full"])
        assert (result.revision, result.counts["persons"]) == (1, 2)
