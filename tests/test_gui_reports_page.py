"""The Reports page: figures on screen, and Excel/PDF files saved through the task helper."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from ops_support import new_event
from PySide6.QtWidgets import QFileDialog

from db.months import Month
from desktop import tasks
from desktop.context import AppContext
from desktop.pages.reports_page import ReportsPage
from reports.model import summary_rows

pytestmark = pytest.mark.usefixtures("fixed_today")


@pytest.fixture
def page(qtbot, database, admin, monkeypatch):
    monkeypatch.setattr(tasks, "runner", [tasks.run_now])
    with database.session() as session:
        new_event(session, admin, event_date=dt.date(2026, 10, 5), count_serving=30)
        new_event(session, admin, event_date=dt.date(2026, 10, 20), count_serving=12,
                  count_released=3)
        new_event(session, admin, event_date=dt.date(2026, 9, 2), count_serving=7)
    page = ReportsPage(AppContext(database, admin))
    qtbot.addWidget(page)
    return page


def shown(page: ReportsPage) -> dict[str, tuple[str, str]]:
    return {page.table.item(r, 0).text(): (page.table.item(r, 2).text(),
                                           page.table.item(r, 3).text())
            for r in range(page.table.rowCount())}


def test_reports_page_shows_last_month_figures(page) -> None:
    assert page.report is not None and page.report.month == Month(2026, 10)
    figures = shown(page)
    assert figures["1"] == ("2", "3")
    assert figures["2"] == ("50", "62")  # 30+5 + 12+3 in October; + 7+5 in September
    assert "за октябрь 2026 года" in page.title.text()
    rows = summary_rows(page.report, "ru")
    assert len(rows) == page.table.rowCount()


def test_reports_page_month_choice_recomputes(page) -> None:
    index = next(i for i in range(page.month.count())
                 if page.month.itemData(i) == Month(2026, 9))
    page.month.setCurrentIndex(index)
    assert shown(page)["1"] == ("1", "1")


@pytest.mark.parametrize("suffix", ["xlsx", "pdf"])
def test_reports_page_saves_the_file_and_offers_to_open(page, tmp_path, monkeypatch,
                                                        suffix) -> None:
    target = tmp_path / f"report.{suffix}"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda *args, **kwargs: (str(target), ""))
    offered: list[Path] = []
    monkeypatch.setattr(page, "offer_to_open", offered.append)
    page.export(suffix)
    assert offered == [target]
    assert target.stat().st_size > 1000
    from sqlmodel import select

    from db.models import AuditEntry

    with page.context.database.session() as session:
        exports = [a for a in session.exec(select(AuditEntry)) if a.action == "export"]
    assert len(exports) == 1 and '"month": "2026-10"' in exports[0].changes
    head = target.read_bytes()[:4]
    assert head == (b"PK\x03\x04" if suffix == "xlsx" else b"%PDF")


def test_reports_page_export_failure_is_a_message_not_a_crash(page, tmp_path, monkeypatch,
                                                              dialogs) -> None:
    target = tmp_path / "missing-folder" / "report.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda *args, **kwargs: (str(target), ""))
    page.export("xlsx")
    assert dialogs.said and "missing-folder" in dialogs.said[-1]
    assert not target.exists()


def test_reports_page_signature_is_remembered(qtbot, page, database, admin) -> None:
    page.signature_fields["phone"].setText("+7 7252 53 12 34")
    page.signature_fields["phone"].editingFinished.emit()
    again = ReportsPage(AppContext(database, admin))
    qtbot.addWidget(again)
    assert again.signature_fields["phone"].text() == "+7 7252 53 12 34"
    assert again.report.signature.phone == "+7 7252 53 12 34"


def test_reports_page_package_is_verified_and_offers_to_lock(page, tmp_path, monkeypatch,
                                                             dialogs) -> None:
    from PySide6.QtWidgets import QInputDialog, QMessageBox

    from db.ops.month_locks import is_month_locked
    from reports.package import read_package

    target = tmp_path / "package.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    monkeypatch.setattr(QInputDialog, "getItem",
                        lambda _p, _t, _l, items, *a, **k: (items[0], True))
    monkeypatch.setattr(page, "offer_to_open", lambda path: None)
    dialogs.answers.append(QMessageBox.StandardButton.Yes)  # lock the month now
    page.export_package()
    package = read_package(target)
    assert package.meta.personal_data == "pseudonymised"
    assert str(package.meta.month) == "2026-10" and package.meta.revision == 1
    with page.context.database.session() as session:
        facility_id = page.facility.currentData()
        assert is_month_locked(session, facility_id, dt.date(2026, 10, 15))
