"""The regional report computes some figures for every facility at once; each facility's
column must still be exactly the report the facility gets alone. Checked on a small synthetic
region (bench/make_data.py at 1/100 of the decade size: 20 facilities, ten years)."""

from __future__ import annotations

import dataclasses
import importlib.util
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from db import clock
from db.database import Database, open_database
from db.months import Month
from reports.consolidated import build_region_report
from reports.monthly import (
    NOBODY_TOOK_PART,
    build_monthly_report,
    volunteers_taking_part,
    volunteers_taking_part_by_facility,
)


def _make_data() -> ModuleType:
    """bench/make_data.py is a script, not a package: load it by path."""
    path = Path(__file__).resolve().parent.parent / "bench" / "make_data.py"
    spec = importlib.util.spec_from_file_location("make_data", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def region(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    make_data = _make_data()
    path = tmp_path_factory.mktemp("region") / "region.db"
    make_data.make_database(path, make_data.FULL.scaled(100), seed=3, log=False)
    database = open_database(path)
    yield database
    database.dispose()


def months() -> list[Month]:
    last = Month.of(clock.today()).previous()
    return [last, Month(last.year - 1, 12), Month(last.year - 3, 1)]


def test_report_batch_taking_part_equals_each_facility_alone(region: Database) -> None:
    with region.session() as session:
        ids = [r[0] for r in session.connection().exec_driver_sql("SELECT id FROM facility")]
        for month in months():
            batched = volunteers_taking_part_by_facility(session, month)
            alone = {i: volunteers_taking_part(session, i, month) for i in ids}
            got = {i: batched.get(i, NOBODY_TOOK_PART) for i in ids}
            assert got == alone, month
            # the same types too: hours print as 0.0 in the JSON of either
            assert {i: repr(part) for i, part in got.items()} == \
                {i: repr(part) for i, part in alone.items()}, month
            assert any(part.volunteers.month for part in alone.values()), month


def test_report_batch_region_columns_are_the_facility_reports(region: Database) -> None:
    month = months()[0]
    with region.session() as session:
        report = build_region_report(session, month=month)
        for column in report.facilities:
            facility_id = session.connection().exec_driver_sql(
                "SELECT id FROM facility WHERE code = ?", (column.facility.code,)).scalar_one()
            alone = build_monthly_report(session, facility_id=facility_id, month=month,
                                         now=column.generated_at)
            # the region lists every kind of the region in each column, zeros included
            kinds = {k.code: k for k in column.events_by_kind if k.events.year}
            assert kinds == {k.code: k for k in alone.events_by_kind if k.events.year}
            assert dataclasses.replace(column, events_by_kind=[]) == \
                dataclasses.replace(alone, events_by_kind=[])
