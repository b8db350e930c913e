"""First start, login, the volunteer form, reference lists and settings, through the window."""

from __future__ import annotations

import datetime as dt

import pytest
from gui_support import type_text
from ops_support import (
    new_event,
    new_person,
    new_volunteer,
)
from PySide6.QtCore import QDate
from sqlmodel import select

from db.models import AuditEntry, ReferenceItem, User, Volunteer
from db.ops.references import list_items
from db.ops.settings import database_mode, own_facility
from db.values import ReferenceList
from desktop import settings
from desktop.context import AppContext
from desktop.first_start import FirstStartWizard
from desktop.forms.volunteer_form import VolunteerForm
from desktop.login import LoginDialog
from desktop.pages.references_page import ReferencesPage
from desktop.pages.settings_page import SettingsPage

pytestmark = pytest.mark.usefixtures("fast_hashing", "fixed_today")


def test_first_start_wizard_sets_up_facility_and_admin(qtbot, database) -> None:
    wizard = FirstStartWizard(database)
    qtbot.addWidget(wizard)
    wizard.show()
    type_text(wizard.place.code, "69")
    type_text(wizard.place.name, "Учреждение ЛА-155/69")
    wizard.next()
    assert wizard.currentPage() is wizard.admin
    type_text(wizard.admin.full_name, "Тұрсынов Ерлан")
    type_text(wizard.admin.password, "short")
    type_text(wizard.admin.repeat, "short")
    assert not wizard.admin.validatePage()
    assert wizard.admin.error.text()
    wizard.admin.password.clear()
    wizard.admin.repeat.clear()
    type_text(wizard.admin.password, "сенімді құпия сөз")
    type_text(wizard.admin.repeat, "сенімді құпия сөз")
    wizard.accept()
    assert wizard.user is not None and wizard.user.role == "admin"
    with database.session() as session:
        assert own_facility(session).code == "69"
        assert database_mode(session) == "facility"
        assert len(list_items(session, ReferenceList.EVENT_KIND)) == 8


def test_first_start_wizard_needs_facility_code_and_name(qtbot, database) -> None:
    wizard = FirstStartWizard(database)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.next()
    assert wizard.currentPage() is wizard.place
    assert wizard.place.error.text()


def test_login_dialog_refuses_wrong_password_and_audits(qtbot, database, admin) -> None:
    dialog = LoginDialog(database)
    qtbot.addWidget(dialog)
    type_text(dialog.login, "admin")
    type_text(dialog.password, "wrong password")
    dialog.try_login()
    assert dialog.user is None and dialog.error.text()
    assert dialog.password.text() == ""
    type_text(dialog.password, "correct horse")
    dialog.try_login()
    assert dialog.user is not None and dialog.user.login == "admin"
    with database.session() as session:
        actions = [a.action for a in session.exec(select(AuditEntry))]
    assert "login_failed" in actions and "login" in actions


def test_volunteer_form_consent_required_before_active(qtbot, database, admin) -> None:
    with database.session() as session:
        person = new_person(session, admin, surname="Нұрланов", release_date=dt.date(2026, 3, 1))
    form = VolunteerForm(AppContext(database, admin))
    qtbot.addWidget(form)
    form.set_person(person.id)
    form.enrolled_on.setDate(QDate(2026, 4, 1))
    form.status.setCurrentIndex(form.status.findData("active"))
    form.save()
    assert form._errors["consent_number"].isVisibleTo(form)
    with database.session() as session:
        assert session.exec(select(Volunteer)).all() == []
    type_text(form.consent_number, "12/2026")
    form.consent_date.setDate(QDate(2026, 4, 1))
    form.save()
    with database.session() as session:
        volunteer = session.exec(select(Volunteer)).one()
    assert (volunteer.status, volunteer.consent_number) == ("active", "12/2026")


def test_volunteer_form_shows_history_and_allowed_statuses(qtbot, database, admin) -> None:
    with database.session() as session:
        volunteer = new_volunteer(session, admin, new_person(session, admin))
        new_event(session, admin, participations=[
            {"volunteer_id": volunteer.id, "role": "story", "hours": 3}])
    form = VolunteerForm(AppContext(database, admin), volunteer.id)
    qtbot.addWidget(form)
    assert form.history.rowCount() == 1
    assert "3" in form.total_hours.text()
    statuses = {form.status.itemData(i) for i in range(form.status.count())}
    assert statuses == {"active", "paused", "left", "reoffended"}


def test_references_page_retires_an_item_in_use(qtbot, database, admin, dialogs) -> None:
    with database.session() as session:
        event = new_event(session, admin)
        kind_id = event.kind_id
    page = ReferencesPage(AppContext(database, admin))
    qtbot.addWidget(page)
    page.table.selectRow(page._ids.index(kind_id))
    from PySide6.QtWidgets import QMessageBox

    dialogs.answers.append(QMessageBox.StandardButton.Yes)
    page.delete_item()
    assert dialogs.said, "deleting an item in use must be refused with a message"
    page.table.selectRow(page._ids.index(kind_id))
    page.toggle_retired()
    with database.session() as session:
        assert session.get(ReferenceItem, kind_id).retired
        assert kind_id not in [i.id for i in list_items(session, ReferenceList.EVENT_KIND)]


def test_references_page_is_read_only_for_an_operator(qtbot, database, admin) -> None:
    operator = User(login="op", full_name="Оператор", role="operator", password_hash="x")
    page = ReferencesPage(AppContext(database, operator))
    qtbot.addWidget(page)
    assert not page.add_button.isEnabled()
    assert page.note.text()


def test_settings_page_language_is_remembered(qtbot, database, admin) -> None:
    page = SettingsPage(AppContext(database, admin))
    qtbot.addWidget(page)
    page.language.setCurrentIndex(page.language.findData("kk"))
    assert settings.get(settings.LANGUAGE) == "kk"
    assert page.language_note.text()
    settings.put(settings.LANGUAGE, "ru")


def test_outcome_form_records_a_repeat_offence_shown_on_the_person(qtbot, database,
                                                                   admin) -> None:
    from desktop.forms.outcome_form import OutcomeForm
    from desktop.forms.person_form import PersonForm

    with database.session() as session:
        person = new_person(session, admin, surname="Сейткали", release_date=dt.date(2026, 1, 5))
    form = OutcomeForm(AppContext(database, admin), person.id)
    qtbot.addWidget(form)
    form.outcome_date.setDate(QDate(2030, 1, 1))
    form.save()
    assert form._errors["outcome_date"].isVisibleTo(form)  # in the future: refused
    form.outcome_date.setDate(QDate(2026, 9, 14))
    form.kind.setCurrentIndex(form.kind.findData("probation_violation"))
    form.save()
    from db.models import Outcome

    with database.session() as session:
        outcome = session.exec(select(Outcome)).one()
    assert (outcome.person_id, outcome.outcome_date, outcome.kind) == (
        person.id, dt.date(2026, 9, 14), "probation_violation")
    person_form = PersonForm(AppContext(database, admin), person.id)
    qtbot.addWidget(person_form)
    assert not person_form.outcomes_box.isHidden()
    assert person_form.outcomes.rowCount() == 1
    assert person_form.outcomes.item(0, 0).text() == "14.09.2026"
