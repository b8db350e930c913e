"""Generated spoiled packages given to the regional import: removed, renamed and extra sheets,
huge cells, formulas, wrong types, flipped and cut bytes, files of another kind. Each is refused
with a message, and the regional database keeps every row (an import attempt adds only its
"refused" line to the import history).

Two kinds of hands are simulated: one that edits a package in Excel (its checksums no longer
match: refused whatever the edit), and one that also recomputes the checksums as far as the
file lets it (`resign`), to reach the checks behind them: sheet list, columns, types, and the
values themselves, checked with the core's rules."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import MergedCell
from openpyxl.utils.cell import column_index_from_string, coordinate_from_string
from package_support import World
from sqlalchemy import text
from sqlmodel import Session, SQLModel, select

from db.backup import backup_database
from db.database import Database, open_database
from db.errors import QadamError
from db.models import PackageImport, User
from reports.package import (
    DATE,
    FLOAT,
    IDENT,
    INT,
    META_SHEET,
    TEXT,
    TIME,
    PackageError,
    data_columns,
    meta_digest,
    read_package,
    sheet_digest,
)
from reports.package_import import REFUSED, import_package, table_counts

FAST = settings(max_examples=int(os.environ.get("QADAM_FUZZ_EXAMPLES", "25")), deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow])
EXCEL_CELL_LIMIT = 32_767
SHEETS = data_columns("pseudonymised")
READABLE = ["Отчёт", "Мероприятия"]


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory, migrated_template: Path) -> Iterator[World]:
    with mock.patch("db.clock.today", lambda: dt.date(2026, 11, 15)):
        built = World(tmp_path_factory.mktemp("fuzz-packages"), migrated_template)
    built.regional.dispose()
    built.base = backup_database(built.tmp / "region.db",  # type: ignore[attr-defined]
                                 built.tmp / "region-empty.db")
    built.regional = open_database(built.tmp / "region.db")
    built.original = read_package(built.packages["69"])  # type: ignore[attr-defined]
    yield built
    built.close()


@pytest.fixture
def place() -> Iterator[Callable[[], Path]]:
    folders: list[str] = []

    def make() -> Path:
        folders.append(tempfile.mkdtemp(prefix="qadam-fuzz-"))
        return Path(folders[-1])

    yield make
    for folder in folders:
        shutil.rmtree(folder, ignore_errors=True)


def dump(session: Session) -> dict[str, list[tuple]]:
    """Every table's rows but the import history's."""
    return {table.name: [tuple(row) for row in session.execute(
        text(f'SELECT * FROM "{table.name}" ORDER BY 1')).all()]
        for table in SQLModel.metadata.sorted_tables if table.name != "package_import"}


def history(session: Session) -> list[PackageImport]:
    return list(session.exec(select(PackageImport).order_by(PackageImport.id)))


def refused_and_unchanged(database: Database, path: Path) -> str:
    """Import `path`: it must be refused with a message and change nothing but the history."""
    with database.session() as session:
        analyst = session.exec(select(User).where(User.login == "analyst")).one()
        before, counts, tried = dump(session), table_counts(session), len(history(session))
        # nothing was ever taken: a refusal here is not "that revision is already imported"
        assert all(row.result == REFUSED for row in history(session))
        with pytest.raises(QadamError) as caught:
            import_package(session, actor=analyst, path=path)
        assert dump(session) == before
        after = table_counts(session)
        assert after.pop("package_import") == counts.pop("package_import") + 1
        assert after == counts
        last = history(session)[tried:]
        assert [(row.result, row.file_name) for row in last] == [(REFUSED, path.name)]
    message = caught.value.message
    assert message and "Traceback" not in message
    return message


def resign(path: Path) -> None:
    """Recompute the checksums the description lists, as a forger with the format's notes
    would: a sheet it names that is gone keeps its old checksum; one it does not name stays
    unnamed."""
    wb = load_workbook(path)
    if META_SHEET not in wb.sheetnames:
        return
    meta = wb[META_SHEET]
    for row in meta.iter_rows():
        key = row[0].value
        if isinstance(key, str) and key.startswith("sha256:"):
            title = key.removeprefix("sha256:")
            if title in wb.sheetnames:
                row[1].value = sheet_digest(wb[title])
    entries = [(row[0].value, row[1].value) for row in meta.iter_rows()
               if row[0].value is not None]
    for row in meta.iter_rows():
        if row[0].value == "sha256":
            row[1].value = meta_digest(entries)
    wb.save(path)


def copy_of(world: World, folder: Path, name: str = "package-69.xlsx") -> Path:
    path = folder / name
    shutil.copyfile(world.packages["69"], path)
    return path


def same_as_exported(world: World, path: Path) -> bool:
    """An edit that changed nothing the package says (a value written over itself)."""
    try:
        return read_package(path) == world.original  # type: ignore[attr-defined]
    except PackageError:
        return False


# --- what a hand in Excel does -------------------------------------------------------------------

ALL_SHEETS = [*READABLE, *SHEETS, META_SHEET]
huge_text = st.integers(EXCEL_CELL_LIMIT + 1, EXCEL_CELL_LIMIT + 8000).map(lambda n: "Ә" * n)
any_value = st.one_of(
    huge_text,
    st.sampled_from(["=1+1", "=SUM(I2:I3)", '=HYPERLINK("http://x","y")', "=I2*1000"]),
    # what a hand can type: no control characters (Excel's cells hold none)
    st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=40),
    st.integers(-10**6, 10**6), st.floats(allow_nan=False),
    st.booleans(), st.none(), st.sampled_from(["10.10.2026", "2026-10-10", "вчера"]),
    st.datetimes(min_value=dt.datetime(1900, 1, 1), max_value=dt.datetime(2100, 1, 1)))


@st.composite
def sheet_edits(draw: Any) -> tuple[str, str, str]:
    op = draw(st.sampled_from(["remove", "rename", "add", "move"]))
    sheet = draw(st.sampled_from(ALL_SHEETS))
    name = draw(st.text(alphabet="abcxyzЛистқ _0123456789", min_size=1, max_size=20))
    return op, sheet, name


def apply_sheet_edit(path: Path, edit: tuple[str, str, str]) -> None:
    op, sheet, name = edit
    wb = load_workbook(path)
    wb.security = None  # Excel asks for no password to unlock the structure
    if op == "remove":
        if len(wb.sheetnames) == 1:
            wb.create_sheet("Лист1")
        del wb[sheet]
    elif op == "rename":
        assume(name not in wb.sheetnames)
        wb[sheet].title = name
    elif op == "add":
        assume(name not in wb.sheetnames)
        wb.create_sheet(name, index=ALL_SHEETS.index(sheet))["A1"] = "заметка"
    else:
        wb.move_sheet(sheet, offset=-1 if wb.sheetnames.index(sheet) else 1)
    wb.save(path)


@FAST
@given(edit=sheet_edits(), signed=st.booleans())
def test_fuzz_packages_missing_renamed_or_extra_sheets_are_refused(world: World, place: Any,
                                                                  edit: tuple[str, str, str],
                                                                  signed: bool) -> None:
    path = copy_of(world, place())
    apply_sheet_edit(path, edit)
    if signed:
        resign(path)
    assume(not same_as_exported(world, path))  # the hidden sheet moved: nothing changed
    message = refused_and_unchanged(world.regional, path)
    assert path.name in message or "«" in message or "“" in message, message


@FAST
@given(sheet=st.sampled_from(ALL_SHEETS), row=st.integers(1, 4), column=st.integers(1, 16),
       value=any_value)
def test_fuzz_packages_any_cell_edited_in_excel_is_refused(world: World, place: Any,
                                                          sheet: str, row: int, column: int,
                                                          value: Any) -> None:
    """Huge cells, formulas, texts, numbers, dates, blanks: without new checksums every edit
    that changes what the file says is refused (an edit to the same value changes nothing)."""
    path = copy_of(world, place())
    wb = load_workbook(path)
    cell = wb[sheet].cell(row=row, column=column)
    assume(not isinstance(cell, MergedCell))  # one cell of a merged block takes no value
    cell.value = value
    wb.save(path)
    assume(not same_as_exported(world, path))
    refused_and_unchanged(world.regional, path)


# --- wrong types behind re-signed checksums -----------------------------------------------------

WRONG = {
    INT: st.one_of(st.sampled_from(["двадцать", "10.10.2026", "5 чел.", "=2+3"]),
                   st.floats(allow_nan=False).filter(lambda f: not f.is_integer()),
                   st.booleans(), st.datetimes(min_value=dt.datetime(2000, 1, 1))),
    FLOAT: st.one_of(st.sampled_from(["полтора", "1,5", "=1/2"]), st.booleans()),
    # (a bare number is no wrong type here: in a cell formatted as a date it IS a date)
    DATE: st.one_of(st.sampled_from(["10.10.2026", "2026-10-10", "десятое октября", "=TODAY()"]),
                    st.datetimes(min_value=dt.datetime(2000, 1, 1))
                    .filter(lambda moment: moment.time() != dt.time())),
    TIME: st.one_of(st.sampled_from(["25:99", "1430", "14.30", "14:30:00", "=NOW()"]),
                    st.integers(0, 2400), st.floats(0, 1, exclude_min=True)),
    TEXT: st.one_of(st.sampled_from(["=A1", "=HYPERLINK(\"x\")", "=1+1"]), st.booleans(),
                    st.integers(), st.datetimes(min_value=dt.datetime(2000, 1, 1))),
}
WRONG[IDENT] = WRONG[TEXT]


@st.composite
def typed_edits(draw: Any) -> tuple[str, int, Any]:
    """A cell of the first data row (every data sheet has one) and a value of a wrong type."""
    sheet = draw(st.sampled_from(list(SHEETS)))
    columns = SHEETS[sheet]
    index = draw(st.integers(0, len(columns) - 1))
    return sheet, index + 1, draw(WRONG[columns[index].kind])


@FAST
@given(edit=typed_edits())
def test_fuzz_packages_wrong_types_are_refused_even_with_new_checksums(
        world: World, place: Any, edit: tuple[str, int, Any]) -> None:
    """Text in number columns, dates as text, times not HH:MM, formulas, booleans: refused by
    the types of the columns, not only by the checksums."""
    sheet, column, value = edit
    path = copy_of(world, place())
    wb = load_workbook(path)
    wb[sheet].cell(row=2, column=column).value = value
    wb.save(path)
    resign(path)
    message = refused_and_unchanged(world.regional, path)
    assert "формул" in message or "ожидается" in message, message


# --- bytes --------------------------------------------------------------------------------------

@FAST
@given(data=st.data())
def test_fuzz_packages_flipped_cut_or_foreign_bytes_are_refused(world: World, place: Any,
                                                               data: st.DataObject) -> None:
    raw = world.packages["69"].read_bytes()
    how = data.draw(st.sampled_from(["flip", "cut", "junk", "zip of something else"]))
    if how == "flip":
        damaged = bytearray(raw)
        for position, bit in data.draw(st.lists(st.tuples(st.integers(0, len(raw) - 1),
                                                          st.integers(0, 7)), min_size=1,
                                                max_size=4)):
            damaged[position] ^= 1 << bit
        spoiled = bytes(damaged)
    elif how == "cut":
        spoiled = raw[:data.draw(st.integers(0, len(raw) - 1))]
    elif how == "junk":
        spoiled = data.draw(st.binary(max_size=4096))
    else:
        folder = place()
        other = Workbook()
        other.active["A1"] = data.draw(st.text(alphabet="Отчёт qadam_meta 0123456789",
                                               max_size=50))
        other.save(folder / "other.xlsx")
        spoiled = (folder / "other.xlsx").read_bytes()
    path = place() / "package-69.xlsx"
    path.write_bytes(spoiled)
    assume(not same_as_exported(world, path))  # a flip in zip bookkeeping nothing reads
    refused_and_unchanged(world.regional, path)


# --- forged values behind re-signed checksums ---------------------------------------------------

FORGED = {
    "negative count": ("events", "I2", -5),
    "negative hours": ("participations", "E2", -3.0),
    "huge text cell": ("events", "H2", "Ә" * (EXCEL_CELL_LIMIT + 1)),
    "huge initials": ("persons", "B2", "Ж" * (EXCEL_CELL_LIMIT + 1)),
    "unknown event status": ("events", "O2", "whatever"),
    "unknown attendee category": ("attendees", "C2", "nobody"),
    "unknown role": ("participations", "D2", "boss"),
    "unknown place kind": ("events", "D2", "moon"),
    "enrolled in 1900": ("volunteers", "C2", 2),  # a number in a date cell: 02.01.1900
}


# Re-signed checksums pass, so the import checks every value with the core's rules before
# it writes anything (reports/package_import.py, `_check_values`).
@pytest.mark.parametrize("case", sorted(FORGED))
def test_fuzz_packages_forged_values_are_refused(world: World, place: Any, case: str) -> None:
    folder = place()
    sheet, cell, value = FORGED[case]
    path = copy_of(world, folder)
    wb = load_workbook(path)
    wb[sheet][cell] = value
    wb.save(path)
    resign(path)
    region = folder / "region.db"
    shutil.copyfile(world.base, region)  # type: ignore[attr-defined]
    database = open_database(region)
    try:
        message = refused_and_unchanged(database, path)
    finally:
        database.dispose()
    # the message names the sheet, the Excel row and the column's key
    letters, row = coordinate_from_string(cell)
    column = SHEETS[sheet][column_index_from_string(letters) - 1].key
    assert sheet in message and column in message, message
    assert re.search(rf"\b{row}\b", message), message
