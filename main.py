"""Qadam: the window with no arguments; the same operations headless with a subcommand.

Exit codes: 0 done, 2 a user's mistake (one line on stderr, never a traceback), 1 a fault."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from db import __version__
from db.errors import QadamError
from db.i18n import DEFAULT_LANGUAGE, LANGUAGES, _, set_language
from db.values import FacilityType

EXIT_OK = 0
EXIT_FAULT = 1
EXIT_USAGE = 2


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
    commands = parser.add_subparsers(dest="command", parser_class=_Parser)

    init = commands.add_parser("init", help=_("create a new, empty database"))
    init.add_argument("--db", required=True)
    which = init.add_mutually_exclusive_group(required=True)
    which.add_argument("--facility", metavar="CODE", help=_("this facility's code, e.g. 69"))
    which.add_argument("--regional", action="store_true",
                       help=_("a database of the regional department"))
    init.add_argument("--facility-name", metavar="NAME")
    init.add_argument("--facility-type", default="other",
                      choices=[t.value for t in FacilityType])

    demo = commands.add_parser("demo", help=_("create a database with demo data"))
    demo.add_argument("--db", required=True)
    demo.add_argument("--facility", default="69", choices=["69", "54"])
    demo.add_argument("--seed", type=int, default=1)

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
    return parser


def remove_database_files(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def cmd_init(args: argparse.Namespace) -> int:
    from db.database import open_database
    from db.models import FacilityCreate
    from db.ops.setup import initialize
    from db.values import DatabaseMode

    path = Path(args.db)
    if path.exists():
        raise UsageError(_("{path} already exists; choose a new file.").format(path=path))
    if args.facility and not args.facility_name:
        raise UsageError(_("--facility-name is required with --facility."))
    database = open_database(path, create=True)
    try:
        with database.session() as session:
            if args.regional:
                initialize(session, mode=DatabaseMode.REGIONAL)
            else:
                initialize(session, mode=DatabaseMode.FACILITY, facility=FacilityCreate(
                    code=args.facility, name=args.facility_name,
                    facility_type=args.facility_type))
    except BaseException:
        # a refused init leaves no half-made file that would block the corrected command
        database.dispose()
        remove_database_files(path)
        raise
    database.dispose()
    print(_("Created {path}.").format(path=path))
    return EXIT_OK


def cmd_demo(args: argparse.Namespace) -> int:
    from db.demo import create_demo_database

    path = Path(args.db)
    if path.exists():
        raise UsageError(_("{path} already exists; choose a new file.").format(path=path))
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
    finally:
        database.dispose()
    # With --json, stdout carries only the JSON; the notes about written files go to stderr.
    notes = sys.stderr if args.json else sys.stdout
    if args.xlsx:
        from reports.excel import write_monthly_xlsx

        write_monthly_xlsx(report, Path(args.xlsx), language=language)
        print(_("Written {path}.").format(path=args.xlsx), file=notes)
    if args.pdf:
        from reports.pdf import write_monthly_pdf

        write_monthly_pdf(report, Path(args.pdf), language=language)
        print(_("Written {path}.").format(path=args.pdf), file=notes)
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


COMMANDS = {"init": cmd_init, "demo": cmd_demo, "report": cmd_report}


def main(argv: list[str] | None = None) -> int:
    set_language(os.environ.get("QADAM_LANG", DEFAULT_LANGUAGE)
                 if os.environ.get("QADAM_LANG") in LANGUAGES else DEFAULT_LANGUAGE)
    argv = sys.argv[1:] if argv is None else argv
    try:
        args = build_parser().parse_args(argv)
        if args.lang:
            set_language(args.lang)
        handler = COMMANDS.get(args.command or "", cmd_window)
        return handler(args)
    except QadamError as exc:
        print(f"qadam: {exc.message}".replace("\n", "; "), file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return EXIT_USAGE


if __name__ == "__main__":
    sys.exit(main())
