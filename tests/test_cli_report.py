"""`qadam report` as a user runs it: the figures as JSON, the table, the files, one-line errors."""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from cli_support import assert_one_line_error as one_line_error
from cli_support import run_main
from ops_support import home, kind, new_event, new_participation, new_person, new_volunteer
from sqlmodel import Session

from db.database import open_database
from db.models import User, UserCreate
from db.months import Month
from db.ops.common import create_record, transaction
from db.ops.users import add_user
from reports.monthly import build_monthly_report

D = dt.date


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("data")


def run(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_main(*args, data_dir=data_dir)


def assert_one_line_error(result: subprocess.CompletedProcess[str]) -> str:
    return one_line_error(result, nothing_on_stdout=True)


@pytest.fixture(scope="module")
def small_db(tmp_path_factory: pytest.TempPathFactory, data_dir: Path) -> Iterator[Path]:
    """`qadam init`, then a little of October 2026 through the operations:
    E1 05.10 in №69, 20 serving + 2 released, named S and R; E2 12.10 outside, 4 released +
    50 community, named R again; a planned event (not counted); volunteer V (enrolled
    01.09.2026) at E2 for 2.5 h."""
    path = tmp_path_factory.mktemp("cli") / "small.db"
    created = run(data_dir, "init", "--db", str(path), "--facility", "69",
                  "--facility-name", "Учреждение №69", "--facility-type", "medium")
    assert created.returncode == 0, created.stderr
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("db.clock.today", lambda: D(2026, 11, 15))  # the builders' dates
        database = open_database(path)
        with database.session() as session:
            admin = add_user(session, UserCreate(login="admin", full_name="Админов Админ",
                                                 role="admin", password="correct horse"))
            with transaction(session):
                create_record(session, None, admin, "app_user")
            _fill(session, admin)
        database.dispose()
    yield path


def _fill(session: Session, admin: User) -> None:
    s = new_person(session, admin, surname="Серикбаев", status="serving", release_date=None)
    r = new_person(session, admin, surname="Рахимов")
    v = new_volunteer(session, admin, new_person(session, admin, surname="Волков"),
                      enrolled_on=D(2026, 9, 1), consent_date=D(2026, 9, 1))
    new_event(session, admin, event_date=D(2026, 10, 5), count_serving=20, count_released=2,
              attendees=[{"person_id": s.id, "category": "serving"},
                         {"person_id": r.id, "category": "released"}])
    e2 = new_event(session, admin, event_date=D(2026, 10, 12), place_kind="outside",
                   place_facility_id=None, place_text="Парк «Кенсай»",
                   kind_id=kind(session, "action").id, count_serving=0, count_released=4,
                   count_community=50, attendees=[{"person_id": r.id, "category": "released"}])
    new_event(session, admin, event_date=D(2026, 10, 28), status="planned")
    new_participation(session, admin, v, e2, hours=2.5)
    assert home(session).code == "69"


def test_cli_report_json(small_db: Path, data_dir: Path) -> None:
    result = run(data_dir, "report", "--db", str(small_db), "--facility", "69",
                 "--month", "2026-10", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)  # stdout holds the JSON and nothing else
    assert data["month"] == "2026-10"
    assert data["facility"]["code"] == "69"
    assert data["events_total"] == {"month": 2, "year": 2}  # the planned one is not counted
    assert data["events_inside"] == {"month": 1, "year": 1}
    assert data["events_outside"] == {"month": 1, "year": 1}
    assert data["attendances_total"] == {"month": 76, "year": 76}  # 20 + 2 + 4 + 50
    assert data["unique_persons"] == {"month": 2, "year": 2}  # S, R (R at both events)
    assert data["volunteers_taking_part"] == {"month": 1, "year": 1}
    assert data["volunteer_hours"] == {"month": 2.5, "year": 2.5}
    assert data["volunteers_active_at_end"] == 1
    assert data["no_reoffence_rate_12m"] == 100.0
    assert [e["place"] for e in data["events"]] == ["Учреждение №69", "Парк «Кенсай»"]
    assert data["signature"] == {"prepared_by": "", "position": "", "phone": "",
                                 "head_name": ""}
    # the same figures as the library's, from the same data
    database = open_database(small_db)
    try:
        with database.session() as session:
            report = build_monthly_report(session, facility_id=home(session).id,
                                          month=Month(2026, 10))
    finally:
        database.dispose()
    expected = report.as_json_dict()
    assert {k: v for k, v in data.items() if k != "generated_at"} == {
        k: v for k, v in expected.items() if k != "generated_at"}
    dt.datetime.fromisoformat(data["generated_at"])


def test_cli_report_month_without_data_gives_zeros(small_db: Path, data_dir: Path) -> None:
    result = run(data_dir, "report", "--db", str(small_db), "--facility", "69",
                 "--month", "2019-03", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["events_total"] == {"month": 0, "year": 0}
    assert data["events"] == []
    assert data["no_reoffence_rate_12m"] is None
    assert all(k["events"] == {"month": 0, "year": 0} for k in data["events_by_kind"])


def test_cli_report_table_in_kazakh(small_db: Path, data_dir: Path) -> None:
    # --lang before the subcommand is kept (the subcommand's own --lang does not reset it)
    for args in (["--lang", "kk", "report"], ["report", "--lang", "kk"]):
        result = run(data_dir, *args, "--db", str(small_db), "--facility", " 69 ",
                     "--month", "2026-10")
        assert result.returncode == 0, result.stderr
        lines = result.stdout.splitlines()
        assert lines[0].split()[0] == "1" and lines[0].split()[-2:] == ["2", "2"]
        assert any("Есірткіге қарсы акция  1  1" in line for line in lines), result.stdout


@pytest.mark.parametrize("month", ["2026-13", "октябрь", "2026-1", ""])
def test_cli_report_bad_month(small_db: Path, data_dir: Path, month: str) -> None:
    result = run(data_dir, "report", "--db", str(small_db), "--facility", "69",
                 "--month", month, "--json")
    line = assert_one_line_error(result)
    assert "2026-10" in line  # the message shows how to write a month


def test_cli_report_unknown_facility(small_db: Path, data_dir: Path) -> None:
    result = run(data_dir, "report", "--db", str(small_db), "--facility", "70",
                 "--month", "2026-10", "--json")
    assert "70" in assert_one_line_error(result)


def test_cli_report_missing_database(tmp_path: Path, data_dir: Path) -> None:
    missing = tmp_path / "none.db"
    result = run(data_dir, "report", "--db", str(missing), "--facility", "69",
                 "--month", "2026-10", "--json")
    assert_one_line_error(result)
    assert list(tmp_path.iterdir()) == []  # nothing was created in its place


@pytest.mark.parametrize("args", [
    ["report", "--facility", "69", "--month", "2026-10"],  # no --db
    ["report", "--db", "{db}", "--month", "2026-10"],  # no --facility
    ["report", "--db", "{db}", "--facility", "69"],  # no --month
    ["report", "--db", "{db}", "--facility", "69", "--month", "2026-10", "--lang", "en"],
])
def test_cli_report_usage_errors(small_db: Path, data_dir: Path, args: list[str]) -> None:
    assert_one_line_error(run(data_dir, *(a.format(db=small_db) for a in args)))


def _writer_missing(module: str) -> bool:
    return importlib.util.find_spec(module) is None


@pytest.mark.parametrize(("option", "module", "magic"), [
    ("--xlsx", "reports.excel", b"PK"),
    ("--pdf", "reports.pdf", b"%PDF-"),
])
def test_cli_report_file(small_db: Path, data_dir: Path, tmp_path: Path, option: str,
                         module: str, magic: bytes) -> None:
    if _writer_missing(module):
        pytest.skip(f"{module} is not written yet")
    target = tmp_path / f"october{option.replace('--', '.')}"
    result = run(data_dir, "report", "--db", str(small_db), "--facility", "69",
                 "--month", "2026-10", option, str(target), "--lang", "kk", "--json")
    assert result.returncode == 0, result.stderr
    json.loads(result.stdout)  # with --json the note about the file goes to stderr
    assert str(target) in result.stderr
    assert target.read_bytes().startswith(magic)
    assert [p.name for p in tmp_path.iterdir()] == [target.name]  # no temporary file left
