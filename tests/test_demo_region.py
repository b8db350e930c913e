"""The regional demo: two demo facilities' packages imported, every completeness colour shown."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlmodel import select

from db.database import open_database
from db.errors import QadamError
from db.models import PackageImport, User
from db.months import Month
from db.ops.settings import database_mode
from db.values import DatabaseMode
from reports.completeness import Status, completeness, months_ending
from reports.consolidated import build_region_report
from reports.demo_region import create_regional_demo


def test_regional_demo_has_every_status(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                        ) -> None:
    monkeypatch.setattr("db.clock.today", lambda: dt.date(2026, 11, 15))
    path = tmp_path / "region.db"
    assert create_regional_demo(path) == "импортировано 5 пакетов"
    database = open_database(path)
    try:
        with database.session() as session:
            assert database_mode(session) == DatabaseMode.REGIONAL
            logins = {user.login for user in session.exec(select(User))}
            assert logins == {"admin", "analyst"}
            assert all(entry.result == "imported" for entry in session.exec(select(PackageImport)))
            months = months_ending(Month(2026, 10), 3)
            rows = completeness(session, months=months, today=dt.date(2026, 11, 15))
            found = {(row.facility_code, str(row.month)): row.status for row in rows}
            assert found[("54", "2026-08")] == Status.MISSING
            assert found[("69", "2026-09")] == Status.LATE
            assert found[("69", "2026-10")] == Status.RECEIVED
            report = build_region_report(session, month=Month(2026, 10))
            assert [f.facility.code for f in report.facilities] == ["54", "69"]
            assert report.total.events_total.month == sum(
                f.events_total.month for f in report.facilities) > 0
    finally:
        database.dispose()
    with pytest.raises(QadamError):
        create_regional_demo(path)  # never over an existing file
