"""Exports to a full disk or a read-only folder, for real: the command line in a child process
whose writes the system refuses. Each export gives the user's message (exit code 2, one line),
leaves no file and no temporary file behind, and an older file of the same name intact.

- A full disk: RLIMIT_FSIZE with SIGXFSZ ignored, so a write past the limit fails with EFBIG,
  as it fails with ENOSPC on a full disk. The limit lets the database work (its -shm takes
  32 KiB, a login's audit entry some WAL) and the exported files are made larger than it.
- A read-only folder: chmod 0o500. Root ignores that, so as root the child first drops
  CAP_DAC_OVERRIDE (and CAP_DAC_READ_SEARCH) from its capability bounding set and re-executes
  itself: root then obeys permission bits like anyone. Only where that is refused too (no
  CAP_SETPCAP) is the read-only test skipped.
"""

from __future__ import annotations

import datetime as dt
import errno
import json
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

if os.name == "nt":  # pragma: no cover
    pytest.skip("POSIX resource limits and permission bits", allow_module_level=True)

from ops_support import agency, home, new_event, new_user, topic  # noqa: E402

from db.backups import disk_full_message, disk_full_or_faulty_message  # noqa: E402
from db.database import open_database  # noqa: E402
from db.errors import DatabaseError  # noqa: E402
from db.i18n import _, set_language  # noqa: E402
from db.models import FacilityCreate, UserCreate  # noqa: E402
from db.ops.setup import initialize  # noqa: E402
from db.values import DatabaseMode  # noqa: E402
from reports.files import ExportError, write_atomically  # noqa: E402

MAIN = Path(__file__).resolve().parent.parent / "main.py"
LIMIT = 48 * 1024  # above the database's own needs (-shm 32 KiB), below every export
# Events per month, so each export outgrows the limit without being slow to make: Excel
# compresses well (a busy October), the package less (September), the PDF embeds its fonts
# (a quiet August is enough).
EVENTS = {(2026, 10): 600, (2026, 9): 150, (2026, 8): 10}
OLD = b"the report exported last month"
# Runs the command with the limits the test asks for, then becomes it (execv): the limits,
# an ignored SIGXFSZ and a smaller capability set all carry over into the new program.
LAUNCHER = """
import ctypes, os, resource, signal, sys
limit, drop = int(sys.argv[1]), sys.argv[2] == "drop"
if drop:
    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (1, 2):  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH
        if libc.prctl(24, capability, 0, 0, 0) != 0:  # PR_CAPBSET_DROP
            sys.exit(97)
if limit:
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
os.execv(sys.executable, [sys.executable, *sys.argv[3:]])
"""
WORDS = ("махалля", "мектеп", "Достық", "Әйтеке би", "Қазығұрт", "Сайрам", "Түркістан", "көше",
         "школа", "колледж", "парк", "Ордабасы", "Ынтымақ", "Бәйтерек", "Шапағат")


def _bulk_events(path: Path, events: dict[tuple[int, int], int]) -> None:
    """Copies of the one event made through the core, spread over each month, each with its
    own place (texts that do not compress away), topic and organizer."""
    rng = random.Random(7)
    connection = sqlite3.connect(path)
    connection.row_factory = sqlite3.Row
    try:
        model = dict(connection.execute("SELECT * FROM event").fetchone())
        links = {table: dict(connection.execute(f"SELECT * FROM {table}").fetchone())
                 for table in ("event_topic", "event_agency")}
        days = [dt.date(year, month, 1 + number % 28) for (year, month), count
                in events.items() for number in range(count)]
        for day in days:
            row = dict(model, id=None, uuid=str(uuid.uuid4()), event_date=day.isoformat(),
                       place_kind="outside", place_facility_id=None,
                       place_text=" ".join(rng.choice(WORDS) for _ in range(6))
                       + f" №{rng.randrange(1000)}", count_serving=rng.randrange(80))
            cursor = connection.execute(
                f"INSERT INTO event ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
                list(row.values()))
            for table, link in links.items():
                values = dict(link, event_id=cursor.lastrowid)
                values.pop("id", None)
                connection.execute(
                    f"INSERT INTO {table} ({', '.join(values)}) "
                    f"VALUES ({', '.join('?' * len(values))})", list(values.values()))
        connection.commit()
    finally:
        connection.close()


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory, migrated_template: Path) -> Path:
    """A facility database with months of several sizes (built once, copied for each
    test)."""
    from unittest import mock

    path = tmp_path_factory.mktemp("disk-full") / "qadam.db"
    shutil.copyfile(migrated_template, path)
    database = open_database(path)
    with mock.patch("db.clock.today", lambda: dt.date(2026, 11, 15)), \
            database.session() as session:
        admin = initialize(session, mode=DatabaseMode.FACILITY, facility=FacilityCreate(
            code="69", name="Учреждение №69", facility_type="medium"), admin=UserCreate(
            login="admin", full_name="Админов Админ", role="admin",
            password="long enough password"))
        assert admin is not None
        new_user(session, admin, "head")
        new_event(session, admin, topic_ids=[topic(session).id],
                  agency_ids=[agency(session).id])
    database.dispose()
    _bulk_events(path, EVENTS)
    return path


class Place:
    """The test's folders: the database, the data folder, the export folder, a TMPDIR."""

    def __init__(self, root: Path, source: Path) -> None:
        self.db = root / "db" / "qadam.db"
        self.data = root / "data"
        self.out = root / "out"
        self.tmp = root / "tmp"
        for folder in (self.db.parent, self.data, self.out, self.tmp):
            folder.mkdir(parents=True)
        shutil.copyfile(source, self.db)

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        env.update(QADAM_DATA_DIR=str(self.data), QADAM_LANG="ru", TMPDIR=str(self.tmp),
                   QADAM_PASSWORD="long enough password", PYTHONDONTWRITEBYTECODE="1")
        env.pop("QT_QPA_PLATFORM", None)
        return env

    def run(self, *args: str, limit: int = 0, drop: bool = False
            ) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-c", LAUNCHER, str(limit), "drop" if drop else "keep",
             str(MAIN), *args], env=self.env(), capture_output=True, text=True, timeout=300,
            cwd=self.out)

    def listing(self) -> list[str]:
        return sorted(path.name for path in self.out.iterdir())


@pytest.fixture
def place(tmp_path: Path, source: Path) -> Iterator[Place]:
    built = Place(tmp_path, source)
    yield built
    built.out.chmod(0o700)


EXPORTS: dict[str, tuple[str, ...]] = {
    "excel": ("report", "--db", "{db}", "--facility", "69", "--month", "2026-10", "--xlsx",
              "{out}"),
    "pdf": ("report", "--db", "{db}", "--facility", "69", "--month", "2026-08", "--pdf",
            "{out}"),
    "backup": ("backup", "--db", "{db}", "--user", "admin", "--out", "{out}"),
    "package": ("package", "export", "--db", "{db}", "--user", "head", "--facility", "69",
                "--month", "2026-09", "--out", "{out}"),
}
TARGETS = {"excel": "report.xlsx", "pdf": "report.pdf", "backup": "backup.db",
           "package": "package.xlsx"}


def command(place: Place, what: str) -> list[str]:
    target = place.out / TARGETS[what]
    return [part.format(db=place.db, out=target) for part in EXPORTS[what]]


def said(result: subprocess.CompletedProcess[str]) -> str:
    """The message the command ended with (exit code 2: the user's matter, not a fault)."""
    assert result.returncode == 2, (result.returncode, result.stderr)
    first = result.stderr.splitlines()[0] if result.stderr else ""
    assert first.startswith("qadam: "), result.stderr
    return first.removeprefix("qadam: ")


def one_line(result: subprocess.CompletedProcess[str]) -> str:
    """The command line's promise: one line on stderr, never a traceback."""
    message = said(result)
    assert "Traceback" not in result.stderr, result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    return message


@pytest.fixture(scope="module")
def sizes(source: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, int]:
    """Each export made without a limit (in this process: quicker than four more children):
    all of them are larger than the limit, so it is the limit that stops them below."""
    from sqlmodel import select

    from db.backups import backup_to
    from db.models import User
    from db.months import Month
    from reports.excel import write_monthly_xlsx
    from reports.monthly import build_monthly_report
    from reports.package import write_package
    from reports.pdf import write_monthly_pdf

    folder = tmp_path_factory.mktemp("sizes")
    copy = folder / "qadam.db"
    shutil.copyfile(source, copy)
    database = open_database(copy)
    try:
        with database.session() as session:
            facility_id = home(session).id
            write_monthly_xlsx(build_monthly_report(session, facility_id=facility_id,
                                                    month=Month(2026, 10)),
                               folder / TARGETS["excel"])
            write_monthly_pdf(build_monthly_report(session, facility_id=facility_id,
                                                   month=Month(2026, 8)),
                              folder / TARGETS["pdf"])
            head = session.exec(select(User).where(User.login == "head")).one()
            write_package(session, actor=head, facility_id=facility_id, month=Month(2026, 9),
                          path=folder / TARGETS["package"])
        backup_to(copy, folder / TARGETS["backup"])
    finally:
        database.dispose()
    return {what: (folder / name).stat().st_size for what, name in TARGETS.items()}


@pytest.mark.parametrize("what", sorted(EXPORTS))
def test_disk_full_export_is_refused_with_a_message(place: Place, what: str,
                                                    sizes: dict[str, int]) -> None:
    name = TARGETS[what]
    assert sizes[what] > LIMIT
    (place.out / name).write_bytes(OLD)

    result = place.run(*command(place, what), limit=LIMIT)
    message = one_line(result) if what in ("pdf", "backup") else said(result)  # see below
    set_language("ru")  # the words the child found in the same catalog
    expected = {disk_full_message(name)}
    if what == "backup":  # SQLite writes it, and reports EFBIG as an I/O error
        expected.add(disk_full_or_faulty_message(name))
    assert message in expected
    assert place.listing() == [name]  # no temporary or partial file
    assert (place.out / name).read_bytes() == OLD  # the old file intact
    assert list(place.tmp.iterdir()) == []  # nor in the temporary folder


# openpyxl's write-only sheets stream into temporary files while the workbook is built; when
# that fails (the temporary folder is full too), the builders end the half-built workbook's
# streams at once (reports.excel.discarded_on_failure): left open, they printed
# "Exception ignored in: <generator …>" tracebacks after the message when collected.


@pytest.mark.parametrize("what", ["excel", "package"])
def test_disk_full_message_is_the_only_line(place: Place, what: str) -> None:
    one_line(place.run(*command(place, what), limit=LIMIT))


@pytest.fixture(scope="module")
def read_only_mechanism(tmp_path_factory: pytest.TempPathFactory) -> str:
    """How this machine makes a folder read-only for the child: permission bits alone, or
    (as root) bits plus a child without CAP_DAC_OVERRIDE. Skips when neither holds."""
    folder = tmp_path_factory.mktemp("probe")
    locked = folder / "locked"
    locked.mkdir(mode=0o500)
    probe = f"open({str(locked / 'x')!r}, 'w')"
    try:
        if os.geteuid() != 0:
            return "permission bits"
        result = subprocess.run([sys.executable, "-c", LAUNCHER, "0", "drop", "-c", probe],
                                capture_output=True, text=True, timeout=60)
        if result.returncode != 0 and "PermissionError" in result.stderr:
            return "permission bits, as root without CAP_DAC_OVERRIDE"
        pytest.skip("running as root without CAP_SETPCAP: no folder is read-only for this "
                    f"process (probe: exit {result.returncode})")
    finally:
        locked.chmod(0o700)


@pytest.mark.parametrize("what", sorted(EXPORTS))
def test_disk_full_read_only_folder_is_refused_with_a_message(place: Place, what: str,
                                                              read_only_mechanism: str
                                                              ) -> None:
    name = TARGETS[what]
    (place.out / name).write_bytes(OLD)
    place.out.chmod(0o500)
    message = one_line(place.run(*command(place, what), drop=os.geteuid() == 0))
    set_language("ru")
    assert message == _("Qadam may not write into the folder {folder}. Choose another "
                        "folder.").format(folder=place.out), read_only_mechanism
    assert place.listing() == [name]
    assert (place.out / name).read_bytes() == OLD


# --- the mapping itself, in-process --------------------------------------------------------------

@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EFBIG, errno.EDQUOT])
def test_disk_full_errno_becomes_the_message(tmp_path: Path, code: int) -> None:
    target = tmp_path / "report.xlsx"
    target.write_bytes(OLD)

    def write(temporary: Path) -> None:
        temporary.write_bytes(b"half a report")
        raise OSError(code, os.strerror(code))

    with pytest.raises(ExportError) as caught:
        write_atomically(target, write)
    assert caught.value.message == disk_full_message("report.xlsx")
    assert [p.name for p in tmp_path.iterdir()] == ["report.xlsx"]
    assert target.read_bytes() == OLD


def test_disk_full_wrapped_by_a_writer_is_still_said_plainly(tmp_path: Path) -> None:
    def write(temporary: Path) -> None:
        try:
            raise OSError(errno.ENOSPC, "No space left on device")
        except OSError as exc:
            raise RuntimeError("the library's own words") from exc

    with pytest.raises(ExportError, match="report.pdf"):
        write_atomically(tmp_path / "report.pdf", write)
    assert list(tmp_path.iterdir()) == []


def test_disk_full_other_errors_pass_unchanged(tmp_path: Path) -> None:
    def write(_temporary: Path) -> None:
        raise ValueError("a bug, not a disk")

    with pytest.raises(ValueError):
        write_atomically(tmp_path / "report.pdf", write)
    assert list(tmp_path.iterdir()) == []


def test_disk_full_sqlite_full_is_said_plainly(tmp_path: Path) -> None:
    from db.backups import disk_full_cause, disk_space_said_plainly

    full = sqlite3.OperationalError("database or disk is full")
    full.sqlite_errorcode = 13  # type: ignore[attr-defined]
    faulty = sqlite3.OperationalError("disk I/O error")
    faulty.sqlite_errorcode = 778  # type: ignore[attr-defined]
    other = sqlite3.OperationalError("no such table: x")
    other.sqlite_errorcode = 1  # type: ignore[attr-defined]
    assert [disk_full_cause(exc) for exc in (full, faulty, other)] == [
        "full", "full or faulty", None]
    for cause, expected in ((full, disk_full_message("b.db")),
                            (faulty, disk_full_or_faulty_message("b.db"))):
        with pytest.raises(DatabaseError) as caught, disk_space_said_plainly("b.db"):
            raise DatabaseError("could not be copied") from cause
        assert caught.value.message == expected
    with pytest.raises(DatabaseError, match="could not be copied"), \
            disk_space_said_plainly("b.db"):
        raise DatabaseError("could not be copied") from other


def test_disk_full_json_report_needs_no_space(place: Place) -> None:
    """The limit leaves the database working: what fails above is the export, nothing else."""
    result = place.run("report", "--db", str(place.db), "--facility", "69", "--month",
                       "2026-10", "--json", limit=LIMIT)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)


def test_disk_full_database_that_cannot_grow_is_one_line(place: Place) -> None:
    """Not an export: the database itself outgrows the disk (a demo's thousands of rows), deep
    inside SQLAlchemy; still the user's words, and no half-made database is left."""
    target = place.out / "demo.db"
    message = one_line(place.run("demo", "--db", str(target), limit=LIMIT))
    set_language("ru")
    assert message in {disk_full_message("demo.db"), disk_full_or_faulty_message("demo.db")}
    assert place.listing() == []
