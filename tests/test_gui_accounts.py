"""Accounts through the window: idle lock, passwords, the users and audit pages, month locks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from gui_support import type_text
from ops_support import home, new_event, new_person, new_user, new_volunteer
from PySide6.QtCore import SIGNAL, QDate, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QFileDialog,
    QInputDialog,
    QLineEdit,
    QMessageBox,
)
from sqlmodel import select

from db.errors import QadamError
from db.models import AuditEntry, OutcomeCreate
from db.months import Month
from db.ops.accounts import reset_password
from db.ops.audit_log import AuditFilter, count_audit
from db.ops.auth import authenticate
from db.ops.month_locks import lock_month, lock_of, locked_reason
from db.ops.users import user_by_login
from db.ops.volunteers import create_outcome
from desktop import settings, tasks
from desktop.context import AppContext
from desktop.forms.event_form import EventForm
from desktop.forms.outcome_form import OutcomeForm
from desktop.forms.volunteer_form import VolunteerForm
from desktop.idle_lock import Cover, IdleLock, install_idle_lock
from desktop.main_window import MainWindow
from desktop.pages.audit_page import AuditPage
from desktop.pages.reports_page import ReportsPage
from desktop.pages.settings_page import SettingsPage
from desktop.pages.users_page import AccountDialog, ResetPasswordDialog, UsersPage
from desktop.password_dialog import ChangePasswordDialog, ensure_password_changed
from desktop.signals import data_events

pytestmark = pytest.mark.usefixtures("fast_hashing", "fixed_today")

ADMIN_PASSWORD = "correct horse"
OCTOBER = Month(2026, 10)


@pytest.fixture(autouse=True)
def _drop_page_connections() -> Iterator[None]:
    """The windows built here are deleted after each test, but the references page connects a
    lambda to the application-wide change signal, which Qt cannot drop with the page: later
    tests' notifications would reach deleted widgets. Drop every connection after each test."""
    yield
    events = data_events()
    if events.receivers(SIGNAL("changed(QString)")) > 0:
        events.changed.disconnect()


class FakeClock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def window(qtbot, database, admin) -> MainWindow:
    window = MainWindow(AppContext(database, admin))
    qtbot.addWidget(window)
    window.show()
    return window


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def idle(window, clock) -> Iterator[IdleLock]:
    lock = install_idle_lock(window, window.context, minutes=10, now=clock,
                             interval_ms=3_600_000)
    yield lock
    lock.uninstall()  # an application-wide filter must not outlive its test


def logged_in(database, login: str, password: str) -> bool:
    try:
        with database.session() as session:
            authenticate(session, login, password)
    except QadamError:
        return False
    return True


def actions(database) -> list[str]:
    with database.session() as session:
        return [entry.action for entry in session.exec(select(AuditEntry))]


# --- idle lock --------------------------------------------------------------------------------

def test_idle_lock_engages_after_idle_time_and_opens_with_password(qtbot, window, idle, clock,
                                                                   database) -> None:
    assert not idle.check()
    clock.now += 9 * 60
    qtbot.keyClick(window.navigation, Qt.Key.Key_Down)  # someone is at the keyboard
    clock.now += 9 * 60
    assert not idle.check()  # nine minutes since the last key, not eighteen
    clock.now += 61
    assert idle.check() and idle.is_locked
    dialog = idle.dialog
    assert dialog is not None and dialog.isVisible()
    covers = window.findChildren(Cover)
    assert len(covers) == 1 and covers[0].isVisible()
    assert covers[0].geometry() == window.rect()

    page = window.pages["events"]  # input meant for the covered window goes nowhere
    qtbot.keyClicks(page.search, "abc")
    assert page.search.text() == ""

    dialog.reject()  # Esc does not open the window
    assert idle.is_locked
    type_text(dialog.password, "неверный пароль")
    assert not dialog.try_unlock()
    assert dialog.error.text() and idle.is_locked
    assert dialog.password.text() == ""
    assert actions(database).count("login_failed") == 1  # counts towards the lockout

    type_text(dialog.password, ADMIN_PASSWORD)
    qtbot.mouseClick(dialog.unlock_button, Qt.MouseButton.LeftButton)
    assert not idle.is_locked
    qtbot.waitUntil(lambda: not window.findChildren(Cover), timeout=2000)
    qtbot.keyClicks(page.search, "abc")
    assert page.search.text() == "abc"


def test_idle_lock_timer_locks_without_waiting_ten_minutes(qtbot, window) -> None:
    lock = IdleLock(window, window.context, minutes=0.002, interval_ms=20)  # 0.12 s
    try:
        qtbot.waitUntil(lambda: lock.is_locked, timeout=3000)
    finally:
        lock.uninstall()


def test_idle_lock_now_from_the_file_menu(qtbot, window) -> None:
    window.lock_action.trigger()
    try:
        assert window.idle_lock is not None and window.idle_lock.is_locked
        assert window.lock_action.shortcut().toString() == "Ctrl+L"
    finally:
        window.idle_lock.uninstall()


def test_idle_lock_five_wrong_passwords_lock_the_account(window, idle) -> None:
    idle.lock()
    dialog = idle.dialog
    for _attempt in range(5):
        type_text(dialog.password, "wrong password")
        dialog.try_unlock()
    type_text(dialog.password, ADMIN_PASSWORD)
    assert not dialog.try_unlock()
    assert idle.is_locked
    assert "5" in dialog.error.text() or "минут" in dialog.error.text() \
        or "minutes" in dialog.error.text()


def test_idle_lock_covers_an_open_form_and_keeps_its_text(qtbot, window, idle) -> None:
    form = EventForm(window.context, None, window)
    qtbot.addWidget(form)
    form.show()
    form.speakers.setText("Ахметов Б.")
    idle.lock()
    assert form.findChildren(Cover) and form.isVisible()
    window.resize(900, 600)
    cover = window.findChildren(Cover, options=Qt.FindChildOption.FindDirectChildrenOnly)[0]
    qtbot.waitUntil(lambda: cover.size() == window.size(), timeout=2000)
    type_text(idle.dialog.password, ADMIN_PASSWORD)
    assert idle.dialog.try_unlock()
    assert form.isVisible() and form.speakers.text() == "Ахметов Б."
    form._dirty = False


def test_settings_page_sets_the_idle_minutes(qtbot, database, admin, window) -> None:
    page = SettingsPage(AppContext(database, admin))
    qtbot.addWidget(page)
    assert page.idle_minutes.value() == 10
    page.idle_minutes.setValue(3)
    assert settings.get(settings.IDLE_MINUTES) == 3
    lock = IdleLock(window, window.context)
    try:
        assert lock.idle_minutes() == 3
    finally:
        lock.uninstall()


# --- passwords --------------------------------------------------------------------------------

def test_change_password_dialog_validates_and_saves(qtbot, database, admin) -> None:
    dialog = ChangePasswordDialog(database, admin)
    qtbot.addWidget(dialog)
    type_text(dialog.old, ADMIN_PASSWORD)
    type_text(dialog.new, "жаңа құпия сөз")
    type_text(dialog.repeat, "жаңа құпия сөз!")
    assert not dialog.save()
    assert dialog.fields.errors["repeat"].text()
    dialog.repeat.clear()
    type_text(dialog.repeat, "жаңа құпия сөз")
    dialog.old.clear()
    type_text(dialog.old, "not my password")
    assert not dialog.save()
    assert dialog.fields.errors["old_password"].text()
    assert not dialog.fields.errors["repeat"].text()
    type_text(dialog.old, ADMIN_PASSWORD)
    dialog.new.clear()
    dialog.repeat.clear()
    type_text(dialog.new, "short")
    type_text(dialog.repeat, "short")
    assert not dialog.save()
    assert dialog.fields.errors["password"].text()
    dialog.new.clear()
    dialog.repeat.clear()
    type_text(dialog.new, "жаңа құпия сөз")
    type_text(dialog.repeat, "жаңа құпия сөз")
    assert dialog.save()
    assert dialog.result() == ChangePasswordDialog.DialogCode.Accepted
    assert logged_in(database, "admin", "жаңа құпия сөз")
    assert not logged_in(database, "admin", ADMIN_PASSWORD)


def answer_password_dialog(old: str, new: str) -> None:
    """Fill in the forced dialog once its exec() runs (a modal loop of its own)."""
    def fill() -> None:
        dialog = next(w for w in QApplication.topLevelWidgets()
                      if isinstance(w, ChangePasswordDialog) and w.isVisible())
        type_text(dialog.old, old)
        type_text(dialog.new, new)
        type_text(dialog.repeat, new)
        assert dialog.save()

    QTimer.singleShot(0, fill)


def test_forced_password_change_after_an_admin_reset(qtbot, database, admin) -> None:
    with database.session() as session:
        operator = new_user(session, admin, "operator", "op")
        reset_password(session=session, actor=admin, user_id=operator.id,
                       new_password="temporary 123")
        user = authenticate(session, "op", "temporary 123")
    assert user.must_change_password
    answer_password_dialog("temporary 123", "менің құпия сөзім")
    assert ensure_password_changed(database, user)
    assert not user.must_change_password
    with database.session() as session:
        again = authenticate(session, "op", "менің құпия сөзім")
    assert not again.must_change_password
    assert ensure_password_changed(database, again)  # nothing to ask now


def test_forced_password_change_given_up_means_no_window(qtbot, database, admin) -> None:
    with database.session() as session:
        operator = new_user(session, admin, "operator", "op")
        reset_password(session=session, actor=admin, user_id=operator.id,
                       new_password="temporary 123")
        user = user_by_login(session, "op")

    def give_up() -> None:
        next(w for w in QApplication.topLevelWidgets()
             if isinstance(w, ChangePasswordDialog) and w.isVisible()).reject()

    QTimer.singleShot(0, give_up)
    assert not ensure_password_changed(database, user)


# --- users page -------------------------------------------------------------------------------

def test_users_page_creates_an_account_that_can_log_in(qtbot, database, admin) -> None:
    context = AppContext(database, admin)
    page = UsersPage(context)
    qtbot.addWidget(page)
    assert page.table.rowCount() == 1
    dialog = AccountDialog(context, None, page)
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.login, "admin")
    type_text(dialog.full_name, "Серікбаев Айдос")
    type_text(dialog.position, "инспектор")
    dialog.role.setCurrentIndex(dialog.role.findData("head"))
    type_text(dialog.password, "сенімді құпия")
    type_text(dialog.repeat, "сенімді құпия")
    assert not dialog.save()
    assert dialog.fields.errors["login"].text()  # taken
    dialog.login.clear()
    qtbot.keyClicks(dialog.login, "a.serikbaev")
    assert dialog.save()
    assert page.table.rowCount() == 2
    assert page.selected_user() is None or page.selected_user().login == "a.serikbaev"
    with database.session() as session:
        user = authenticate(session, "a.serikbaev", "сенімді құпия")
    assert (user.full_name, user.role) == ("Серікбаев Айдос", "head")
    row = next(r for r in range(page.table.rowCount())
               if page.table.item(r, 0).text() == "a.serikbaev")
    assert page.table.item(row, 3).text() == "начальник учреждения"


def test_users_page_edit_refuses_to_remove_the_last_admin(qtbot, database, admin) -> None:
    context = AppContext(database, admin)
    dialog = AccountDialog(context, admin)
    qtbot.addWidget(dialog)
    dialog.role.setCurrentIndex(dialog.role.findData("operator"))
    assert not dialog.save()
    assert dialog.fields.errors["role"].text()
    dialog.role.setCurrentIndex(dialog.role.findData("admin"))
    dialog.full_name.clear()
    type_text(dialog.full_name, "Әкімшіұлы Әкім")
    assert dialog.save()
    with database.session() as session:
        assert user_by_login(session, "admin").full_name == "Әкімшіұлы Әкім"


def test_users_page_resets_a_password(qtbot, database, admin, dialogs) -> None:
    with database.session() as session:
        new_user(session, admin, "operator", "op")
    context = AppContext(database, admin)
    page = UsersPage(context)
    qtbot.addWidget(page)
    page.select_login("op")
    dialog = ResetPasswordDialog(context, page.selected_user(), page)
    qtbot.addWidget(dialog)
    type_text(dialog.password, "временный 1")
    type_text(dialog.repeat, "временный 1")
    assert dialog.save()
    with database.session() as session:
        user = authenticate(session, "op", "временный 1")
    assert user.must_change_password
    row = next(r for r in range(page.table.rowCount()) if page.table.item(r, 0).text() == "op")
    assert page.table.item(row, 6).text()  # "must change" shows


def test_users_and_audit_pages_only_for_administrators(qtbot, database, admin) -> None:
    with database.session() as session:
        operator = new_user(session, admin, "operator", "op")
        head = new_user(session, admin, "head", "boss")
    for user, expected in ((operator, False), (head, False), (admin, True)):
        window = MainWindow(AppContext(database, user))
        qtbot.addWidget(window)
        assert ("users" in window.pages) is expected
        assert ("audit" in window.pages) is expected
        keys = [window.navigation.item(i).data(Qt.ItemDataRole.UserRole)
                for i in range(window.navigation.count())]
        assert keys[-1] == "settings"


# --- audit page -------------------------------------------------------------------------------

@pytest.fixture
def audit_page(qtbot, database, admin, monkeypatch) -> AuditPage:
    monkeypatch.setattr(tasks, "runner", [tasks.run_now])
    with database.session() as session:
        new_user(session, admin, "operator", "op")
        new_person(session, admin, surname="Иванов")
    logged_in(database, "op", "long enough password")
    logged_in(database, "op", "wrong")
    page = AuditPage(AppContext(database, admin))
    qtbot.addWidget(page)
    page.show()
    return page


def choose(combo: QComboBox, value: object) -> None:
    combo.setCurrentIndex(combo.findData(value))


def test_audit_page_lists_and_filters_entries(qtbot, audit_page, database, admin) -> None:
    page = audit_page
    with database.session() as session:
        total = count_audit(session, AuditFilter(), actor=admin)
    assert page.model.total == total >= 5
    first = page.model.row_at(0)
    assert first.action == "login_failed"  # the newest first
    assert page.model.data(page.model.index(0, 0))[2] == "."  # dd.MM.yyyy HH:mm
    assert len(page.model.data(page.model.index(0, 0))) == 16

    choose(page.user_filter, "op")
    assert page.model.total == 2
    assert {page.model.row_at(i).user_login for i in range(2)} == {"op"}
    choose(page.action_filter, "login_failed")
    assert page.model.total == 1
    page.clear_filters()
    assert page.model.total == total

    choose(page.table_filter, "person")
    assert page.model.total == 1
    row = page.model.row_at(0)
    summary = page.model.data(page.model.index(0, 4))
    assert "surname: Иванов" in summary and "uuid" not in summary
    assert page.model.data(page.model.index(0, 3)).endswith(row.record_uuid[:8])
    page.table.selectRow(0)
    page.record_button.setChecked(True)
    assert page.record_uuid == row.record_uuid and page.model.total == 1
    page.clear_filters()

    type_text(page.search, "иванов")
    page.search.flush()
    assert page.model.total == 1
    page.search.clear()
    page.search.flush()
    page.date_from.setDate(QDate(2000, 1, 1))
    page.date_to.setDate(QDate(2000, 1, 2))
    assert page.model.total == 0


def test_audit_page_exports_to_excel(qtbot, audit_page, database, tmp_path,
                                     monkeypatch) -> None:
    from openpyxl import load_workbook

    page = audit_page
    choose(page.user_filter, "op")
    target = tmp_path / "audit.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda *args, **kwargs: (str(target), ""))
    offered: list[Path] = []
    monkeypatch.setattr(page, "offer_to_open", offered.append)
    page.export()
    assert offered == [target]
    sheet = load_workbook(target).worksheets[0]
    logins = [row[1] for row in sheet.iter_rows(values_only=True)]
    assert logins.count("op") == 2
    assert "export" in actions(database)  # the export itself is in the trail


# --- month locks ------------------------------------------------------------------------------

def lock_october(database, admin) -> str:
    """Submit October 2026; return the sentence forms show for it."""
    with database.session() as session:
        facility_id = home(session).id
        lock_month(session=session, actor=admin, facility_id=facility_id, month=OCTOBER)
        return locked_reason(session, facility_id, dt.date(2026, 10, 1))


def inputs_enabled(form) -> list[str]:
    content = form.body.parentWidget()
    return [type(w).__name__ for kind in (QLineEdit, QComboBox, QAbstractSpinBox,
                                          QAbstractButton)
            for w in content.findChildren(kind) if w.isEnabled()]


def test_event_in_a_locked_month_opens_read_only(qtbot, database, admin, dialogs) -> None:
    with database.session() as session:
        event = new_event(session, admin, event_date=dt.date(2026, 10, 5))
    lock_october(database, admin)
    form = EventForm(AppContext(database, admin), event.id)
    qtbot.addWidget(form)
    form.show()
    assert form.read_only_reason
    assert form.hint.text() == form.read_only_reason
    assert "2026" in form.read_only_reason
    assert not form.save_button.isEnabled()
    assert inputs_enabled(form) == []
    form.save()
    assert dialogs.said == []
    form.reject()  # closes without asking
    assert dialogs.asked == []


def test_event_form_date_in_a_locked_month_is_refused_beside_the_date(qtbot, database,
                                                                     admin) -> None:
    lock_october(database, admin)
    form = EventForm(AppContext(database, admin))
    qtbot.addWidget(form)
    form.event_date.setDate(QDate(2026, 10, 20))
    form.save()
    assert form._errors["event_date"].text()
    assert not form.read_only_reason
    with database.session() as session:
        assert session.exec(select(AuditEntry).where(AuditEntry.table_name == "event")
                            ).first() is None


def test_event_form_save_after_the_month_was_locked_is_refused(qtbot, database, admin,
                                                               dialogs, monkeypatch) -> None:
    with database.session() as session:
        event = new_event(session, admin, event_date=dt.date(2026, 10, 5))
    form = EventForm(AppContext(database, admin), event.id)
    qtbot.addWidget(form)
    form.show()
    assert not form.read_only_reason
    reason = lock_october(database, admin)  # someone submitted the month meanwhile
    form.notes.setPlainText("ещё одна заметка")
    form.save()
    assert form.result() != form.DialogCode.Accepted
    assert form._errors["event_date"].text() == reason
    # should the form's own check miss a lock, the operation's refusal is a message
    monkeypatch.setattr(form, "check", lambda _data: {})
    form.save()
    assert form.result() != form.DialogCode.Accepted
    assert dialogs.said == [reason]
    form._dirty = False


def test_events_page_delete_in_a_locked_month_is_a_message(qtbot, window, database, admin,
                                                          dialogs) -> None:
    with database.session() as session:
        event = new_event(session, admin, event_date=dt.date(2026, 10, 5))
    reason = lock_october(database, admin)
    page = window.pages["events"]
    page.reload()
    page.select_id(event.id)
    dialogs.answers.append(QMessageBox.StandardButton.Yes)
    page.delete_selected()
    assert dialogs.said == [reason]
    assert page.model.total == 1


def test_volunteer_in_a_locked_month_keeps_its_dates_but_not_its_status(qtbot, database,
                                                                      admin) -> None:
    with database.session() as session:
        volunteer = new_volunteer(session, admin, new_person(session, admin),
                                  enrolled_on=dt.date(2026, 10, 1),
                                  consent_date=dt.date(2026, 10, 1))
    lock_october(database, admin)
    form = VolunteerForm(AppContext(database, admin), volunteer.id)
    qtbot.addWidget(form)
    assert not form.enrolled_on.isEnabled()
    assert form.status.isEnabled() and not form.read_only_reason
    assert "2026" in form.hint.text()
    form.coordinator.clear()
    type_text(form.coordinator, "Жұмабаев Н.")
    form.save()
    assert form.result() == form.DialogCode.Accepted


def test_outcome_in_a_locked_month_opens_read_only(qtbot, database, admin) -> None:
    with database.session() as session:
        person = new_person(session, admin, surname="Қасымов")
        outcome = create_outcome(session=session, actor=admin, data=OutcomeCreate(
            person_id=person.id, outcome_date=dt.date(2026, 10, 12), kind="repeat_offence"))
    reason = lock_october(database, admin)
    form = OutcomeForm(AppContext(database, admin), person.id, outcome.id)
    qtbot.addWidget(form)
    assert form.read_only_reason == reason == form.hint.text()
    assert inputs_enabled(form) == [] and not form.save_button.isEnabled()
    new = OutcomeForm(AppContext(database, admin), person.id)  # a new one dated in October
    qtbot.addWidget(new)
    new.outcome_date.setDate(QDate(2026, 10, 20))
    new.save()
    assert new._errors["outcome_date"].text() == reason
    assert new.result() != new.DialogCode.Accepted


def test_reports_page_submits_and_unlocks_the_month(qtbot, database, admin, dialogs,
                                                   monkeypatch) -> None:
    page = ReportsPage(AppContext(database, admin))
    qtbot.addWidget(page)
    assert page.lock_button.isEnabled() and not page.unlock_button.isEnabled()
    facility_id = page.facility.currentData()

    dialogs.answers.append(QMessageBox.StandardButton.No)
    page.lock_button.click()
    with database.session() as session:
        assert lock_of(session, facility_id, OCTOBER) is None
    dialogs.answers.append(QMessageBox.StandardButton.Yes)
    page.lock_button.click()
    with database.session() as session:
        assert lock_of(session, facility_id, OCTOBER) is not None
    assert "1" in page.lock_status.text() and "admin" in page.lock_status.text()
    assert not page.lock_button.isEnabled() and page.unlock_button.isEnabled()

    monkeypatch.setattr(QInputDialog, "getText", lambda *args, **kwargs: ("", True))
    page.unlock_button.click()
    assert dialogs.said  # a reason is required
    with database.session() as session:
        assert lock_of(session, facility_id, OCTOBER) is not None
    monkeypatch.setattr(QInputDialog, "getText",
                        lambda *args, **kwargs: ("ошибка в числе слушателей", True))
    page.unlock_button.click()
    with database.session() as session:
        assert lock_of(session, facility_id, OCTOBER) is None
        unlock = session.exec(select(AuditEntry).where(AuditEntry.action == "month_unlock")
                              ).one()
    assert "ошибка в числе слушателей" in unlock.details
    assert "2" in page.lock_status.text()  # the next submission is a new revision
    assert page.lock_button.isEnabled() and not page.unlock_button.isEnabled()


def test_reports_page_offers_no_lock_to_an_operator(qtbot, database, admin) -> None:
    with database.session() as session:
        operator = new_user(session, admin, "operator", "op")
    page = ReportsPage(AppContext(database, operator))
    qtbot.addWidget(page)
    assert page.lock_button.isHidden() and page.unlock_button.isHidden()
    assert page.lock_status.text()
