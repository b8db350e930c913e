"""The command line acting as a user: `init --admin`, `lock` and `unlock` with `--user`, the
password from QADAM_PASSWORD or nowhere, and the one-line refusals (exit 2)."""

from __future__ import annotations

import sqlite3
import subprocess
from pathlib import Path

import pytest
from cli_support import assert_one_line_error, run_main

from db.database import open_database
from db.models import UserCreate
from db.ops.common import create_record, transaction
from db.ops.users import add_user

PASSWORD = "correct horse"


def run(*args: str, password: str | None = None) -> subprocess.CompletedProcess[str]:
    return run_main(*args, password=password)


def query(path: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(path) as con:
        return con.execute(sql).fetchall()


def init_args(path: Path) -> list[str]:
    return ["init", "--db", str(path), "--facility", "69", "--facility-name", "Учреждение №69",
            "--admin", "boss", "--admin-name", "Начальников Н. Н."]


@pytest.fixture(scope="module")
def facility_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`init --admin boss`, plus an operator made through db/ (the window's job)."""
    path = tmp_path_factory.mktemp("cli-accounts") / "f.db"
    result = run(*init_args(path), password=PASSWORD)
    assert result.returncode == 0, result.stderr
    database = open_database(path)
    with database.session() as session:
        operator = add_user(session, UserCreate(login="op", full_name="Операторов О.",
                                                role="operator", password="operator pass"))
        with transaction(session):
            create_record(session, None, operator, "app_user")
    database.dispose()
    return path


def test_cli_accounts_init_creates_the_administrator(facility_db: Path) -> None:
    [(login, role, full_name, password_hash)] = query(
        facility_db, "SELECT login, role, full_name, password_hash FROM app_user "
                     "WHERE login = 'boss'")
    assert (login, role, full_name) == ("boss", "admin", "Начальников Н. Н.")
    assert password_hash.startswith("$argon2id$") and PASSWORD not in password_hash


def test_cli_accounts_init_without_password_leaves_no_file(tmp_path: Path) -> None:
    result = run(*init_args(tmp_path / "x.db"))  # no QADAM_PASSWORD and no terminal
    assert "QADAM_PASSWORD" in assert_one_line_error(result)
    assert list(tmp_path.iterdir()) == []


def test_cli_accounts_lock_and_unlock(facility_db: Path) -> None:
    common = ["--db", str(facility_db), "--user", "boss", "--facility", "69",
              "--month", "2026-09"]
    locked = run("lock", *common, password=PASSWORD)
    assert locked.returncode == 0, locked.stderr
    assert query(facility_db, "SELECT month, locked_by, revision FROM month_lock") == [
        ("2026-09", "boss", 1)]
    opened = run("unlock", *common, "--reason", "исправлены числа", password=PASSWORD)
    assert opened.returncode == 0, opened.stderr
    assert query(facility_db, "SELECT * FROM month_lock") == []
    [(details,)] = query(facility_db, "SELECT details FROM audit_entry "
                                      "WHERE action = 'month_unlock'")
    assert details.endswith("исправлены числа")
    relocked = run("lock", *common, password=PASSWORD)
    assert relocked.returncode == 0, relocked.stderr
    assert query(facility_db, "SELECT revision FROM month_lock") == [(2,)]


@pytest.mark.parametrize(("user", "password", "in_message"), [
    ("boss", "wrong horse", ""),
    ("op", "operator pass", "op"),  # an operator may not lock
    ("boss", None, "QADAM_PASSWORD"),  # no password anywhere
])
def test_cli_accounts_lock_refused(facility_db: Path, user: str, password: str | None,
                                   in_message: str) -> None:
    result = run("lock", "--db", str(facility_db), "--user", user, "--facility", "69",
                 "--month", "2026-08", password=password)
    assert in_message in assert_one_line_error(result)
    assert query(facility_db, "SELECT * FROM month_lock WHERE month = '2026-08'") == []


# --- more refusals, in this process (each subprocess costs a second of start-up) -------------

def main_fails(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    import main

    assert main.main(list(argv)) == main.EXIT_USAGE
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1, lines
    return lines[0]


@pytest.mark.parametrize(("password", "extra"), [
    ("short", []),  # the password rules apply
    ("boss", []),  # not the login
    (PASSWORD, ["--admin-name", ""]),  # a named account
])
def test_cli_accounts_init_refused_in_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                              capsys: pytest.CaptureFixture[str],
                                              password: str, extra: list[str]) -> None:
    monkeypatch.setenv("QADAM_PASSWORD", password)
    main_fails(capsys, *init_args(tmp_path / "x.db"), *extra)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(("command", "in_message"), [
    (["lock", "--user", "boss", "--month", "2026-10"], "2026"),  # already locked
    (["lock", "--user", "nobody", "--month", "2026-07"], ""),
    (["lock", "--month", "2026-07"], "--user"),  # acting as nobody
    (["unlock", "--user", "boss", "--month", "2026-10", "--reason", " "], ""),
    (["unlock", "--user", "boss", "--month", "2026-07", "--reason", "x"], ""),  # not locked
])
def test_cli_accounts_refused_in_process(facility_db: Path, monkeypatch: pytest.MonkeyPatch,
                                         capsys: pytest.CaptureFixture[str],
                                         command: list[str], in_message: str) -> None:
    import main

    monkeypatch.setenv("QADAM_PASSWORD", PASSWORD)
    common = ["--db", str(facility_db), "--facility", "69"]
    if not query(facility_db, "SELECT * FROM month_lock WHERE month = '2026-10'"):
        assert main.main(["lock", *common, "--user", "boss", "--month", "2026-10"]) == 0
    capsys.readouterr()
    before = query(facility_db, "SELECT * FROM month_lock ORDER BY id")
    assert in_message in main_fails(capsys, *command, *common)
    assert query(facility_db, "SELECT * FROM month_lock ORDER BY id") == before



def test_cli_backup_and_restore_round_trip(tmp_path: Path) -> None:
    """backup writes a checked copy; restore brings it back (and creates a missing target)."""
    db = tmp_path / "facility.db"
    done = run("init", "--db", str(db), "--facility", "69", "--facility-name", "Учреждение №69",
               "--admin", "admin", "--admin-name", "Админов А.", password=PASSWORD)
    assert done.returncode == 0, done.stderr
    copy = tmp_path / "usb" / "copy.db"
    copy.parent.mkdir()
    done = run("backup", "--db", str(db), "--user", "admin", "--out", str(copy),
               password=PASSWORD)
    assert done.returncode == 0, done.stderr
    assert query(copy, "PRAGMA integrity_check") == [("ok",)]
    fresh = tmp_path / "restored.db"
    done = run("restore", "--db", str(fresh), "--user", "admin", str(copy), password=PASSWORD)
    assert done.returncode == 0, done.stderr
    assert query(fresh, "SELECT code FROM facility") == [("69",)]
    assert ("restore",) in query(fresh, "SELECT action FROM audit_entry")
    other = tmp_path / "other.db"
    assert_one_line_error(run("restore", "--db", str(other), "--user", "admin", str(copy),
                              password="не тот пароль"))
    assert not other.exists()  # a refused login leaves no restored copy behind
    junk = tmp_path / "junk.db"
    junk.write_text("not a database", encoding="utf-8")
    before = db.read_bytes()
    assert_one_line_error(run("restore", "--db", str(db), "--user", "admin", str(junk),
                              password=PASSWORD))
    assert db.read_bytes() == before
