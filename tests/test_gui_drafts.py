"""Drafts in the window: a form being filled in when the program dies comes back at the next
start, for the same user and database only, and leaves nothing behind once saved or discarded.

A crash is simulated by deleting the window (and the form in it) without closing them: no close
event, no reject(), no Save. The next start is a new Database object and a new MainWindow on
the same file."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import shiboken6
from gui_support import type_text
from ops_support import home, new_event, new_person, new_user, new_volunteer
from PySide6.QtCore import QDate, Qt
from sqlmodel import select

from db.backup import backup_database
from db.database import Database, open_database
from db.models import Event, EventAttendee, EventTopic, Participation, Person, PersonUpdate, User
from db.months import Month
from db.ops.events import links_of
from db.ops.month_locks import lock_month
from db.ops.persons import update_person
from desktop import drafts
from desktop.context import AppContext
from desktop.forms.event_form import EventForm
from desktop.forms.outcome_form import OutcomeForm
from desktop.forms.person_form import PersonForm
from desktop.forms.volunteer_form import VolunteerForm
from desktop.main_window import MainWindow

pytestmark = pytest.mark.usefixtures("fast_hashing", "fixed_today")


@pytest.fixture(autouse=True)
def data_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Drafts of this test only, and a short debounce (the real one is 2 s)."""
    folder = tmp_path / "data"
    monkeypatch.setenv("QADAM_DATA_DIR", str(folder))
    monkeypatch.setattr(drafts, "DRAFT_DELAY_MS", 100)
    return folder


class Prompt:
    """Stands in for the Restore / Discard / Later question and for the modal form.exec()."""

    def __init__(self, answer: str) -> None:
        self.answer = answer
        self.asked: list[str] = []
        self.opened: list[Any] = []

    def ask(self, _parent: object, text: str, restorable: bool) -> str:
        self.asked.append(text)
        return self.answer if restorable or self.answer != drafts.RESTORE else drafts.LATER

    def run(self, form: Any) -> None:
        form.show()
        self.opened.append(form)


@pytest.fixture
def prompt(monkeypatch: pytest.MonkeyPatch) -> Prompt:
    answer = Prompt(drafts.RESTORE)
    monkeypatch.setattr(drafts, "ask", answer.ask)
    monkeypatch.setattr(drafts, "run_form", answer.run)
    return answer


def draft_files() -> list[Path]:
    return sorted(drafts.drafts_folder().glob("*.json"))


def wait_for_draft(qtbot: Any) -> dict[str, Any]:
    qtbot.waitUntil(lambda: len(draft_files()) == 1, timeout=3000)
    return json.loads(draft_files()[0].read_text(encoding="utf-8"))


def crash(*widgets: Any) -> None:
    """The program dies: the widgets go without a close event, reject() or Save."""
    for widget in widgets:
        shiboken6.delete(widget)


@pytest.fixture
def restart(qtbot: Any, database: Database) -> Iterator[Any]:
    """A new start of the program on the same file: a new engine and a new main window.
    (Windows are closed here, not by qtbot: a crashed one is gone already.)"""
    opened: list[Database] = []
    windows: list[MainWindow] = []

    def start(login: str = "admin", path: Path | None = None) -> MainWindow:
        again = open_database(path or database.path)
        opened.append(again)
        with again.session() as session:
            user = session.exec(select(User).where(User.login == login)).one()
        window = MainWindow(AppContext(again, user))
        windows.append(window)
        window.show()
        return window

    yield start
    for window in windows:
        if shiboken6.isValid(window):
            window.close()
            shiboken6.delete(window)
    for db in opened:
        db.dispose()


def fill_event(qtbot: Any, form: EventForm, person: Person, volunteer_id: int) -> None:
    form._load_volunteer_choices(None, set())
    form.event_date.setDate(QDate(2026, 11, 10))
    form.event_time.setFocus()
    form.event_time.setCursorPosition(0)
    qtbot.keyClicks(form.event_time, "1430")
    form.kind.setCurrentIndex(form.kind.findText("Круглый стол"))
    form.topics.set_checked(form.topics.item(0).data(Qt.ItemDataRole.UserRole))
    form.topics.set_checked(form.topics.item(2).data(Qt.ItemDataRole.UserRole))
    form.agencies.set_checked(form.agencies.item(1).data(Qt.ItemDataRole.UserRole))
    form.responsible.clear()
    type_text(form.responsible, "Оспанова Г. М.")
    form.counts["serving"].selectAll()
    qtbot.keyClicks(form.counts["serving"], "25")
    type_text(form.picker, "әлібек")
    form.picker.refresh()
    form.picker.choose(form.picker.suggestions()[0])
    form.add_volunteer_row(volunteer_id, "organize", 2.5)
    type_text(form.notes, "Встреча прошла активно")


def test_drafts_event_form_comes_back_after_a_crash_and_saves(qtbot, database, admin,
                                                              prompt, restart) -> None:
    with database.session() as session:
        person = new_person(session, admin, surname="Әлібеков", name="Әлібек")
        volunteer = new_volunteer(session, admin, new_person(session, admin, surname="Ғалымов",
                                                             name="Ерғали"))
    first = restart()
    assert prompt.asked == []  # nothing to offer yet
    form = EventForm(first.context, None, first)
    form.show()
    fill_event(qtbot, form, person, volunteer.id)
    expected = form.draft_values()
    saved = wait_for_draft(qtbot)
    assert saved["database"] == drafts.database_key(database.path)
    assert (saved["user_login"], saved["user_uuid"]) == ("admin", admin.uuid)
    assert (saved["kind"], saved["record_id"], saved["record_uuid"]) == ("event", None, None)
    assert saved["values"] == expected and saved["values"]["notes"] == "Встреча прошла активно"
    assert not list(drafts.drafts_folder().glob("*.tmp"))  # written whole, then renamed
    crash(first)

    second = restart()
    qtbot.waitUntil(lambda: bool(prompt.opened), timeout=3000)
    assert len(prompt.asked) == 1
    assert "Круглый стол, 10.11.2026" in prompt.asked[0]
    assert dt.datetime.now().strftime("%d.%m.%Y") in prompt.asked[0]
    restored = prompt.opened[0]
    assert isinstance(restored, EventForm) and restored.parent() is second
    assert restored.draft_values() == expected
    assert restored.responsible.text() == "Оспанова Г. М."
    assert restored.event_time.text() == "14:30"
    assert restored.attendees.cellWidget(0, 0).text() == "Әлібеков Әлібек Иванович"
    assert restored.counts["released"].value() == 1  # raised by the named attendee, as typed
    assert restored.dirty and restored.save_button.isEnabled()
    with second.context.database.session() as session:
        assert session.exec(select(Event)).all() == []  # still unsaved
    qtbot.mouseClick(restored.save_button, Qt.MouseButton.LeftButton)
    assert not restored.isVisible(), restored.general_error.text()

    with second.context.database.session() as session:
        event = session.exec(select(Event)).one()
        links = links_of(session, event.id)
        topics = session.exec(select(EventTopic)).all()
        attendee = session.exec(select(EventAttendee)).one()
        part = session.exec(select(Participation)).one()
    assert (event.event_date, event.event_time) == (dt.date(2026, 11, 10), dt.time(14, 30))
    assert (event.count_serving, event.count_released, event.responsible, event.notes) == (
        25, 1, "Оспанова Г. М.", "Встреча прошла активно")
    assert len(topics) == 2 and len(links.agency_ids) == 1
    assert attendee.person_id == person.id
    assert (part.volunteer_id, part.role, part.hours) == (volunteer.id, "organize", 2.5)
    assert draft_files() == []


def test_drafts_are_not_offered_to_another_user_or_for_another_database(
        qtbot, database, admin, prompt, restart, tmp_path) -> None:
    with database.session() as session:
        new_user(session, admin, "operator")
    first = restart()
    form = PersonForm(first.context, None, first)
    type_text(form.surname, "Сейтова")
    type_text(form.iin, "92050")
    wait_for_draft(qtbot)
    crash(first)

    other = restart("operator")
    qtbot.wait(50)
    assert drafts.offer_drafts(other, other.context) == 0
    copy = backup_database(database.path, tmp_path / "copy.db")  # the same account, elsewhere
    elsewhere = restart("admin", copy)
    qtbot.wait(50)
    assert drafts.offer_drafts(elsewhere, elsewhere.context) == 0
    assert prompt.asked == [] and len(draft_files()) == 1  # left for its owner

    restart("admin")
    qtbot.waitUntil(lambda: bool(prompt.opened), timeout=3000)
    restored = prompt.opened[0]
    assert (restored.surname.text(), restored.iin.text()) == ("Сейтова", "92050")
    assert "Сейтова" in prompt.asked[0]


@pytest.mark.parametrize("answer", [drafts.DISCARD, drafts.LATER])
def test_drafts_discard_deletes_the_draft_later_keeps_it(qtbot, database, admin, prompt,
                                                         restart, answer) -> None:
    first = restart()
    form = PersonForm(first.context, None, first)
    type_text(form.surname, "Жумабеков")
    wait_for_draft(qtbot)
    crash(first)
    prompt.answer = answer
    restart()
    qtbot.waitUntil(lambda: bool(prompt.asked), timeout=3000)
    assert prompt.opened == []
    assert len(draft_files()) == (0 if answer == drafts.DISCARD else 1)
    with database.session() as session:
        assert session.exec(select(Person)).all() == []


def test_drafts_saved_form_leaves_no_draft(qtbot, database, admin, monkeypatch) -> None:
    monkeypatch.setattr(drafts, "DRAFT_DELAY_MS", 400)
    form = PersonForm(AppContext(database, admin))
    qtbot.addWidget(form)
    form.show()
    type_text(form.surname, "Әлібекова")
    type_text(form.name, "Сәуле")
    assert draft_files() == []  # debounced: nothing while typing
    wait_for_draft(qtbot)
    form.save()
    assert not form.isVisible()
    assert draft_files() == []
    qtbot.wait(500)  # no late timer writes it again
    assert draft_files() == []


def test_drafts_discard_on_close_deletes_cancel_keeps(qtbot, database, admin,
                                                      dialogs) -> None:
    from PySide6.QtWidgets import QMessageBox

    form = PersonForm(AppContext(database, admin))
    qtbot.addWidget(form)
    form.show()
    type_text(form.surname, "Иванов")
    wait_for_draft(qtbot)
    dialogs.answers.append(QMessageBox.StandardButton.Cancel)
    form.reject()
    assert form.isVisible() and len(draft_files()) == 1
    dialogs.answers.append(QMessageBox.StandardButton.Discard)
    form.reject()
    assert not form.isVisible() and draft_files() == []


def test_drafts_unchanged_form_writes_none(qtbot, database, admin) -> None:
    with database.session() as session:
        person = new_person(session, admin)
    form = PersonForm(AppContext(database, admin), person.id)
    qtbot.addWidget(form)
    form.show()
    qtbot.wait(300)
    form.write_draft()
    assert draft_files() == []


@pytest.fixture
def english(monkeypatch: pytest.MonkeyPatch) -> None:
    """The notes are checked in the catalog's source language (their Russian is the lead's)."""
    monkeypatch.setattr("db.i18n._current", ["en"])


def test_drafts_record_changed_since_says_so(qtbot, database, admin, prompt, restart,
                                             english) -> None:
    with database.session() as session:
        person = new_person(session, admin, surname="Иванов")
    first = restart()
    form = PersonForm(first.context, person.id, first)
    type_text(form.district, "Абайский")
    saved = wait_for_draft(qtbot)
    assert (saved["record_id"], saved["record_uuid"]) == (person.id, person.uuid)
    crash(first)
    with database.session() as session:
        update_person(session=session, actor=admin, person_id=person.id,
                      data=PersonUpdate(phone="+7 701 123 45 67"))
    restart()
    qtbot.waitUntil(lambda: bool(prompt.opened), timeout=3000)
    assert "changed since" in prompt.asked[0]
    restored = prompt.opened[0]
    assert restored.district.text() == "Абайский"
    assert restored.save_button.isEnabled()


def test_drafts_record_deleted_since_can_only_be_discarded(qtbot, database, admin, prompt,
                                                           restart, english) -> None:
    from db.ops.persons import delete_person

    with database.session() as session:
        person = new_person(session, admin, surname="Иванов")
    first = restart()
    form = PersonForm(first.context, person.id, first)
    type_text(form.district, "Абайский")
    wait_for_draft(qtbot)
    crash(first)
    with database.session() as session:
        delete_person(session=session, actor=admin, person_id=person.id)
    restart()
    qtbot.waitUntil(lambda: bool(prompt.asked), timeout=3000)
    assert "deleted since" in prompt.asked[0] and "Restore it?" not in prompt.asked[0]
    assert prompt.opened == [] and len(draft_files()) == 1  # "Later": kept


def test_drafts_month_locked_since_says_so(qtbot, database, admin, prompt, restart,
                                           english) -> None:
    with database.session() as session:
        head = new_user(session, admin, "head")
        event = new_event(session, admin, event_date=dt.date(2026, 10, 10))
    first = restart()
    form = EventForm(first.context, event.id, first)
    type_text(form.notes, "дополнение")
    wait_for_draft(qtbot)
    # a new event of the same month, not saved either
    other = EventForm(first.context, None, first)
    other.event_date.setDate(QDate(2026, 10, 12))
    qtbot.waitUntil(lambda: len(draft_files()) == 2, timeout=3000)
    crash(first)
    with database.session() as session:
        lock_month(session=session, actor=head, facility_id=home(session).id,
                   month=Month(2026, 10))
    restart()
    qtbot.waitUntil(lambda: len(prompt.asked) == 2, timeout=3000)
    texts = sorted(prompt.asked, key=lambda text: "can no longer be changed" in text)
    assert "October 2026 was submitted" in texts[0] and "Restore it?" in texts[0]
    assert "can no longer be changed" in texts[1] and "Restore it?" not in texts[1]
    assert len(prompt.opened) == 1  # the new event, which can move to another date
    restored = prompt.opened[0]
    assert restored.record_id is None and not restored.save_button.isEnabled()
    assert "October 2026" in restored._errors["event_date"].text()


def test_drafts_volunteer_and_outcome_forms_round_trip(qtbot, database, admin) -> None:
    with database.session() as session:
        person = new_person(session, admin, surname="Ғалымов", name="Ерғали")
    context = AppContext(database, admin)
    volunteer = VolunteerForm(context)
    qtbot.addWidget(volunteer)
    volunteer.set_person(person.id)
    type_text(volunteer.consent_number, "17-а")
    volunteer.status.setCurrentIndex(volunteer.status.findData("active"))
    values = volunteer.draft_values()
    assert values["person_id"] == person.id and values["consent_number"] == "17-а"
    again = VolunteerForm(context)
    qtbot.addWidget(again)
    again.restore_draft(drafts.Draft(kind="volunteer", database="", user_login="",
                                     user_uuid="", values=json.loads(json.dumps(values))))
    assert again.draft_values() == values and again.dirty
    assert "Ғалымов" in again.draft_caption()

    outcome = OutcomeForm(context, person.id)
    qtbot.addWidget(outcome)
    outcome.outcome_date.setDate(QDate(2026, 11, 2))
    outcome.kind.setCurrentIndex(1)
    type_text(outcome.notes, "ст. 296")
    values = outcome.draft_values()
    assert outcome.draft_context() == {"person_id": person.id, "person_uuid": person.uuid}
    copy = OutcomeForm(context, person.id)
    qtbot.addWidget(copy)
    copy.restore_draft(drafts.Draft(kind="outcome", database="", user_login="", user_uuid="",
                                    values=json.loads(json.dumps(values))))
    assert copy.draft_values() == values


def test_drafts_outcome_comes_back_for_its_person(qtbot, database, admin, prompt,
                                                  restart) -> None:
    from db.ops.volunteers import list_outcomes

    with database.session() as session:
        person = new_person(session, admin, surname="Ғалымов", name="Ерғали")
    first = restart()
    form = OutcomeForm(first.context, person.id, None, first)
    form.outcome_date.setDate(QDate(2026, 11, 2))
    type_text(form.notes, "нарушение")
    wait_for_draft(qtbot)
    crash(first)
    restart()
    qtbot.waitUntil(lambda: bool(prompt.opened), timeout=3000)
    restored = prompt.opened[0]
    assert restored.person_id == person.id and restored.notes.toPlainText() == "нарушение"
    restored.save()
    with database.session() as session:
        assert [o.notes for o in list_outcomes(session, person_id=person.id)] == ["нарушение"]
    assert draft_files() == []


def test_drafts_question_buttons_answer_restore_discard_later(qtbot) -> None:
    """The real question box (the other tests replace it): its buttons give the answers, and a
    draft that cannot be restored offers no Restore."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    from db.i18n import _

    seen: list[list[str]] = []

    def click(label: str) -> None:
        for box in QApplication.topLevelWidgets():
            if isinstance(box, QMessageBox) and box.isVisible():
                seen.append([button.text() for button in box.buttons()])
                wanted = [b for b in box.buttons() if b.text() == _(label)]
                if wanted:
                    wanted[0].click()
                else:
                    box.done(0)  # a missing button fails the assertion, never hangs

    for label, answer in (("Restore the form", drafts.RESTORE),
                          ("Delete the draft", drafts.DISCARD), ("Ask me later", drafts.LATER)):
        QTimer.singleShot(50, lambda label=label: click(label))
        assert drafts.ask(None, "?", True) == answer
    QTimer.singleShot(50, lambda: click("Ask me later"))
    assert drafts.ask(None, "?", False) == drafts.LATER
    assert _("Restore the form") not in seen[-1] and len(seen[-1]) == 2


@pytest.mark.parametrize("field", ["event_date", "place_text", "materials_count"])
def test_drafts_event_fields_in_rows_of_their_own_count_as_changes(qtbot, database, admin,
                                                                   dialogs, field) -> None:
    """The date, the place and the number of materials sit inside a row of their own: a change
    of one of them alone marks the form changed (asked about on closing, kept in a draft)."""
    with database.session() as session:
        event = new_event(session, admin, place_kind="outside", place_facility_id=None,
                          place_text="школа №45")
    form = EventForm(AppContext(database, admin), event.id)
    qtbot.addWidget(form)
    form.show()
    if field == "event_date":
        form.event_date.setDate(QDate(2026, 10, 11))
    elif field == "place_text":
        type_text(form.place_text, ", спортзал")
    else:
        form.materials_count.setValue(12)
    assert form.dirty
    assert wait_for_draft(qtbot)["record_uuid"] == event.uuid
    form.reject()  # the recorder answers "Discard"
    assert len(dialogs.asked) == 1  # "Save the changes before closing?"
    assert draft_files() == []


def test_drafts_quit_from_the_lock_screen_keeps_what_was_just_typed(qtbot, database, admin,
                                                                    monkeypatch,
                                                                    dialogs) -> None:
    """Quitting from the lock screen closes no form: what was typed within the debounce is
    written at once, and the question says the forms come back."""
    from PySide6.QtWidgets import QApplication, QMessageBox

    from desktop.idle_lock import LockDialog

    monkeypatch.setattr(drafts, "DRAFT_DELAY_MS", 60_000)  # the debounce has not ended
    form = PersonForm(AppContext(database, admin))
    qtbot.addWidget(form)
    form.show()
    type_text(form.surname, "Қасымова")
    assert draft_files() == [] and form.draft_pending()
    lock = LockDialog(AppContext(database, admin))
    qtbot.addWidget(lock)
    quits: list[bool] = []
    monkeypatch.setattr(QApplication, "quit", lambda: quits.append(True))
    dialogs.answers.append(QMessageBox.StandardButton.Yes)
    lock.quit_program()
    assert quits == [True]
    assert "черновик" in dialogs.asked[-1]
    [written] = draft_files()
    assert "Қасымова" in written.read_text(encoding="utf-8")
