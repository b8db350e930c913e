"""The window locks itself after a while without input, and opens again only with the password
of the user who is logged in.

The registry holds convicts' personal data on PCs that staff share and walk away from. An
application-wide event filter notes the time of every key, click and wheel turn; a timer checks
now and then whether the idle time has passed. Locking covers every open window (forms included,
so unsaved work survives) with an opaque panel and shows one application-modal password prompt;
while locked, the filter also swallows input meant for any other window."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from db.errors import QadamError
from db.i18n import _
from db.ops.auth import authenticate
from desktop import settings
from desktop.context import AppContext
from desktop.icons import icon
from desktop.password_dialog import fit_height
from desktop.widgets.field_error import FieldError

if TYPE_CHECKING:
    from desktop.main_window import MainWindow

# How often the timer asks "idle long enough?"; locking a few seconds late does no harm.
CHECK_INTERVAL_MS = 15_000

# What counts as someone at the keyboard. Key releases and mouse releases follow a press anyway.
ACTIVITY = frozenset({
    QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonDblClick,
    QEvent.Type.MouseMove, QEvent.Type.Wheel, QEvent.Type.TouchBegin, QEvent.Type.TabletPress,
})
# What the lock must keep away from the covered windows.
INPUT = ACTIVITY | frozenset({
    QEvent.Type.KeyRelease, QEvent.Type.MouseButtonRelease, QEvent.Type.ShortcutOverride,
    QEvent.Type.ContextMenu, QEvent.Type.TouchUpdate, QEvent.Type.TouchEnd,
    QEvent.Type.TabletMove, QEvent.Type.TabletRelease, QEvent.Type.InputMethod,
})

# Windows that come and go by themselves (tooltips, menus) are not covered.
TRANSIENT = frozenset({Qt.WindowType.ToolTip, Qt.WindowType.Popup})

Clock = Callable[[], float]


class Cover(QWidget):
    """An opaque panel over a whole window, so a locked screen shows no personal data."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.setObjectName("lockCover")
        self.setAutoFillBackground(True)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet("#lockCover { background: #eceff1; }")
        text = QLabel(_("Qadam is locked"))
        text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        text.setStyleSheet("color: #6b6b6b; font-size: 16pt;")
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        self.active = True
        self.follow()

    def follow(self) -> None:
        parent = self.parentWidget()
        if not self.active:
            return
        if parent is not None:
            self.setGeometry(parent.rect())
        self.raise_()
        self.show()


class LockDialog(QDialog):
    """Asks for the logged-in user's password; Esc and the close button do not open the window."""

    unlocked = Signal()

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.setWindowTitle(_("Qadam is locked"))
        self.setWindowIcon(icon("qadam"))
        self.setWindowModality(Qt.WindowModality.ApplicationModal)
        self.setWindowFlag(Qt.WindowType.WindowContextHelpButtonHint, False)
        self.setWindowFlag(Qt.WindowType.WindowCloseButtonHint, False)
        user = context.user
        heading = QLabel(_("The window was locked after a time without use, to protect "
                           "personal data."))
        heading.setWordWrap(True)
        who = QLabel(_("Enter the password of {name} ({login}) to continue.").format(
            name=user.full_name, login=user.login))
        who.setWordWrap(True)
        who.setStyleSheet("font-weight: bold;")
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(_("Password"))
        self.error = FieldError()
        self.buttons = QDialogButtonBox()
        self.unlock_button = self.buttons.addButton(_("Unlock"),
                                                    QDialogButtonBox.ButtonRole.AcceptRole)
        self.unlock_button.setDefault(True)
        self.quit_button = self.buttons.addButton(_("Quit Qadam"),
                                                  QDialogButtonBox.ButtonRole.DestructiveRole)
        self.quit_button.setToolTip(_("Another person can then log in with their own account"))
        self.unlock_button.clicked.connect(self.try_unlock)
        self.quit_button.clicked.connect(self.quit_program)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addSpacing(6)
        layout.addWidget(who)
        layout.addWidget(self.password)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(440)
        self.password.setFocus()

    def try_unlock(self) -> bool:
        try:
            # authenticate counts a wrong password towards the lockout and audits the attempt,
            # so guessing here is no easier than at the login dialog
            with self.context.database.session() as session:
                authenticate(session, self.context.user.login, self.password.text())
        except QadamError as exc:
            self.error.show_message(exc.message)
            fit_height(self)
            self.password.clear()
            self.password.setFocus()
            return False
        self.password.clear()
        self.error.show_message("")
        self.unlocked.emit()
        self.done(QDialog.DialogCode.Accepted)
        return True

    def quit_program(self) -> None:
        answer = QMessageBox.question(
            self, _("Quit Qadam"),
            _("Quit Qadam? Forms not saved are kept as drafts and offered back when you next "
              "sign in."),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No)
        if answer == QMessageBox.StandardButton.Yes:
            from desktop.drafts import write_pending_drafts

            write_pending_drafts()  # what was typed in the last seconds too
            QApplication.quit()  # ends the forms' own event loops too

    def reject(self) -> None:
        """Esc does nothing: only the password opens the window."""

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        event.ignore()


class IdleLock(QObject):
    """Watches the application's input and locks after `minutes` without any.

    `minutes` None reads settings.IDLE_MINUTES at every check, so a change on the Settings page
    applies at once. `now` and `interval_ms` let tests shorten the wait or drive `check()`."""

    locked = Signal()
    unlocked = Signal()

    def __init__(self, window: QWidget, context: AppContext, *, minutes: float | None = None,
                 now: Clock = time.time, interval_ms: int = CHECK_INTERVAL_MS) -> None:
        super().__init__(window)
        self.window = window
        self.context = context
        self.minutes = minutes
        # the wall clock, not a monotonic one: a laptop closed for an hour must come back locked
        self._now = now
        self.last_input = now()
        self.dialog: LockDialog | None = None
        self._covers: dict[QWidget, Cover] = {}
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(lambda: self.check())
        app = QApplication.instance()
        assert app is not None
        app.installEventFilter(self)
        self.timer.start()

    # --- watching -----------------------------------------------------------------------
    def idle_minutes(self) -> float:
        if self.minutes is not None:
            return self.minutes
        low, high = settings.IDLE_MINUTES_RANGE
        return min(max(settings.get(settings.IDLE_MINUTES), low), high)

    @property
    def is_locked(self) -> bool:
        return self.dialog is not None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        kind = event.type()
        if self.dialog is None:
            if kind in ACTIVITY:
                self.last_input = self._now()
            return False
        if not isinstance(watched, QWidget):
            return False  # a QWindow passes events on to its widgets, which are judged below
        if kind in INPUT:
            return not self._belongs_to_dialog(watched)
        if kind == QEvent.Type.Show and watched.isWindow() and not self._belongs_to_dialog(
                watched) and watched.windowType() not in TRANSIENT:
            self._cover(watched)  # a message box or progress dialog that appears while locked
        elif kind in (QEvent.Type.Resize, QEvent.Type.ChildAdded) and watched in self._covers:
            # follow the window's size; stay above children added after the cover
            cover = self._covers[watched]
            QTimer.singleShot(0, cover, cover.follow)
        return False

    def _belongs_to_dialog(self, widget: QWidget) -> bool:
        dialog = self.dialog
        current: QWidget | None = widget
        while current is not None:
            if current is dialog:
                return True
            current = current.parentWidget()
        return False

    def check(self, now: float | None = None) -> bool:
        """Lock when the idle time has passed; say whether the window is locked."""
        if self.dialog is not None:
            return True
        now = self._now() if now is None else now
        if now < self.last_input:  # the clock was set back: count from now
            self.last_input = now
        if now - self.last_input >= self.idle_minutes() * 60:
            self.lock()
        return self.dialog is not None

    # --- locking ------------------------------------------------------------------------
    def lock(self) -> None:
        if self.dialog is not None:
            return
        for widget in QApplication.topLevelWidgets():
            if widget.isVisible() and widget.windowType() not in TRANSIENT:
                self._cover(widget)
        self.dialog = LockDialog(self.context, self.window)
        self.dialog.unlocked.connect(self._unlock)
        self.dialog.show()
        self.dialog.raise_()
        self.dialog.activateWindow()
        self.locked.emit()

    def _cover(self, widget: QWidget) -> None:
        if widget not in self._covers and widget.isWindow():
            self._covers[widget] = Cover(widget)

    def _unlock(self) -> None:
        for cover in self._covers.values():
            if not isValid(cover):
                continue  # its window closed and was deleted while the lock was on
            cover.active = False
            cover.hide()
            cover.deleteLater()
        self._covers.clear()
        if self.dialog is not None and isValid(self.dialog):
            self.dialog.hide()
            self.dialog.deleteLater()
        self.dialog = None
        self.last_input = self._now()
        self.unlocked.emit()

    def uninstall(self) -> None:
        """Stop watching (tests; a window that closes): uncover everything, no prompt left."""
        if self.dialog is not None:
            self._unlock()
        self.timer.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)


def install_idle_lock(window: MainWindow, context: AppContext, **options: object) -> IdleLock:
    """Watch for idle time over the whole application; the window's "Lock" action uses it.

    `options` go to IdleLock (minutes, now, interval_ms), for tests."""
    if window.idle_lock is None:
        window.idle_lock = IdleLock(window, context, **options)  # type: ignore[arg-type]
    return window.idle_lock
