"""The region page of a regional database: packages imported by drop and by the open dialog
with a progress over the files, the history, the completeness grid (colours, deadline, Excel)
and the consolidated report with its files."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from package_support import OCTOBER, World
from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox
from sqlalchemy import delete
from sqlmodel import select

from db.models import AuditEntry, Event, Facility, PackageImport, User
from desktop import tasks
from desktop.context import AppContext
from desktop.main_window import MainWindow, pages_for
from desktop.pages.region_page import RegionPage
from reports.completeness import LATE_COLOUR, MISSING_COLOUR, NOT_DUE_COLOUR, RECEIVED_COLOUR

# PySide marks the only QDragEnterEvent constructor deprecated; a drop needs it all the same.
pytestmark = pytest.mark.filterwarnings("ignore:Function.*QDragEnterEvent:DeprecationWarning")


@pytest.fixture
def world(migrated_template: Path, tmp_path: Path, fixed_today: dt.date,
          monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setattr(tasks, "runner", [tasks.run_now])
    # imports are stamped on the 3rd, before the deadline (tests that need other days set it)
    monkeypatch.setattr("db.clock.now", lambda: dt.datetime(2026, 11, 3, 10, tzinfo=dt.UTC))
    built = World(tmp_path, migrated_template)
    yield built
    built.close()


@pytest.fixture(autouse=True)
def offered(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The files the tabs offered to open (the real box would wait for a click)."""
    paths: list[Path] = []
    for module in ("completeness_tab", "consolidated_tab"):
        monkeypatch.setattr(f"desktop.pages.{module}.offer_to_open",
                            lambda _parent, path: paths.append(path))
    return paths


def _user(world: World, login: str) -> User:
    with world.regional.session() as session:
        return session.exec(select(User).where(User.login == login)).one()


def _page(qtbot: Any, world: World, login: str = "analyst") -> RegionPage:
    page = RegionPage(AppContext(world.regional, _user(world, login)))
    qtbot.addWidget(page)
    return page


def _drop(widget: Any, files: list[Path]) -> bool:
    """Drag files over the widget and drop them, as the file manager does."""
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(path)) for path in files])
    point = QPoint(10, 10)
    enter = QDragEnterEvent(point, Qt.DropAction.CopyAction, data,
                            Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(widget, enter)
    if not enter.isAccepted():
        return False
    drop = QDropEvent(point, Qt.DropAction.CopyAction, data, Qt.MouseButton.LeftButton,
                      Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(widget, drop)
    return True


def _history(world: World) -> list[PackageImport]:
    with world.regional.session() as session:
        return list(session.exec(select(PackageImport).order_by(PackageImport.id)))


def _event_count(world: World) -> int:
    with world.regional.session() as session:
        return len(session.exec(select(Event)).all())


def _cells(page: RegionPage) -> dict[tuple[str, str], tuple[str, str]]:
    """(facility row head, month column head) -> (text, background colour)."""
    grid = page.completeness_tab.table
    found = {}
    for row in range(grid.rowCount()):
        for column in range(grid.columnCount()):
            item = grid.item(row, column)
            found[(grid.verticalHeaderItem(row).text(),
                   grid.horizontalHeaderItem(column).text())] = (
                item.text(), item.background().color().name().upper())
    return found


def test_region_page_only_on_a_regional_database(world: World) -> None:
    analyst = _user(world, "analyst")
    assert pages_for(analyst, regional=True)[0][0] == "region"
    assert "region" not in [key for key, _i, _t in pages_for(analyst)]


def test_dropped_packages_are_imported_with_history(qtbot, world: World, dialogs) -> None:
    page = _page(qtbot, world)
    tab = page.import_tab
    assert tab.history.rowCount() == 0
    assert _drop(tab, [world.packages["69"], world.packages["70"]])
    assert [(h.result, h.revision) for h in _history(world)] == [("imported", 1)] * 2
    assert _event_count(world) == 5  # 2 + 3 events of October
    assert tab.summary.text() == "Импортировано: 2, отклонено: 0."
    assert tab.history.rowCount() == 2
    texts = [tab.history.item(0, column).text() for column in range(tab.COLUMNS)]
    assert "package-70.xlsx" in texts and "№70" in texts and "2026-10" in texts
    assert not dialogs.said  # nothing refused, nothing to warn about
    # the other tabs reloaded: the grid shows both facilities received
    cells = _cells(page)
    october = next(key for key in cells if key[1].startswith("Октябрь"))
    assert cells[october][1] == f"#{RECEIVED_COLOUR}"


def test_a_second_drop_of_the_same_revision_is_refused_and_changes_nothing(
        qtbot, world: World, dialogs) -> None:
    page = _page(qtbot, world)
    _drop(page.import_tab, [world.packages["69"]])
    before = _event_count(world)
    _drop(page.import_tab, [world.packages["69"]])
    assert _event_count(world) == before
    assert [h.result for h in _history(world)] == ["imported", "refused"]
    assert "отклонено: 1" in page.import_tab.summary.text()
    assert dialogs.said and "package-69.xlsx" in dialogs.said[-1]
    assert "уже импортирована" in dialogs.said[-1] or "редакция" in dialogs.said[-1]
    refused_row = [page.import_tab.history.item(0, c).text() for c in range(8)]
    assert "отклонён" in " ".join(refused_row)


def test_files_other_than_packages_are_not_taken_by_drop(qtbot, world: World,
                                                         tmp_path: Path) -> None:
    page = _page(qtbot, world)
    note = tmp_path / "notes.txt"
    note.write_text("not a package")
    assert not _drop(page.import_tab, [note])
    assert _history(world) == []


def test_a_damaged_file_is_refused_with_its_reason(qtbot, world: World, tmp_path: Path,
                                                   dialogs) -> None:
    broken = tmp_path / "broken.xlsx"
    data = bytearray(world.packages["70"].read_bytes())
    broken.write_bytes(bytes(data[: len(data) // 2]))
    page = _page(qtbot, world)
    _drop(page.import_tab, [broken, world.packages["69"]])
    assert [h.result for h in _history(world)] == ["refused", "imported"]
    assert "broken.xlsx" in dialogs.said[-1]
    assert page.import_tab.summary.text() == "Импортировано: 1, отклонено: 1."


def test_open_dialog_imports_the_chosen_files(qtbot, world: World, monkeypatch) -> None:
    page = _page(qtbot, world)
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *a, **k: (
        [str(world.packages["69"]), str(world.packages["70"])], ""))
    qtbot.keyClick(page.import_tab.open_button, Qt.Key.Key_Space)
    assert [h.result for h in _history(world)] == ["imported", "imported"]


def _forget_facility(world: World, code: str) -> None:
    with world.regional.session() as session:
        session.exec(delete(Facility).where(Facility.code == code))  # type: ignore[call-overload]
        session.commit()


def test_unknown_facility_is_added_when_the_analyst_agrees(qtbot, world: World,
                                                           dialogs) -> None:
    _forget_facility(world, "70")
    page = _page(qtbot, world)
    dialogs.answers.append(QMessageBox.StandardButton.Yes)
    _drop(page.import_tab, [world.packages["70"]])
    assert dialogs.asked and "№70" in dialogs.asked[0]
    # the history keeps the first attempt's refusal, then the import that added the facility
    assert [h.result for h in _history(world)] == ["refused", "imported"]
    assert page.import_tab.summary.text() == "Импортировано: 1, отклонено: 0."
    with world.regional.session() as session:
        assert session.exec(select(Facility).where(Facility.code == "70")).one()


def test_unknown_facility_is_refused_when_the_analyst_declines(qtbot, world: World,
                                                               dialogs) -> None:
    _forget_facility(world, "70")
    page = _page(qtbot, world)
    _drop(page.import_tab, [world.packages["70"]])  # the recorder answers No
    assert [h.result for h in _history(world)] == ["refused"]
    assert _event_count(world) == 0


def test_operator_cannot_import(qtbot, world: World) -> None:
    page = _page(qtbot, world, "operator")
    assert not page.import_tab.open_button.isEnabled()
    assert not _drop(page.import_tab, [world.packages["69"]])
    assert _history(world) == []


def test_completeness_grid_colours_and_deadline(qtbot, world: World, monkeypatch) -> None:
    moments = iter([dt.datetime(2026, 11, 3, 10, tzinfo=dt.UTC),
                    dt.datetime(2026, 11, 9, 10, tzinfo=dt.UTC)])
    monkeypatch.setattr("db.clock.now", lambda: next(moments))
    page = _page(qtbot, world)
    _drop(page.import_tab, [world.packages["69"]])
    _drop(page.import_tab, [world.packages["70"]])
    tab = page.completeness_tab
    cells = _cells(page)
    rows = sorted({row for row, _month in cells})
    assert rows[0].startswith("№69") and rows[1].startswith("№70")
    october = next(month for _row, month in cells if month.startswith("Октябрь"))
    september = next(month for _row, month in cells if month.startswith("Сентябрь"))
    assert cells[(rows[0], october)] == (cells[(rows[0], october)][0], f"#{RECEIVED_COLOUR}")
    assert cells[(rows[0], october)][0] == "получен\nред. 1 · 03.11"
    assert cells[(rows[1], october)][1] == f"#{LATE_COLOUR}"  # came on the 9th, after the 5th
    assert cells[(rows[1], september)][1] == f"#{MISSING_COLOUR}"
    assert "получено 2 из 24" in tab.summary.text().lower()

    # the region moves its deadline to the 10th: the 9th is on time; kept and audited
    tab.deadline.setValue(10)
    qtbot.mouseClick(tab.save_deadline, Qt.MouseButton.LeftButton)
    assert _cells(page)[(rows[1], october)][1] == f"#{RECEIVED_COLOUR}"
    with world.regional.session() as session:
        from db.ops.settings import deadline_day

        assert deadline_day(session) == 10
        changes = [a.changes for a in session.exec(select(AuditEntry))
                   if a.table_name == "database_setting"]
    assert changes == ['{"deadline_day": [5, 10]}']
    assert not tab.save_deadline.isEnabled()


def test_completeness_of_the_current_month_is_not_due_yet(qtbot, world: World) -> None:
    page = _page(qtbot, world)
    tab = page.completeness_tab
    november = next(i for i in range(tab.last_month.count())
                    if tab.last_month.itemData(i) == OCTOBER.next())
    tab.last_month.setCurrentIndex(november)
    cells = _cells(page)
    column = next(month for _row, month in cells if month.startswith("Ноябрь"))
    assert {colour for (row, month), (_t, colour) in cells.items() if month == column} == {
        f"#{NOT_DUE_COLOUR}"}


def test_operator_cannot_change_the_deadline(qtbot, world: World) -> None:
    page = _page(qtbot, world, "operator")
    assert not page.completeness_tab.deadline.isEnabled()
    assert not page.completeness_tab.save_deadline.isVisibleTo(page)


def test_completeness_export_is_coloured_like_the_window(qtbot, world: World, tmp_path: Path,
                                                         monkeypatch, offered) -> None:
    page = _page(qtbot, world)
    _drop(page.import_tab, [world.packages["69"]])
    target = tmp_path / "grid.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    page.completeness_tab.export()
    assert offered == [target]
    sheet = load_workbook(target).active
    found = {}
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and cell.fill.fgColor.rgb:
                found.setdefault(cell.fill.fgColor.rgb[-6:], []).append(cell.value)
    assert any(text.startswith("получен") for text in found[RECEIVED_COLOUR])
    assert any(text.startswith("не получен") for text in found[MISSING_COLOUR])
    header = [cell.value for cell in next(r for r in sheet.iter_rows()
                                          if r[0].value == "Учреждение")]
    assert header[-1] == "Октябрь\n2026" and len(header) == 13
    with world.regional.session() as session:
        exports = [a.changes for a in session.exec(select(AuditEntry)) if a.action == "export"]
    assert exports and "completeness_xlsx" in exports[-1]


def test_consolidated_tab_shows_the_sum_and_saves_files(qtbot, world: World, tmp_path: Path,
                                                        monkeypatch) -> None:
    page = _page(qtbot, world)
    _drop(page.import_tab, [world.packages["69"], world.packages["70"]])
    tab = page.consolidated_tab
    heads = [tab.table.horizontalHeaderItem(c).text() for c in range(tab.table.columnCount())]
    assert heads[2:] == ["№69", "№70", "Итого по региону"]
    events_row = next(r for r in range(tab.table.rowCount()) if tab.table.item(r, 0).text() == "1")
    figures = [tab.table.item(events_row, c).text() for c in (2, 3, 4)]
    assert figures == ["2", "3", "5"]
    assert "получены" in tab.note.text() or "Отчёты" in tab.note.text()
    for suffix, magic in (("xlsx", b"PK\x03\x04"), ("pdf", b"%PDF")):
        target = tmp_path / f"region.{suffix}"
        monkeypatch.setattr(QFileDialog, "getSaveFileName",
                            lambda *a, t=target, **k: (str(t), ""))
        tab.export(suffix)
        assert target.read_bytes()[:4] == magic


def test_main_window_of_a_regional_database_opens_on_the_region_page(qtbot, world: World
                                                                     ) -> None:
    from desktop import settings

    settings.put(settings.LAST_PAGE, "region")
    window = MainWindow(AppContext(world.regional, _user(world, "analyst")))
    qtbot.addWidget(window)
    assert window.current_key() == "region"
    assert isinstance(window.current_page(), RegionPage)


def test_deadline_day_is_checked_and_needs_the_right(world: World) -> None:
    from db.errors import PermissionDenied, ValidationError
    from db.ops.settings import set_deadline_day

    with world.regional.session() as session:
        analyst = session.exec(select(User).where(User.login == "analyst")).one()
        operator = session.exec(select(User).where(User.login == "operator")).one()
        for wrong in (0, 29, -3):
            with pytest.raises(ValidationError, match="от 1 до 28"):
                set_deadline_day(session, analyst, wrong)
        with pytest.raises(PermissionDenied):
            set_deadline_day(session, operator, 7)


def test_import_runs_off_the_gui_thread_with_one_progress_dialog(qtbot, world: World,
                                                                  monkeypatch) -> None:
    """The real runner: files are imported in the thread pool; the tab's own progress over
    the files is the only dialog (no busy dialog stacked on it), and it is gone at the end."""
    from PySide6.QtWidgets import QProgressDialog

    monkeypatch.setattr(tasks, "runner", [tasks.run_in_background])
    page = _page(qtbot, world)
    seen: list[int] = []
    original = tasks.run_in_background

    def watching(*args: Any, **kwargs: Any) -> None:
        original(*args, **kwargs)
        # a busy dialog is one with no range (0, 0); the tab's own counts the files
        seen.append(len([w for w in page.findChildren(QProgressDialog) if w.maximum() == 0]))

    monkeypatch.setattr(tasks, "runner", [watching])
    _drop(page.import_tab, [world.packages["69"], world.packages["70"]])
    qtbot.waitUntil(lambda: page.import_tab.run is None, timeout=60_000)
    assert [h.result for h in _history(world)] == ["imported", "imported"]
    assert page.import_tab.summary.text() == "Импортировано: 2, отклонено: 0."
    assert seen == [0, 0]  # one run per file, never a busy dialog
    qtbot.wait(50)
    assert not [w for w in page.findChildren(QProgressDialog) if w.isVisible()]


def test_region_exports_to_a_missing_folder_say_so(qtbot, world: World, tmp_path: Path,
                                                   monkeypatch, dialogs, offered) -> None:
    page = _page(qtbot, world)
    _drop(page.import_tab, [world.packages["69"]])
    target = tmp_path / "no-such-folder" / "region.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    page.consolidated_tab.export("xlsx")
    page.completeness_tab.export()
    assert len(dialogs.said) == 2 and all("no-such-folder" in text for text in dialogs.said)
    assert offered == [] and not target.parent.exists()


def test_an_import_tells_the_registers_and_rebuilds_the_region_tabs_once(qtbot, world: World,
                                                                        monkeypatch) -> None:
    """The events, persons and volunteers registers hear of the imported records; the
    completeness grid and the consolidated report (a second on a region's decade) are
    rebuilt once per import, not once for every kind announced."""
    from desktop import signals

    page = _page(qtbot, world)
    kinds: list[str] = []
    signals.data_events().changed.connect(kinds.append)
    rebuilt = {"completeness": 0, "consolidated": 0}
    monkeypatch.setattr(page.completeness_tab, "refresh",
                        lambda: rebuilt.__setitem__("completeness", rebuilt["completeness"] + 1))
    monkeypatch.setattr(page.consolidated_tab, "refresh",
                        lambda: rebuilt.__setitem__("consolidated", rebuilt["consolidated"] + 1))
    _drop(page.import_tab, [world.packages["69"], world.packages["70"]])
    signals.data_events().changed.disconnect(kinds.append)
    assert {signals.EVENTS, signals.PERSONS, signals.VOLUNTEERS, signals.IMPORTS} <= set(kinds)
    assert rebuilt == {"completeness": 1, "consolidated": 1}
