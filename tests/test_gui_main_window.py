"""The main window: navigation, registers, search as you type, languages, remembered layout."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from gui_support import type_text
from ops_support import (
    new_event,
    new_person,
)
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from sqlalchemy import insert
from sqlmodel import select

from db.collation import person_sort_key
from db.i18n import set_language
from db.models import Person, utcnow
from db.search import person_search_key
from desktop import settings
from desktop.context import AppContext
from desktop.main_window import MainWindow
from desktop.table_model import PAGE_SIZE

pytestmark = pytest.mark.usefixtures("fast_hashing", "fixed_today")


@pytest.fixture
def window(qtbot, database, admin):
    window = MainWindow(AppContext(database, admin))
    qtbot.addWidget(window)
    window.show()
    return window


def test_main_window_persons_search_folds_kazakh_letters(qtbot, window, database,
                                                         admin) -> None:
    with database.session() as session:
        new_person(session, admin, surname="Әлібеков", name="Әлібек")
        new_person(session, admin, surname="Семёнов", name="Пётр")
        new_person(session, admin, surname="Иванов", name="Иван")
    window.show_page("persons")
    page = window.pages["persons"]
    page.reload()
    assert page.model.total == 3
    type_text(page.search, "әлібек")
    qtbot.waitUntil(lambda: page.model.total == 1, timeout=2000)
    assert page.model.row_at(0).full_name == "Әлібеков Әлібек Иванович"
    page.search.clear()
    type_text(page.search, "семен")
    page.search.flush()
    assert [page.model.row_at(i).full_name for i in range(page.model.rowCount())] == [
        "Семёнов Пётр Иванович"]


def test_main_window_large_register_loads_one_page(qtbot, database, admin) -> None:
    rows = []
    now = utcnow()
    for number in range(100_000):
        surname, name = f"Фамилия{number:06d}", "Имя"
        rows.append(dict(uuid=str(uuid.uuid4()), surname=surname, name=name, patronymic="",
                         status="serving", phone="", district="", notes="",
                         search_key=person_search_key(surname, name, "", None),
                         sort_key=person_sort_key(surname, name, ""),
                         created_at=now, updated_at=now))
    with database.session() as session:
        session.execute(insert(Person), rows)
        session.commit()
    window = MainWindow(AppContext(database, admin))
    qtbot.addWidget(window)
    window.show_page("persons")
    model = window.pages["persons"].model
    assert model.total == 100_000
    assert model.rowCount() == PAGE_SIZE
    assert model.canFetchMore()
    model.fetchMore()
    assert model.rowCount() == 2 * PAGE_SIZE
    assert model.row_at(0).full_name == "Фамилия000000 Имя"


def test_main_window_sorting_happens_in_sql(qtbot, window, database, admin) -> None:
    with database.session() as session:
        for surname in ("Борисов", "Алиев", "Викторов"):
            new_person(session, admin, surname=surname)
    page = window.pages["persons"]
    page.reload()
    header = page.table.horizontalHeader()
    header.setSortIndicator(page.model.column_of("full_name"), Qt.SortOrder.DescendingOrder)
    assert [page.model.row_at(i).full_name.split()[0] for i in range(3)] == [
        "Викторов", "Борисов", "Алиев"]


def test_main_window_delete_asks_and_refuses_referenced_record(qtbot, window, database, admin,
                                                              dialogs) -> None:
    with database.session() as session:
        person = new_person(session, admin, surname="Ким")
        new_event(session, admin, count_released=1,
                  attendees=[{"person_id": person.id, "category": "released"}])
        lonely = new_person(session, admin, surname="Ли")
    page = window.pages["persons"]
    page.reload()
    page.select_id(person.id)
    dialogs.answers.append(QMessageBox.StandardButton.Yes)
    page.delete_selected()
    assert dialogs.said and "Ким" in dialogs.said[-1]
    page.select_id(lonely.id)
    dialogs.answers.append(QMessageBox.StandardButton.No)
    page.delete_selected()
    dialogs.answers.append(QMessageBox.StandardButton.Yes)
    page.delete_selected()
    with database.session() as session:
        assert session.get(Person, lonely.id) is None
        assert session.get(Person, person.id) is not None
    assert page.model.total == 1


def test_main_window_in_kazakh_shows_kazakh_labels(qtbot, database, admin) -> None:
    set_language("kk")
    window = MainWindow(AppContext(database, admin))
    qtbot.addWidget(window)
    titles = [window.navigation.item(i).text() for i in range(window.navigation.count())]
    assert titles[:3] == ["Іс-шаралар", "Тұлғалар", "Еріктілер"]
    menus = [action.text() for action in window.menuBar().actions()]
    assert "&Файл" in menus
    page = window.pages["events"]
    headers = [page.model.headerData(i, Qt.Orientation.Horizontal)
               for i in range(page.model.columnCount())]
    assert "Күні" in headers


def test_main_window_remembers_page_and_geometry(qtbot, database, admin) -> None:
    first = MainWindow(AppContext(database, admin))
    qtbot.addWidget(first)
    first.show()
    first.show_page("volunteers")
    first.resize(first.minimumSizeHint().width() + 10, 520)
    size = first.size()
    first.close()
    assert settings.get(settings.LAST_PAGE) == "volunteers"
    second = MainWindow(AppContext(database, admin))
    qtbot.addWidget(second)
    assert second.current_key() == "volunteers"
    assert second.size() == size


def test_main_window_ctrl_n_opens_the_new_record_form(qtbot, window, monkeypatch) -> None:
    opened: list[object] = []
    window.show_page("events")
    monkeypatch.setattr(window.pages["events"], "open_editor", opened.append)
    window.activateWindow()
    qtbot.waitActive(window)
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert opened == [None]


def test_main_window_status_bar_names_facility_and_user(window) -> None:
    assert "69" in window.facility_label.text()
    assert "Админов Админ" in window.user_label.text()


def test_main_window_events_month_filter(qtbot, window, database, admin) -> None:
    with database.session() as session:
        new_event(session, admin, event_date=dt.date(2026, 10, 3))
        new_event(session, admin, event_date=dt.date(2026, 9, 3))
    page = window.pages["events"]
    page.reload()
    assert page.model.total == 2
    combo = page.month_filter
    combo.setCurrentIndex(next(i for i in range(combo.count())
                               if str(combo.itemData(i)) == "2026-10"))
    assert page.model.total == 1
    with database.session() as session:
        assert len(session.exec(select(Person)).all()) == 0
