"""`Qadam --self-check`: proves that a build (or the source tree) has what it needs at run time.

In a temporary folder it creates a database, migrates it, enters a few records through the
program's own operations, writes the monthly report as .xlsx and .pdf and the package for the
region, reads them back, and checks the Russian and Kazakh catalogs and Babel's month names.
desktop/self_check.py adds the Qt steps (offscreen start, Qt's translations, icons, the main
window) and is what `main.py --self-check` runs; this module stays free of Qt.

Output: one line per step, `ok  <step>` or `FAIL <step>: <reason>`, in English (a technical
check, not a user's screen); the exit code is 0 only when every step passed. The user's data
folder is not touched: QADAM_DATA_DIR points into the temporary folder while the checks run.

A windowed build on Windows has no standard output (`sys.stdout` is None). Then the lines go to
the console of the process that started Qadam, if it has one (`start /wait Qadam.exe
--self-check` in cmd.exe, then `echo %errorlevel%`), and always to `logs/self-check.txt` in the
user's data folder.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import secrets
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from db import __version__

if TYPE_CHECKING:
    from db.database import Database
    from db.models import User
    from db.months import Month
    from reports.model import MonthlyReport

FACILITY_CODE = "99"
FACILITY_NAME = "Учреждение ЛА-155/99 (самопроверка)"
EXPECTED_MONTH_NAMES = {"ru": "Октябрь 2026", "kk": "Қазан 2026"}  # Babel's CLDR data


class CheckFailed(Exception):
    """A step's own finding (as opposed to an unexpected error)."""


def require(condition: object, reason: str) -> None:
    if not condition:
        raise CheckFailed(reason)


@dataclass
class CheckContext:
    """What the steps hand on to each other."""

    folder: Path
    database: Database | None = None
    user: User | None = None
    facility_id: int | None = None
    month: Month | None = None
    report: MonthlyReport | None = None
    extras: dict[str, Any] = field(default_factory=dict)  # e.g. the QApplication

    def need_database(self) -> tuple[Database, User, int, Month]:
        require(self.database is not None and self.user is not None
                and self.facility_id is not None and self.month is not None,
                "no database with records (an earlier step failed)")
        assert self.database and self.user and self.facility_id and self.month
        return self.database, self.user, self.facility_id, self.month

    def need_report(self) -> MonthlyReport:
        require(self.report is not None, "no report (an earlier step failed)")
        assert self.report is not None
        return self.report


# A step: its name and a function that raises on failure and may return a short detail.
Step = tuple[str, Callable[[CheckContext], "str | None"]]


# --- the steps ---------------------------------------------------------------------------------


def check_resources(context: CheckContext) -> str:
    from db.paths import migrations_dir, resources_dir

    root = resources_dir()
    needed = [
        *(("fonts", name) for name in ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf",
                                       "DejaVuSans-Oblique.ttf", "DejaVuSans-BoldOblique.ttf")),
        ("translations", "ru", "LC_MESSAGES", "qadam.po"),
        ("translations", "kk", "LC_MESSAGES", "qadam.po"),
        ("icons", "qadam.svg"),
        ("defaults", "reference_lists.json"),
    ]
    missing = ["/".join(parts) for parts in needed if not root.joinpath(*parts).is_file()]
    require(not missing, f"missing in {root}: {', '.join(missing)}")
    migrations = migrations_dir()
    require((migrations / "env.py").is_file(), f"no env.py in {migrations}")
    require(any((migrations / "versions").glob("*.py")), f"no migrations in {migrations}")
    return str(root)


def check_database(context: CheckContext) -> str:
    from db.database import open_database, sqlite_url
    from db.migrate import current_revision, head_revision

    path = context.folder / "self-check.db"
    context.database = open_database(path, create=True)
    head, current = head_revision(), current_revision(sqlite_url(path))
    require(current == head, f"schema {current}, expected {head}")
    return f"schema {head}"


def check_records(context: CheckContext) -> str:
    """A facility, its administrator, a released person, an event outside with that person
    named, the person enrolled as a volunteer who took part: the operations' rules all apply."""
    from db import clock
    from db.iin import make_iin
    from db.models import (
        AttendeeInput,
        EventCreate,
        FacilityCreate,
        ParticipationCreate,
        PersonCreate,
        UserCreate,
        VolunteerCreate,
    )
    from db.months import Month
    from db.ops.events import create_event
    from db.ops.persons import create_person
    from db.ops.references import item_by_code
    from db.ops.settings import own_facility
    from db.ops.setup import initialize
    from db.ops.volunteers import create_participation, create_volunteer
    from db.values import (
        AudienceCategory,
        DatabaseMode,
        EventStatus,
        FacilityType,
        ParticipationRole,
        PersonStatus,
        PlaceKind,
        ReferenceList,
        Role,
        Sex,
        VolunteerStatus,
    )

    require(context.database is not None, "no database (an earlier step failed)")
    assert context.database is not None
    month = Month.of(clock.today()).previous()
    event_day = month.first_day + dt.timedelta(days=9)
    birth = dt.date(1990, 5, 17)
    iin = next(filter(None, (make_iin(birth, Sex.MALE, serial) for serial in range(1, 100))))
    with context.database.session() as session:
        admin = initialize(
            session, mode=DatabaseMode.FACILITY,
            facility=FacilityCreate(code=FACILITY_CODE, name=FACILITY_NAME,
                                    facility_type=FacilityType.MEDIUM.value,
                                    region="Туркестанская область"),
            admin=UserCreate(login="selfcheck", full_name="Тексеру Әлия Қайратқызы",
                             role=Role.ADMIN.value, password=secrets.token_urlsafe(16)),
            enforce_password_rules=False)
        require(admin is not None, "no administrator created")
        assert admin is not None
        facility = own_facility(session)
        require(facility is not None and facility.id is not None, "no own facility")
        assert facility is not None and facility.id is not None
        kind = item_by_code(session, ReferenceList.EVENT_KIND, "explanatory_meeting")
        require(kind is not None, "the default reference lists were not loaded")
        assert kind is not None
        person = create_person(session=session, actor=admin, data=PersonCreate(
            surname="Әлібеков", name="Ғалым", patronymic="Сейітұлы", iin=iin, birth_date=birth,
            sex=Sex.MALE.value, status=PersonStatus.RELEASED.value, facility_id=facility.id,
            release_date=month.first_day - dt.timedelta(days=90)))
        event = create_event(session=session, actor=admin, data=EventCreate(
            facility_id=facility.id, event_date=event_day, place_kind=PlaceKind.OUTSIDE.value,
            place_text="СОШ №45", kind_id=kind.id, responsible="Оспанова Г. М.",
            count_released=2, count_community=30, status=EventStatus.HELD.value,
            attendees=[AttendeeInput(person_id=person.id,
                                     category=AudienceCategory.RELEASED.value)]))
        volunteer = create_volunteer(session=session, actor=admin, data=VolunteerCreate(
            person_id=person.id, facility_id=facility.id, enrolled_on=month.first_day,
            consent_number="001", consent_date=month.first_day, coordinator="Оспанова Г. М.",
            status=VolunteerStatus.ACTIVE.value))
        create_participation(session=session, actor=admin, data=ParticipationCreate(
            volunteer_id=volunteer.id, event_id=event.id, role=ParticipationRole.STORY.value,
            hours=2.0))
    context.user, context.facility_id, context.month = admin, facility.id, month
    return f"month {month}"


def check_report(context: CheckContext) -> str:
    from reports.monthly import build_monthly_report

    database, _user, facility_id, month = context.need_database()
    with database.session() as session:
        report = build_monthly_report(session, facility_id=facility_id, month=month)
    require(report.events_total.month == 1, f"{report.events_total.month} events, expected 1")
    require(report.volunteers_taking_part.month == 1,
            f"{report.volunteers_taking_part.month} volunteers taking part, expected 1")
    require(len(report.events) == 1, f"{len(report.events)} event lines, expected 1")
    context.report = report
    return "1 event, 1 volunteer"


def check_excel(context: CheckContext) -> str:
    from openpyxl import load_workbook

    from reports.excel import write_monthly_xlsx

    report = context.need_report()
    path = write_monthly_xlsx(report, context.folder / "report.xlsx", language="ru")
    workbook = load_workbook(path, read_only=True)
    try:
        texts = [str(value) for sheet in workbook.worksheets
                 for row in sheet.iter_rows(values_only=True) for value in row if value]
        sheets = len(workbook.worksheets)
    finally:
        workbook.close()
    require(any(FACILITY_NAME in text for text in texts),
            "the facility's name is not in the workbook")
    return f"{sheets} sheets, {path.stat().st_size} bytes"


def check_pdf(context: CheckContext) -> str:
    from reports.pdf import write_monthly_pdf
    from reports.pdf_fonts import FAMILY

    report = context.need_report()
    path = write_monthly_pdf(report, context.folder / "report.pdf", language="kk")
    data = path.read_bytes()
    require(data.startswith(b"%PDF-"), "not a PDF file")
    require(b"%%EOF" in data[-64:], "the PDF is not complete")
    require(f"+{FAMILY}".encode() in data and b"/FontFile2" in data,
            f"the {FAMILY} font is not embedded")
    return f"Kazakh, {path.stat().st_size} bytes, {FAMILY} embedded"


def check_package(context: CheckContext) -> str:
    from reports.package import read_package, write_package

    database, user, facility_id, month = context.need_database()
    path = context.folder / "package.xlsx"
    with database.session() as session:
        write_package(session, actor=user, facility_id=facility_id, month=month, path=path)
    meta = read_package(path).meta  # checks the checksums, refuses a damaged file
    require(meta.facility_code == FACILITY_CODE and str(meta.month) == str(month),
            f"the package says facility {meta.facility_code}, {meta.month}")
    return f"revision {meta.revision}"


def catalog_check(language: str) -> Callable[[CheckContext], str]:
    def check(context: CheckContext) -> str:
        from db.i18n import catalog_path, translate

        require(catalog_path(language).is_file(), f"no catalog {catalog_path(language)}")
        translated = translate("Events", language)
        require(translated != "Events", "“Events” is not translated")
        return f"“Events” → “{translated}”"

    return check


def check_month_names(context: CheckContext) -> str:
    from db.months import Month, month_title

    found = {language: month_title(Month(2026, 10), language) for language in EXPECTED_MONTH_NAMES}
    require(found == EXPECTED_MONTH_NAMES, f"got {found}")
    return ", ".join(found.values())


CORE_STEPS: list[Step] = [
    ("resources found", check_resources),
    ("database created and migrated", check_database),
    ("records entered through the operations", check_records),
    ("monthly report built", check_report),
    ("Excel report written and read back", check_excel),
    ("PDF report written with its font", check_pdf),
    ("package for the region written and verified", check_package),
    ("Russian catalog", catalog_check("ru")),
    ("Kazakh catalog", catalog_check("kk")),
    ("Babel month names in Russian and Kazakh", check_month_names),
]


# --- running and printing ----------------------------------------------------------------------


class _Output:
    """Where the lines go: standard output, else the parent's console (Windows) and a file."""

    def __init__(self, stream: TextIO | None) -> None:
        self.stream = stream
        self.file: Path | None = None
        if stream is None:
            if sys.stdout is not None:
                self.stream = sys.stdout
            else:
                self.stream = _parent_console()
                from db.paths import user_data_dir

                try:
                    self.file = user_data_dir() / "logs" / "self-check.txt"
                    self.file.parent.mkdir(parents=True, exist_ok=True)
                    self.file.write_text("", encoding="utf-8")
                except OSError:
                    self.file = None  # nowhere to write: the exit code still tells

    def line(self, text: str) -> None:
        if self.stream is not None:
            encoding = getattr(self.stream, "encoding", None) or "utf-8"
            try:
                self.stream.write(text.encode(encoding, "replace").decode(encoding) + "\n")
                self.stream.flush()
            except (OSError, ValueError, LookupError):
                pass
        if self.file is not None:
            with contextlib.suppress(OSError), self.file.open("a", encoding="utf-8") as handle:
                handle.write(text + "\n")


def _parent_console() -> TextIO | None:
    """The console of the process that started this windowed program, if any (Windows)."""
    if sys.platform != "win32":
        return None
    import ctypes

    kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
    if not kernel32.AttachConsole(-1):  # ATTACH_PARENT_PROCESS
        return None
    code_page = kernel32.GetConsoleOutputCP()
    try:
        return open("CONOUT$", "w", encoding=f"cp{code_page}" if code_page else "utf-8",  # noqa: SIM115
                    errors="replace")
    except (OSError, LookupError):
        return None


def _reason(exc: BaseException) -> str:
    message = getattr(exc, "message", None) or str(exc) or ""
    text = f"{message}" if isinstance(exc, CheckFailed) else f"{type(exc).__name__}: {message}"
    return " ".join(text.split())[:400]


def run_steps(steps: Iterable[Step], context: CheckContext, output: _Output) -> int:
    """Run every step (a failure does not stop the others); return how many failed."""
    failed = 0
    for name, step in steps:
        try:
            detail = step(context)
        except Exception as exc:  # noqa: BLE001 - every failure is reported, none escapes
            failed += 1
            output.line(f"FAIL {name}: {_reason(exc)}")
        else:
            output.line(f"ok  {name}" + (f" ({detail})" if detail else ""))
    return failed


def run_self_check(steps: Iterable[Step] = CORE_STEPS, *, stream: TextIO | None = None,
                   cleanup: Callable[[CheckContext], None] | None = None) -> int:
    """Run the steps in a temporary folder; 0 when all passed, 1 otherwise."""
    output = _Output(stream)
    steps = list(steps)
    frozen = getattr(sys, "_MEIPASS", None)
    where = f"frozen build in {frozen}" if frozen else "source"
    output.line(f"Qadam {__version__} self-check ({where})")
    folder = Path(tempfile.mkdtemp(prefix="qadam-self-check-"))
    saved = os.environ.get("QADAM_DATA_DIR")
    os.environ["QADAM_DATA_DIR"] = str(folder / "data")
    context = CheckContext(folder=folder)
    try:
        failed = run_steps(steps, context, output)
    finally:
        try:
            if cleanup is not None:
                cleanup(context)
        finally:
            if context.database is not None:
                context.database.dispose()
            if saved is None:
                os.environ.pop("QADAM_DATA_DIR", None)
            else:
                os.environ["QADAM_DATA_DIR"] = saved
            shutil.rmtree(folder, ignore_errors=True)
    if failed:
        output.line(f"{failed} of {len(steps)} steps failed")
        return 1
    output.line(f"all {len(steps)} steps passed")
    return 0
