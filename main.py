"""Qadam: the window with no arguments; the same operations headless with a subcommand.

Exit codes: 0 done, 2 a user's mistake (one line on stderr, never a traceback), 1 a fault.

Commands that change data act as a user (`--user LOGIN`), with the password from the
QADAM_PASSWORD environment variable or else asked on the terminal; with neither, they refuse.
`init --admin LOGIN` creates the first administrator the same way; `init` without it is
allowed too, and the window's first start then asks for the administrator. `report` reads
only and needs no user; the files it writes are recorded in the audit trail."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from db import __version__
from db.errors import QadamError
from db.i18n import DEFAULT_LANGUAGE, LANGUAGES, _, current_language, set_language
from db.values import FacilityType

if TYPE_CHECKING:
    from sqlmodel import Session

    from db.database import Database
    from db.models import Facility, User
    from db.months import Month

EXIT_OK = 0
EXIT_FAULT = 1
EXIT_USAGE = 2
PASSWORD_VARIABLE = "QADAM_PASSWORD"


class UsageError(QadamError):
    pass


class _Parser(argparse.ArgumentParser):
    """argparse exits with its own message; keep the one-line promise and exit code 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(message)


def _database_path(args: argparse.Namespace) -> Path:
    from db.paths import default_database_path

    return Path(args.db) if args.db else default_database_path()


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="qadam", description=_("Qadam: registry of anti-drug outreach."))
    parser.add_argument("--version", action="version", version=f"Qadam {__version__}")
    parser.add_argument("--db", help=_("database file (default: qadam.db in the data folder)"))
    parser.add_argument("--lang", choices=LANGUAGES, help=_("language of messages"))
    parser.add_argument("--demo", action="store_true",
                        help=_("open a demo database (made on first use) instead of the real one"))
    # A technical check of the installation; its lines are English (reports/self_check.py)
    parser.add_argument("--self-check", action="store_true", help=_(
        "check this installation in a temporary folder (database, reports, translations, "
        "window offscreen), print one line per step and exit"))
    commands = parser.add_subparsers(dest="command", parser_class=_Parser)
    # The options of every command that changes data as a user.
    as_user = _Parser(add_help=False)
    as_user.add_argument("--user", metavar="LOGIN", required=True, help=_(
        "act as this account; the password comes from QADAM_PASSWORD or is asked"))

    init = commands.add_parser("init", help=_("create a new, empty database"))
    init.add_argument("--db", required=True)
    which = init.add_mutually_exclusive_group(required=True)
    which.add_argument("--facility", metavar="CODE", help=_("this facility's code, e.g. 69"))
    which.add_argument("--regional", action="store_true",
                       help=_("a database of the regional department"))
    init.add_argument("--facility-name", metavar="NAME")
    init.add_argument("--facility-type", default="other",
                      choices=[t.value for t in FacilityType])
    init.add_argument("--admin", metavar="LOGIN", help=_(
        "create the first administrator (password from QADAM_PASSWORD or asked); without "
        "it the window asks at its first start"))
    init.add_argument("--admin-name", metavar="NAME", help=_("the administrator's full name"))

    demo = commands.add_parser("demo", help=_("create a database with demo data"))
    demo.add_argument("--db", required=True)
    demo.add_argument("--facility", default="69", choices=["69", "54"])
    demo.add_argument("--seed", type=int, default=1)
    demo.add_argument("--regional", action="store_true", help=_(
        "a regional database that has imported two demo facilities' packages"))

    report = commands.add_parser("report", help=_("the monthly report of a facility"))
    report.add_argument("--db", required=True)
    report.add_argument("--facility", metavar="CODE", required=True,
                        help=_("the facility's code, e.g. 69"))
    report.add_argument("--month", metavar="YYYY-MM", required=True,
                        help=_("the month, e.g. 2026-10"))
    report.add_argument("--xlsx", metavar="FILE", help=_("write the report as an Excel file"))
    report.add_argument("--pdf", metavar="FILE", help=_("write the report as a PDF file"))
    # SUPPRESS: a --lang given before the subcommand is not reset to None by this one
    report.add_argument("--lang", choices=LANGUAGES, default=argparse.SUPPRESS,
                        help=_("language of the report and of messages"))
    report.add_argument("--json", action="store_true",
                        help=_("print the figures as JSON on standard output"))

    lock = commands.add_parser("lock", parents=[as_user], help=_(
        "mark a facility's month as submitted: its records become read-only"))
    unlock = commands.add_parser("unlock", parents=[as_user], help=_(
        "open a submitted month again (the reason is recorded)"))
    for command in (lock, unlock):
        command.add_argument("--db", required=True)
        command.add_argument("--facility", metavar="CODE", required=True,
                             help=_("the facility's code, e.g. 69"))
        command.add_argument("--month", metavar="YYYY-MM", required=True,
                             help=_("the month, e.g. 2026-10"))
    unlock.add_argument("--reason", metavar="TEXT", required=True,
                        help=_("why the month is opened again"))

    backup = commands.add_parser("backup", parents=[as_user], help=_(
        "copy the database into a checked backup file (administrator)"))
    backup.add_argument("--db", required=True)
    backup.add_argument("--out", metavar="FILE", required=True,
                        help=_("the backup file to write, e.g. on a USB stick"))
    restore = commands.add_parser("restore", parents=[as_user], help=_(
        "replace the database by a backup, after a safety copy of it (administrator)"))
    restore.add_argument("--db", required=True)
    restore.add_argument("backup_file", metavar="FILE", help=_("the backup to restore"))
    _add_package_parser(commands, as_user)
    _add_consolidate_parser(commands)
    return parser


@contextmanager
def readable_database(path: Path) -> Iterator[Database]:
    """A database a command reads (and audits its export in): no lock, a window may have it
    open."""
    from db.database import open_database

    database = open_database(path)
    try:
        yield database
    finally:
        database.dispose()


@contextmanager
def writable_database(path: Path) -> Iterator[Database]:
    """A database a command may change: on a local disk, not open in a window, migrated."""
    from db.backups import default_backup_folder
    from db.database import open_database
    from db.instance_lock import acquire_cli_lock
    from db.storage import require_local

    require_local(path)
    with acquire_cli_lock(path):
        database = open_database(path, backup_dir=default_backup_folder())
        try:
            yield database
        finally:
            database.dispose()


def _interactive() -> bool:
    # getpass would read /dev/tty even when stdin is a pipe and wait for nobody: ask only
    # when a person is at a terminal.
    return sys.stdin is not None and sys.stdin.isatty()


def read_password(prompt: str, *, confirm: bool = False) -> str:
    """QADAM_PASSWORD if set, else asked on the terminal (twice with `confirm`)."""
    from_env = os.environ.get(PASSWORD_VARIABLE)
    if from_env is not None:
        return from_env
    if not _interactive():
        raise UsageError(_("No password: set QADAM_PASSWORD or run the command in a "
                           "terminal."))
    password = getpass.getpass(prompt)
    if confirm and getpass.getpass(_("Repeat the password: ")) != password:
        raise UsageError(_("The two passwords differ."))
    return password


def log_in(session: Session, login: str, password: str) -> User:
    """The account the command acts as. A password an administrator reset is temporary: it
    opens nothing until its owner chose a new one in the window."""
    from db.ops.accounts import password_is_temporary
    from db.ops.auth import authenticate

    user = authenticate(session, login, password)
    if password_is_temporary(user):
        raise UsageError(_("The password of “{login}” was reset: log in to the window and "
                           "choose a new one first.").format(login=user.login))
    return user


def remove_database_files(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def cmd_init(args: argparse.Namespace) -> int:
    from db.database import open_database
    from db.models import FacilityCreate, UserCreate
    from db.ops.setup import initialize
    from db.values import DatabaseMode, Role

    path = Path(args.db)
    if path.exists():
        raise UsageError(_("{path} already exists; choose a new file.").format(path=path))
    if args.facility and not args.facility_name:
        raise UsageError(_("--facility-name is required with --facility."))
    admin = None
    if args.admin_name and not args.admin:
        raise UsageError(_("--admin-name goes with --admin."))
    if args.admin:
        if not args.admin_name:
            raise UsageError(_("--admin-name is required with --admin."))
        # asked before the file exists: a missing password leaves nothing behind
        admin = UserCreate(login=args.admin, full_name=args.admin_name, role=Role.ADMIN.value,
                           password=read_password(
                               _("Password for the administrator {login}: ").format(
                                   login=args.admin), confirm=True))
    database = open_database(path, create=True)
    try:
        with database.session() as session:
            if args.regional:
                initialize(session, mode=DatabaseMode.REGIONAL, admin=admin)
            else:
                initialize(session, mode=DatabaseMode.FACILITY, facility=FacilityCreate(
                    code=args.facility, name=args.facility_name,
                    facility_type=args.facility_type), admin=admin)
    except BaseException:
        # a refused init leaves no half-made file that would block the corrected command
        database.dispose()
        remove_database_files(path)
        raise
    database.dispose()
    print(_("Created {path}.").format(path=path))
    if admin is not None:
        print(_("The administrator is “{login}”.").format(login=admin.login))
    return EXIT_OK


def cmd_demo(args: argparse.Namespace) -> int:
    from db.demo import create_demo_database

    path = Path(args.db)
    if path.exists():
        raise UsageError(_("{path} already exists; choose a new file.").format(path=path))
    if args.regional:
        from reports.demo_region import create_regional_demo

        summary = create_regional_demo(path)
    else:
        summary = create_demo_database(path, facility_code=args.facility, seed=args.seed)
    print(_("Created {path}: {summary}.").format(path=path, summary=summary))
    return EXIT_OK


def cmd_report(args: argparse.Namespace) -> int:
    from db.database import open_database
    from db.i18n import current_language, translate
    from db.months import Month
    from db.ops.facilities import require_facility
    from reports.model import summary_rows
    from reports.monthly import build_monthly_report, report_json

    month = Month.parse(args.month)  # before opening: a typo costs no migration or backup
    language = args.lang or current_language()
    database = open_database(Path(args.db))
    try:
        with database.session() as session:
            facility = require_facility(session, args.facility)
            assert facility.id is not None
            # The signature stays empty here: the window fills it from the logged-in user.
            report = build_monthly_report(session, facility_id=facility.id, month=month)
        # With --json, stdout carries only the JSON; the notes about written files to stderr.
        notes = sys.stderr if args.json else sys.stdout
        if args.xlsx:
            from reports.excel import write_monthly_xlsx

            write_monthly_xlsx(report, Path(args.xlsx), language=language)
            _audit_export(database, facility.code, month, "monthly_report_xlsx", args.xlsx)
            print(_("Written {path}.").format(path=args.xlsx), file=notes)
        if args.pdf:
            from reports.pdf import write_monthly_pdf

            write_monthly_pdf(report, Path(args.pdf), language=language)
            _audit_export(database, facility.code, month, "monthly_report_pdf", args.pdf)
            print(_("Written {path}.").format(path=args.pdf), file=notes)
    finally:
        database.dispose()
    if args.json:
        if hasattr(sys.stdout, "reconfigure"):
            sys.stdout.reconfigure(encoding="utf-8")  # JSON is UTF-8 whatever the console is
        print(report_json(report))
    elif not (args.xlsx or args.pdf):
        # No output file asked for: show the numbered table, as the report prints it.
        for row in summary_rows(report, language):
            label = translate(row.label, language) if row.translate_label else row.label
            # a heading has no figures; a rate of no volunteers is None too, shown as a dash
            heading = row.month is None and not row.percent
            figures = "" if heading else f"  {_figure(row.month)}  {_figure(row.year)}"
            print(f"{row.number:<5} {label}{figures}")
    return EXIT_OK


def _audit_export(database: Database, facility_code: str, month: Month, what: str,
                  path: str) -> None:
    """A written report file goes into the audit trail; `report` has no user ("system"). The
    monthly report holds figures and event lists, no names: personal data "none"."""
    from db.ops.audit_log import record_export

    with database.session() as session:
        record_export(session, None, what=what, facility_code=facility_code, month=month,
                      personal_data="none", path=str(Path(path).resolve()))


@contextmanager
def facility_month_as_user(args: argparse.Namespace) -> Iterator[tuple[Session, User, Facility,
                                                                     Month]]:
    """What lock and unlock share: the month, the logged-in user and the facility, in a
    database the command may change."""
    from db.months import Month
    from db.ops.facilities import require_facility

    month = Month.parse(args.month)
    password = read_password(_("Password of {login}: ").format(login=args.user))
    with writable_database(Path(args.db)) as database, database.session() as session:
        user = log_in(session, args.user, password)
        facility = require_facility(session, args.facility)
        assert facility.id is not None
        yield session, user, facility, month


def cmd_lock(args: argparse.Namespace) -> int:
    from db.months import month_title
    from db.ops.month_locks import lock_month

    with facility_month_as_user(args) as (session, user, facility, month):
        lock = lock_month(session=session, actor=user, facility_id=facility.id, month=month)
        print(_("{month} of facility №{code} is locked (revision {revision}).").format(
            month=month_title(month, current_language()), code=facility.code,
            revision=lock.revision))
    return EXIT_OK


def cmd_unlock(args: argparse.Namespace) -> int:
    from db.months import month_title
    from db.ops.month_locks import unlock_month

    with facility_month_as_user(args) as (session, user, facility, month):
        unlock_month(session=session, actor=user, facility_id=facility.id, month=month,
                     reason=args.reason)
        print(_("{month} of facility №{code} is open again.").format(
            month=month_title(month, current_language()), code=facility.code))
    return EXIT_OK


def _require_backup_right(session: Session, login: str, password: str) -> User:
    from db.rights import Action, require

    user = log_in(session, login, password)
    require(user, Action.BACKUP)
    return user


def cmd_backup(args: argparse.Namespace) -> int:
    from db.backups import backup_to
    from db.database import open_database
    from db.ops.common import transaction, write_audit

    path = Path(args.db)
    password = read_password(_("Password of {login}: ").format(login=args.user))
    database = open_database(path)  # reading only: a window may have it open meanwhile
    try:
        with database.session() as session:
            user = _require_backup_right(session, args.user, password)
            target = backup_to(path, Path(args.out))
            with transaction(session):
                write_audit(session, user, "backup", details=str(target))
    finally:
        database.dispose()
    print(_("Backup written to {path}.").format(path=target))
    return EXIT_OK


def cmd_restore(args: argparse.Namespace) -> int:
    """Restore also creates the database when it does not exist yet; then the account is
    checked in the restored data, and a refused login removes the file again."""
    from db.backups import check_backup, default_backup_folder, restore_from
    from db.database import open_database
    from db.instance_lock import acquire_cli_lock
    from db.ops.common import transaction, write_audit
    from db.storage import require_local

    path, backup = Path(args.db), Path(args.backup_file)
    password = read_password(_("Password of {login}: ").format(login=args.user))
    check_backup(backup)
    require_local(path)
    existed = path.exists()
    if existed:  # the account must be allowed to restore over the current data
        with writable_database(path) as database, database.session() as session:
            _require_backup_right(session, args.user, password)
    with acquire_cli_lock(path):
        safety = restore_from(backup, path, safety_folder=default_backup_folder())
        database = open_database(path, backup_dir=default_backup_folder())
        try:
            with database.session() as session:
                try:
                    user = _require_backup_right(session, args.user, password)
                except QadamError:
                    if not existed:
                        database.dispose()
                        remove_database_files(path)
                    raise
                with transaction(session):
                    write_audit(session, user, "restore", details=str(backup))
        finally:
            database.dispose()
    print(_("Restored {path} from {backup}.").format(path=path, backup=backup))
    if safety is not None:
        print(_("The previous database was kept as {path}.").format(path=safety))
    return EXIT_OK


def _figure(value: float | None) -> str:
    if value is None:
        return "—"
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def cmd_window(args: argparse.Namespace) -> int:
    from desktop.app import run_window

    if args.demo:
        from db.demo import demo_database_path, ensure_demo_database

        path = demo_database_path() if not args.db else Path(args.db)
        ensure_demo_database(path)
    else:
        path = _database_path(args)
    return run_window(path)


COMMANDS = {"init": cmd_init, "demo": cmd_demo, "report": cmd_report, "lock": cmd_lock,
            "unlock": cmd_unlock, "backup": cmd_backup, "restore": cmd_restore}


# --- consolidate: the regional report of a month (reads only, like `report`) ------------------


def _add_consolidate_parser(commands: argparse._SubParsersAction) -> None:
    consolidate = commands.add_parser("consolidate", help=_(
        "the consolidated report of the region's facilities for a month"))
    consolidate.add_argument("--db", required=True)
    consolidate.add_argument("--month", metavar="YYYY-MM", required=True)
    consolidate.add_argument("--xlsx", metavar="FILE", help=_("write the report as an Excel file"))
    consolidate.add_argument("--pdf", metavar="FILE", help=_("write the report as a PDF file"))
    consolidate.add_argument("--lang", choices=LANGUAGES, default=argparse.SUPPRESS,
                             help=_("language of the report and of messages"))
    consolidate.add_argument("--json", action="store_true",
                             help=_("print the figures as JSON on standard output"))


def cmd_consolidate(args: argparse.Namespace) -> int:
    from db.database import open_database
    from db.i18n import translate
    from db.months import Month
    from reports.consolidated import (
        REGION_TOTAL,
        build_region_report,
        region_json,
        region_summary_rows,
    )

    month = Month.parse(args.month)  # before opening: a typo costs no migration or backup
    language = getattr(args, "lang", None) or current_language()
    database = open_database(Path(args.db))
    try:
        with database.session() as session:
            report = build_region_report(session, month=month)
        notes = sys.stderr if args.json else sys.stdout  # stdout carries only the JSON
        if args.xlsx:
            from reports.consolidated_excel import write_region_xlsx

            write_region_xlsx(report, Path(args.xlsx), language=language)
            _audit_export(database, "", month, "consolidated_report_xlsx", args.xlsx)
            print(_("Written {path}.").format(path=args.xlsx), file=notes)
        if args.pdf:
            from reports.consolidated_pdf import write_region_pdf

            write_region_pdf(report, Path(args.pdf), language=language)
            _audit_export(database, "", month, "consolidated_report_pdf", args.pdf)
            print(_("Written {path}.").format(path=args.pdf), file=notes)
    finally:
        database.dispose()
    if args.json:
        if hasattr(sys.stdout, "reconfigure"):
            sys.stdout.reconfigure(encoding="utf-8")
        print(region_json(report))
    elif not (args.xlsx or args.pdf):
        codes = "  ".join(facility.facility.code for facility in report.facilities)
        print(f"{'':<5} {'':<40} {codes}  {translate(REGION_TOTAL, language)}")
        for row in region_summary_rows(report, language):
            label = translate(row.label, language) if row.translate_label else row.label
            figures = "" if row.heading else "  ".join(_figure(value) for value in row.values)
            print(f"{row.number:<5} {label[:40]:<40} {figures}")
    return EXIT_OK


COMMANDS["consolidate"] = cmd_consolidate


# --- package: the month's file for the regional department -----------------------------------


def _add_package_parser(commands: argparse._SubParsersAction, as_user: argparse.ArgumentParser
                        ) -> None:
    package = commands.add_parser("package", help=_(
        "the package of a month for the regional department"))
    actions = package.add_subparsers(dest="package_command", parser_class=_Parser,
                                     required=True)
    export = actions.add_parser("export", parents=[as_user], help=_(
        "write a facility's month as a package (head of the facility)"))
    export.add_argument("--db", required=True)
    export.add_argument("--facility", metavar="CODE", required=True,
                        help=_("the facility's code, e.g. 69"))
    export.add_argument("--month", metavar="YYYY-MM", required=True,
                        help=_("the month, e.g. 2026-10"))
    export.add_argument("--out", metavar="FILE", required=True,
                        help=_("the package file to write (.xlsx)"))
    export.add_argument("--personal-data", choices=("none", "pseudonymised", "full"),
                        default="pseudonymised", help=_(
                            "what the package tells about persons (default: pseudonymised)"))
    export.add_argument("--lock", action="store_true", help=_(
        "submit and lock the month after writing the package (its records become read-only)"))
    imports = actions.add_parser("import", parents=[as_user], help=_(
        "import facilities' packages into a regional database (analyst)"))
    imports.add_argument("--db", required=True)
    imports.add_argument("--add-facility", action="store_true", help=_(
        "add a facility the database does not know, from the package's code and name"))
    imports.add_argument("package_files", metavar="FILE", nargs="+",
                         help=_("the package files to import"))
    verify = actions.add_parser("verify", help=_("check a package file and tell what it holds"))
    verify.add_argument("package_file", metavar="FILE", help=_("the package to check"))


def cmd_package(args: argparse.Namespace) -> int:
    if args.package_command == "verify":
        return _package_verify(Path(args.package_file))
    if args.package_command == "import":
        return _package_import(args)
    return _package_export(args)


def _package_export(args: argparse.Namespace) -> int:
    from db.months import Month, month_title
    from db.ops.facilities import require_facility
    from db.ops.month_locks import lock_month, lock_of
    from reports.package import write_package

    month = Month.parse(args.month)  # before opening: a typo costs no migration or backup
    password = read_password(_("Password of {login}: ").format(login=args.user))
    # Without --lock it reads but for the audit entry, like `backup`: a window may have it open.
    # Locking changes data: then it is a writable database, refused while a window holds it.
    opened = writable_database(Path(args.db)) if args.lock else readable_database(Path(args.db))
    locked = None
    with opened as database, database.session() as session:
        user = log_in(session, args.user, password)
        facility = require_facility(session, args.facility)
        assert facility.id is not None
        info = write_package(session, actor=user, facility_id=facility.id, month=month,
                             path=Path(args.out), personal_data=args.personal_data)
        if args.lock and lock_of(session, facility.id, month) is None:
            locked = lock_month(session=session, actor=user, facility_id=facility.id,
                                month=month)
    words = month_title(month, current_language())
    print(_("Package of {month}, facility №{code}, revision {revision}, written to "
            "{path}.").format(month=words, code=facility.code, revision=info.revision,
                              path=info.path))
    if locked is not None:
        print(_("{month} of facility №{code} is locked (revision {revision}).").format(
            month=words, code=facility.code, revision=locked.revision))
    return EXIT_OK


def _package_import(args: argparse.Namespace) -> int:
    """Each file in its own transaction, one line per file; exit 2 when any was refused, after
    trying them all."""
    from db.backups import default_backup_folder
    from db.database import open_database
    from reports.package_import import import_package

    password = read_password(_("Password of {login}: ").format(login=args.user))
    database = open_database(Path(args.db), backup_dir=default_backup_folder())
    refused = 0
    try:
        with database.session() as session:
            user = log_in(session, args.user, password)
            for name in args.package_files:
                path = Path(name)
                try:
                    result = import_package(session, actor=user, path=path,
                                            add_facility_if_unknown=args.add_facility)
                except QadamError as exc:
                    refused += 1
                    print(_("{file}: refused: {reason}").format(
                        file=path.name, reason=exc.message.replace("\n", "; ")))
                    continue
                print(_("{file}: imported: facility №{code}, {month}, revision "
                        "{revision}.").format(file=path.name, code=result.facility_code,
                                              month=result.month, revision=result.revision))
    finally:
        database.dispose()
    return EXIT_USAGE if refused else EXIT_OK


def _package_verify(path: Path) -> int:
    from db.months import month_title
    from reports.package import read_package

    meta = read_package(path).meta
    print(_("The package is intact."))
    print(_("Facility: №{code} {name}").format(code=meta.facility_code, name=meta.facility_name))
    print(_("Month: {month} ({value})").format(
        month=month_title(meta.month, current_language()), value=meta.month))
    print(_("Revision: {revision}").format(revision=meta.revision))
    print(_("Personal data: {level}").format(level=meta.personal_data))
    print(_("Created: {at} by {login}, Qadam {version}").format(
        at=meta.created_at, login=meta.created_by, version=meta.program_version))
    for sheet, count in meta.counts.items():
        print(f"  {sheet}: {count}")
    return EXIT_OK


COMMANDS["package"] = cmd_package


def main(argv: list[str] | None = None) -> int:
    set_language(os.environ.get("QADAM_LANG", DEFAULT_LANGUAGE)
                 if os.environ.get("QADAM_LANG") in LANGUAGES else DEFAULT_LANGUAGE)
    argv = sys.argv[1:] if argv is None else argv
    try:
        args = build_parser().parse_args(argv)
        if args.lang:
            set_language(args.lang)
        if args.self_check:
            from desktop.self_check import run_self_check

            return run_self_check()
        handler = COMMANDS.get(args.command or "", cmd_window)
        return handler(args)
    except QadamError as exc:
        print(f"qadam: {exc.message}".replace("\n", "; "), file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return EXIT_USAGE
    except Exception as exc:
        words = _disk_full_words(exc, argv)
        if words is None:
            raise
        print(f"qadam: {words}", file=sys.stderr)
        return EXIT_USAGE


def _disk_full_words(exc: BaseException, argv: list[str]) -> str | None:
    """The message for a database that could not grow (a full disk), else None: exports say
    it themselves, but a login's audit entry or a demo can hit the limit inside SQLAlchemy."""
    from db.backups import disk_full_cause, disk_full_message, disk_full_or_faulty_message

    cause = disk_full_cause(exc)
    if cause is None:
        return None
    name = Path(argv[argv.index("--db") + 1]).name if "--db" in argv[:-1] else "qadam.db"
    return disk_full_message(name) if cause == "full" else disk_full_or_faulty_message(name)


if __name__ == "__main__":
    sys.exit(main())
