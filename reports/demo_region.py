"""A demo database of the regional department, made the way a real one fills: two demo
facilities (69 and 54) export their packages for the last months, and the region imports them.

It lives in reports/ because it writes and imports packages (db/ must not import reports/).
Accounts: admin and analyst, with the password `demo`. So that the completeness grid shows every
colour, the import moments are set as if the packages had come on the 3rd of the next month, one
of them on the 9th (late), and facility 54's oldest month is not sent at all."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

from sqlmodel import Session, select

from db import clock
from db.database import open_database
from db.demo import DEMO_PASSWORD, create_demo_database, remove_database_files
from db.errors import QadamError
from db.i18n import _, ngettext
from db.models import PackageImport, User, UserCreate
from db.months import Month
from db.ops.common import create_record, transaction
from db.ops.settings import own_facility
from db.ops.setup import initialize
from db.ops.users import add_user
from db.values import DatabaseMode, Role
from reports.completeness import months_ending
from reports.package import write_package
from reports.package_import import import_package

FACILITIES = (("69", 1), ("54", 2))  # (code, seed)
MONTHS = 3
SKIPPED = ("54", 0)  # facility 54 did not send the oldest of the months
LATE = ("69", 1)  # facility 69 sent the middle month after the deadline


def _packages(folder: Path, months: list[Month]) -> list[tuple[str, Month, Path]]:
    made: list[tuple[str, Month, Path]] = []
    for code, seed in FACILITIES:
        path = folder / f"facility-{code}.db"
        create_demo_database(path, facility_code=code, seed=seed)
        database = open_database(path)
        try:
            with database.session() as session:
                head = session.exec(select(User).where(User.role == Role.HEAD)).first()
                facility = own_facility(session)
                assert head is not None and facility is not None and facility.id is not None
                for index, month in enumerate(months):
                    if (code, index) == SKIPPED:
                        continue
                    target = folder / f"Qadam_package_{code}_{month}.xlsx"
                    write_package(session, actor=head, facility_id=facility.id, month=month,
                                  path=target)
                    made.append((code, month, target))
        finally:
            database.dispose()
    return made


def _received_on(code: str, month: Month, months: list[Month]) -> dt.datetime:
    following = month.next()
    day = 9 if (code, months.index(month)) == LATE else 3
    return dt.datetime(following.year, following.month, day, 10, 30, tzinfo=dt.UTC)


def create_regional_demo(path: Path) -> str:
    """Create a regional database at `path` from two demo facilities' packages; return a short
    summary."""
    path = Path(path)
    if path.exists():
        raise QadamError(_("{path} already exists; choose a new file.").format(path=path))
    months = months_ending(Month.of(clock.today()).previous(), MONTHS)
    try:
        database = open_database(path, create=True)
    except BaseException:  # a full disk while the schema is made
        remove_database_files(path)
        raise
    try:
        with tempfile.TemporaryDirectory(prefix="qadam-demo-") as folder:
            packages = _packages(Path(folder), months)
            with database.session() as session:
                admin = _accounts(session)
                for code, month, package in packages:
                    import_package(session, actor=admin, path=package,
                                   add_facility_if_unknown=True)
                    _backdate(session, code, month, _received_on(code, month, months))
    except BaseException:
        database.dispose()
        remove_database_files(path)
        raise
    database.dispose()
    return ngettext("{n} package imported", "{n} packages imported", len(packages)).format(
        n=len(packages))


def _accounts(session: Session) -> User:
    admin = initialize(session, mode=DatabaseMode.REGIONAL, admin=UserCreate(
        login="admin", full_name="Администратор Демо", role=Role.ADMIN.value,
        password=DEMO_PASSWORD), enforce_password_rules=False)
    assert admin is not None
    with transaction(session):
        analyst = add_user(session, UserCreate(
            login="analyst", full_name="Аналитик Демо", role=Role.ANALYST.value,
            position="Главный специалист", password=DEMO_PASSWORD),
            enforce_password_rules=False)
        create_record(session, admin, analyst, "app_user")
    return admin


def _backdate(session: Session, code: str, month: Month, moment: dt.datetime) -> None:
    """Demo only: the import just made is stamped as if it had come on `moment`."""
    from db.ops.facilities import facility_by_code

    facility = facility_by_code(session, code)
    assert facility is not None
    entry = session.exec(select(PackageImport).where(
        PackageImport.facility_id == facility.id, PackageImport.month == str(month))).one()
    with transaction(session):
        entry.imported_at = moment
        session.add(entry)
