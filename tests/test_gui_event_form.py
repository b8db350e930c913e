"""Filling in an event the way a social worker does, then checking the database."""

from __future__ import annotations

import datetime as dt

import pytest
from gui_support import type_text
from ops_support import (
    new_person,
    new_volunteer,
)
from PySide6.QtCore import QDate, Qt
from sqlmodel import select

from db.models import Event, EventAttendee, EventTopic, Participation
from db.ops.events import links_of
from desktop.context import AppContext
from desktop.forms.event_form import EventForm

pytestmark = pytest.mark.usefixtures("fast_hashing", "fixed_today")


@pytest.fixture
def form(qtbot, database, admin):
    form = EventForm(AppContext(database, admin))
    qtbot.addWidget(form)
    form.show()
    form.activateWindow()
    qtbot.waitActive(form)
    return form


def test_event_form_typed_event_is_saved_with_topics_counts_and_attendees(
        qtbot, form, database, admin) -> None:
    with database.session() as session:
        person = new_person(session, admin, surname="Әлібеков", name="Әлібек")
        volunteer = new_volunteer(session, admin, new_person(session, admin, surname="Ғалымов",
                                                             name="Ерғали"))
    form._load_volunteer_choices(None, set())
    form.event_date.setDate(QDate(2026, 11, 10))
    form.event_time.setFocus()
    form.event_time.setCursorPosition(0)
    qtbot.keyClicks(form.event_time, "1430")
    form.kind.setCurrentIndex(form.kind.findText("Круглый стол"))
    form.topics.set_checked(form.topics.item(0).data(Qt.ItemDataRole.UserRole))
    form.topics.set_checked(form.topics.item(2).data(Qt.ItemDataRole.UserRole))
    form.agencies.set_checked(form.agencies.item(0).data(Qt.ItemDataRole.UserRole))
    form.responsible.clear()
    type_text(form.responsible, "Оспанова Г. М.")
    form.counts["serving"].setValue(0)
    form.counts["serving"].selectAll()
    qtbot.keyClicks(form.counts["serving"], "25")
    form.counts["community"].selectAll()
    qtbot.keyClicks(form.counts["community"], "4")
    type_text(form.picker, "әлібек")
    form.picker.refresh()
    assert len(form.picker.suggestions()) == 1
    form.picker.choose(form.picker.suggestions()[0])
    form.add_volunteer_row(volunteer.id, "story", 2.5)
    type_text(form.notes, "Встреча прошла активно")
    qtbot.keyClick(form.notes, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert not form.isVisible(), form.general_error.text()

    with database.session() as session:
        event = session.exec(select(Event)).one()
        links = links_of(session, event.id)
        attendees = session.exec(select(EventAttendee)).all()
        topics = session.exec(select(EventTopic)).all()
        participation = session.exec(select(Participation)).one()
    assert event.event_date == dt.date(2026, 11, 10)
    assert event.event_time == dt.time(14, 30)
    assert (event.count_serving, event.count_released, event.count_community) == (25, 1, 4)
    assert event.responsible == "Оспанова Г. М."
    assert event.notes == "Встреча прошла активно"
    assert len(topics) == 2 and len(links.agency_ids) == 1
    assert [(a.person_id, a.category) for a in attendees] == [(person.id, "released")]
    assert (participation.volunteer_id, participation.role, participation.hours) == (
        volunteer.id, "story", 2.5)


def test_event_form_future_held_event_is_refused_beside_the_date(qtbot, form,
                                                                 database) -> None:
    form.event_date.setDate(QDate(2026, 12, 20))
    form.status.setCurrentIndex(form.status.findData("held"))
    form.save()
    assert form.isVisible()
    assert form._errors["event_date"].isVisibleTo(form)
    assert "20.12.2026" in form._errors["event_date"].text()
    assert not form.save_button.isEnabled()
    with database.session() as session:
        assert session.exec(select(Event)).all() == []
    form.status.setCurrentIndex(form.status.findData("planned"))
    assert form.validate()


def test_event_form_outside_place_needs_its_name(qtbot, form) -> None:
    form.outside.setChecked(True)
    form.save()
    assert form._errors["place_text"].isVisibleTo(form)
    type_text(form.place_text, "Махалля «Достық»")
    assert form.validate()


def test_event_form_reopened_event_shows_what_was_saved(qtbot, database, admin) -> None:
    with database.session() as session:
        person = new_person(session, admin, surname="Үмбетов", name="Ұлан")
    first = EventForm(AppContext(database, admin))
    qtbot.addWidget(first)
    first.add_attendee(person.id)
    first.save()
    again = EventForm(AppContext(database, admin), first.saved_id)
    qtbot.addWidget(again)
    assert again.attendees.rowCount() == 1
    assert again.attendees.cellWidget(0, 0).text() == "Үмбетов Ұлан Иванович"
    assert again.counts["released"].value() == 1
    assert not again.dirty
