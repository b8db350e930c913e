"""The person form, used through the keyboard as staff do."""

from __future__ import annotations

import datetime as dt

from gui_support import type_text
from PySide6.QtCore import Qt
from sqlmodel import select

from db.iin import make_iin
from db.models import Person
from db.values import Sex
from desktop.context import AppContext
from desktop.forms.person_form import PersonForm


def valid_iin() -> str:
    serial = 1
    while (iin := make_iin(dt.date(1988, 3, 14), Sex.FEMALE, serial)) is None:
        serial += 1
    return iin


def test_person_form_valid_iin_fills_birth_date_and_sex(qtbot, database, admin) -> None:
    form = PersonForm(AppContext(database, admin))
    qtbot.addWidget(form)
    form.show()
    form.activateWindow()
    qtbot.waitActive(form)
    type_text(form.surname, "Әлібекова")
    type_text(form.name, "Сәуле")
    type_text(form.iin, valid_iin())
    assert form.birth_date.value() == dt.date(1988, 3, 14)
    assert form.sex.currentData() == "F"
    form.validate()
    assert form.save_button.isEnabled()
    qtbot.keyClick(form.surname, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert not form.isVisible()
    with database.session() as session:
        person = session.exec(select(Person)).one()
    assert (person.surname, person.name, person.iin, person.birth_date, person.sex) == (
        "Әлібекова", "Сәуле", valid_iin(), dt.date(1988, 3, 14), "F")


def test_person_form_invalid_iin_shows_message_and_saves_nothing(qtbot, database,
                                                                 admin) -> None:
    form = PersonForm(AppContext(database, admin))
    qtbot.addWidget(form)
    type_text(form.surname, "Иванов")
    type_text(form.name, "Пётр")
    bad = valid_iin()[:11] + str((int(valid_iin()[11]) + 1) % 10)
    type_text(form.iin, bad)
    assert not form.validate()
    error = form._errors["iin"]
    assert error.isVisibleTo(form) and "ИИН" in error.text()
    assert not form.save_button.isEnabled()
    form.save()  # Ctrl+S while invalid
    with database.session() as session:
        assert session.exec(select(Person)).all() == []
    assert form.isVisible() or not form.result()


def test_person_form_warns_about_existing_iin(qtbot, database, admin) -> None:
    first = PersonForm(AppContext(database, admin))
    qtbot.addWidget(first)
    type_text(first.surname, "Қасымов")
    type_text(first.name, "Нұрлан")
    type_text(first.iin, valid_iin())
    first.sex.setCurrentIndex(first.sex.findData("F"))
    first.save()
    second = PersonForm(AppContext(database, admin))
    qtbot.addWidget(second)
    type_text(second.surname, "Другой")
    type_text(second.name, "Человек")
    type_text(second.iin, valid_iin())
    second.validate()
    assert not second.duplicate_box.isHidden()
    assert "Қасымов" in second.duplicate_note.text()
    assert not second.save_button.isEnabled()


def test_person_form_escape_on_changed_form_asks_first(qtbot, database, admin,
                                                       dialogs) -> None:
    from PySide6.QtWidgets import QMessageBox

    form = PersonForm(AppContext(database, admin))
    qtbot.addWidget(form)
    form.show()
    type_text(form.surname, "Ким")
    dialogs.answers.append(QMessageBox.StandardButton.Cancel)
    qtbot.keyClick(form, Qt.Key.Key_Escape)
    assert dialogs.asked and form.isVisible()
    dialogs.answers.append(QMessageBox.StandardButton.Discard)
    qtbot.keyClick(form, Qt.Key.Key_Escape)
    assert not form.isVisible()
