"""`qadam package export` and `qadam package verify` as a user runs them."""

from __future__ import annotations

import datetime as dt
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from cli_support import assert_one_line_error as one_line_error
from cli_support import run_main
from ops_support import new_event, new_user

from db.database import open_database
from db.models import UserCreate
from db.ops.common import create_record, transaction
from db.ops.users import add_user

PASSWORD = "long enough password"  # what ops_support.new_user gives


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("data")


def run(data_dir: Path, *args: str, password: str = PASSWORD
        ) -> subprocess.CompletedProcess[str]:
    return run_main(*args, data_dir=data_dir, password=password)


def assert_one_line_error(result: subprocess.CompletedProcess[str]) -> str:
    return one_line_error(result, nothing_on_stdout=True)


@pytest.fixture(scope="module")
def small_db(tmp_path_factory: pytest.TempPathFactory, data_dir: Path) -> Iterator[Path]:
    """`qadam init`, an administrator, a head and an operator, two October events."""
    path = tmp_path_factory.mktemp("cli") / "small.db"
    created = run(data_dir, "init", "--db", str(path), "--facility", "69",
                  "--facility-name", "Учреждение №69", "--facility-type", "medium")
    assert created.returncode == 0, created.stderr
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("db.clock.today", lambda: dt.date(2026, 11, 15))
        database = open_database(path)
        with database.session() as session:
            admin = add_user(session, UserCreate(login="admin", full_name="Админов Админ",
                                                 role="admin", password="correct horse"))
            with transaction(session):
                create_record(session, None, admin, "app_user")
            new_user(session, admin, "head")
            new_user(session, admin, "operator")
            new_event(session, admin, event_date=dt.date(2026, 10, 5))
            new_event(session, admin, event_date=dt.date(2026, 10, 12))
        database.dispose()
    yield path


def test_cli_package_export_then_verify(small_db: Path, data_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "package.xlsx"
    exported = run(data_dir, "package", "export", "--db", str(small_db), "--user", "head",
                   "--facility", "69", "--month", "2026-10", "--out", str(out),
                   "--personal-data", "none")
    assert exported.returncode == 0, exported.stderr
    assert str(out) in exported.stdout and "1" in exported.stdout
    verified = run(data_dir, "package", "verify", str(out))
    assert verified.returncode == 0, verified.stderr
    assert "69" in verified.stdout and "2026-10" in verified.stdout
    assert "events: 2" in verified.stdout


def test_cli_package_bad_file_is_one_line(data_dir: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"PK\x03\x04 not really a zip")
    line = assert_one_line_error(run(data_dir, "package", "verify", str(bad)))
    assert "bad.xlsx" in line


def test_cli_package_operator_may_not_export(small_db: Path, data_dir: Path,
                                             tmp_path: Path) -> None:
    out = tmp_path / "package.xlsx"
    assert_one_line_error(run(data_dir, "package", "export", "--db", str(small_db), "--user",
                              "operator", "--facility", "69", "--month", "2026-10", "--out",
                              str(out)))
    assert not out.exists()


@pytest.mark.parametrize("args", [
    ["--month", "2026-13"], ["--facility", "999"], ["--personal-data", "everything"]])
def test_cli_package_export_mistakes_are_one_line(small_db: Path, data_dir: Path,
                                                  tmp_path: Path, args: list[str]) -> None:
    base = {"--facility": "69", "--month": "2026-10", "--personal-data": "none"}
    base[args[0]] = args[1]
    flat = [item for pair in base.items() for item in pair]
    assert_one_line_error(run(data_dir, "package", "export", "--db", str(small_db), "--user",
                              "head", "--out", str(tmp_path / "p.xlsx"), *flat))


def test_cli_package_needs_a_subcommand(data_dir: Path) -> None:
    assert_one_line_error(run(data_dir, "package"))


def test_cli_package_export_with_lock_submits_the_month(small_db: Path, data_dir: Path,
                                                        tmp_path: Path) -> None:
    import shutil

    from db.months import Month
    from db.ops.month_locks import lock_of
    from db.ops.settings import own_facility

    copy = tmp_path / "copy.db"
    shutil.copyfile(small_db, copy)
    out = tmp_path / "package.xlsx"
    exported = run(data_dir, "package", "export", "--db", str(copy), "--user", "head",
                   "--facility", "69", "--month", "2026-10", "--out", str(out), "--lock")
    assert exported.returncode == 0, exported.stderr
    assert "заблокирован" in exported.stdout.splitlines()[-1]
    database = open_database(copy)
    try:
        with database.session() as session:
            lock = lock_of(session, own_facility(session).id, Month(2026, 10))
            assert lock is not None and lock.locked_by == "head" and lock.revision == 1
    finally:
        database.dispose()
    again = run(data_dir, "package", "export", "--db", str(copy), "--user", "head",
                "--facility", "69", "--month", "2026-10", "--out", str(out), "--lock")
    assert again.returncode == 0, again.stderr  # already locked: the package, no second lock
    assert len(again.stdout.strip().splitlines()) == 1


def test_cli_package_export_with_lock_is_refused_while_a_window_holds_it(
        small_db: Path, data_dir: Path, tmp_path: Path) -> None:
    import shutil

    from db.instance_lock import acquire_cli_lock

    copy = tmp_path / "held.db"
    shutil.copyfile(small_db, copy)
    out = tmp_path / "package.xlsx"
    with acquire_cli_lock(copy):
        refused = run(data_dir, "package", "export", "--db", str(copy), "--user", "head",
                      "--facility", "69", "--month", "2026-10", "--out", str(out), "--lock")
    assert_one_line_error(refused)
    assert not out.exists()
