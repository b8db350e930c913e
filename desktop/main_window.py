"""The main window: navigation to the registers, menus, and a status bar that says where you are."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QSize, QTimer
from PySide6.QtGui import QAction, QIcon, QKeySequence
from PySide6.QtWidgets import (
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QSplitter,
    QStackedWidget,
    QWidget,
)

from db import __version__
from db.i18n import _
from db.rights import Action, may
from db.values import Role, label
from desktop import settings
from desktop.context import AppContext
from desktop.icons import icon

if TYPE_CHECKING:  # the frame is built and shown before the tables are imported
    from PySide6.QtGui import QCloseEvent, QPaintEvent, QShowEvent

    from db.models import User
    from desktop.idle_lock import IdleLock

PAGES: list[tuple[str, str, Callable[[], str]]] = [
    ("events", "events", lambda: _("Events")),
    ("persons", "persons", lambda: _("Persons")),
    ("volunteers", "volunteers", lambda: _("Volunteers")),
    ("reports", "reports", lambda: _("Reports")),
    ("references", "references", lambda: _("Reference lists")),
    ("settings", "settings", lambda: _("Settings")),
]
# Only for those who may manage accounts (administrators); placed before Settings.
ADMIN_PAGES: list[tuple[str, str, Callable[[], str]]] = [
    ("users", "users", lambda: _("Users")),
    ("audit", "audit", lambda: _("Audit trail")),
]
FALLBACK_ICONS = {"users": "persons", "audit": "search"}
# Where a navigation item keeps its page's key: Qt.ItemDataRole.UserRole, by its number, as
# PySide6 makes the Qt namespace (20 ms) when it is first named: the pages do, after the paint.
KEY_ROLE = 0x0100
# Only on a regional database: imports, completeness and the consolidated report; first, as
# the regional department's daily work.
REGION_PAGE: tuple[str, str, Callable[[], str]] = ("region", "region", lambda: _("Region"))


def pages_for(user: User, regional: bool = False) -> list[tuple[str, str, Callable[[], str]]]:
    """The navigation of this user: administrators also see accounts and the audit trail
    (the operations refuse others anyway; hiding saves them a page of refusals); a regional
    database opens on its region page."""
    pages = list(PAGES) if not may(user, Action.MANAGE_USERS) \
        else PAGES[:-1] + ADMIN_PAGES + PAGES[-1:]
    return [REGION_PAGE, *pages] if regional else pages


def set_shortcut(action: QAction, keys: QKeySequence) -> None:
    """`action.setShortcut(keys)`: PySide6 resolves setShortcut's overloads by making the Qt
    namespace (20 ms, before the window could be painted); setShortcuts' list does not."""
    action.setShortcuts([keys])


def page_icon(name: str) -> QIcon:
    found = icon(name)
    return found if not found.isNull() or name not in FALLBACK_ICONS else icon(
        FALLBACK_ICONS[name])


def make_page(key: str, context: AppContext) -> QWidget:
    if key == "events":
        from desktop.pages.events_page import EventsPage

        return EventsPage(context)
    if key == "persons":
        from desktop.pages.persons_page import PersonsPage

        return PersonsPage(context)
    if key == "volunteers":
        from desktop.pages.volunteers_page import VolunteersPage

        return VolunteersPage(context)
    if key == "reports":
        from desktop.pages.reports_page import ReportsPage

        return ReportsPage(context)
    if key == "region":
        from desktop.pages.region_page import RegionPage

        return RegionPage(context)
    if key == "references":
        from desktop.pages.references_page import ReferencesPage

        return ReferencesPage(context)
    if key == "users":
        from desktop.pages.users_page import UsersPage

        return UsersPage(context)
    if key == "audit":
        from desktop.pages.audit_page import AuditPage

        return AuditPage(context)
    from desktop.pages.settings_page import SettingsPage

    return SettingsPage(context)


class LazyPages(Mapping[str, QWidget]):
    """`window.pages`: every page of the navigation by its key, each built when first asked
    for (shown, or looked up). A page reads the database as it is built: on a decade of a
    region's data, building them all would keep the window from opening for seconds."""

    def __init__(self, keys: list[str], build: Callable[[str], QWidget]) -> None:
        self._keys = keys
        self._build = build
        self.built: dict[str, QWidget] = {}

    def __getitem__(self, key: str) -> QWidget:
        page = self.built.get(key)
        if page is None:
            if key not in self._keys:
                raise KeyError(key)
            page = self.built[key] = self._build(key)
        return page

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)

    def __contains__(self, key: object) -> bool:
        return key in self._keys


class MainWindow(QMainWindow):
    def __init__(self, context: AppContext) -> None:
        super().__init__()
        self.context = context
        self.idle_lock: IdleLock | None = None  # set by desktop.idle_lock.install_idle_lock
        self.page_list = pages_for(context.user, context.is_regional())
        self.setWindowTitle("Qadam")
        self.setWindowIcon(icon("qadam"))

        self.navigation = QListWidget()
        self.navigation.setObjectName("navigation")
        self.navigation.setIconSize(QSize(22, 22))
        self.navigation.setSpacing(2)
        self.navigation.setMinimumWidth(170)
        self.navigation.setMaximumWidth(260)
        self.stack = QStackedWidget()
        self.pages = LazyPages([key for key, _icon, _title in self.page_list], self._build_page)
        # The page shown first is built once the window was painted (see paintEvent).
        self._constructing = True
        self._first_page_waits = False
        self._first_page_built = False
        self._after_first_page: list[Callable[[], object]] = []
        for key, icon_name, title in self.page_list:
            item = QListWidgetItem(page_icon(icon_name), title(), self.navigation)
            item.setData(KEY_ROLE, key)
            item.setSizeHint(QSize(0, 36))
            self.stack.addWidget(QWidget())  # stands in for the page until it is built
        self.navigation.currentRowChanged.connect(self._page_chosen)

        splitter = QSplitter()
        splitter.addWidget(self.navigation)
        splitter.addWidget(self.stack)
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)
        splitter.setSizes([190, 1000])
        self.setCentralWidget(splitter)
        self._build_menus()
        self._build_status_bar()
        self._restore()
        self._constructing = False
        self.after_first_page(self._offer_drafts)

    # --- building -----------------------------------------------------------------------
    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu(_("&File"))
        self.password_action = QAction(_("Change &password…"), self)
        self.password_action.triggered.connect(self.change_password)
        self.lock_action = QAction(_("&Lock the window"), self)
        set_shortcut(self.lock_action, QKeySequence("Ctrl+L"))
        self.lock_action.setToolTip(_("Hide the window until your password is entered"))
        self.lock_action.triggered.connect(self.lock_window)
        file_menu.addAction(self.password_action)
        file_menu.addAction(self.lock_action)
        file_menu.addSeparator()
        quit_action = QAction(_("&Quit"), self)
        set_shortcut(quit_action, QKeySequence(QKeySequence.StandardKey.Quit))
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)

        edit_menu = bar.addMenu(_("&Edit"))
        self.new_action = QAction(icon("new"), _("&New record"), self)
        set_shortcut(self.new_action, QKeySequence(QKeySequence.StandardKey.New))
        self.new_action.triggered.connect(self._new_record)
        self.find_action = QAction(icon("search"), _("&Find"), self)
        set_shortcut(self.find_action, QKeySequence(QKeySequence.StandardKey.Find))
        self.find_action.triggered.connect(self._find)
        self.open_action = QAction(icon("edit"), _("&Open record"), self)
        self.open_action.triggered.connect(self._open_record)
        self.delete_action = QAction(icon("delete"), _("&Delete record"), self)
        self.delete_action.triggered.connect(self._delete_record)
        for action in (self.new_action, self.open_action, self.delete_action, self.find_action):
            edit_menu.addAction(action)

        go_menu = bar.addMenu(_("&Go"))
        for number, (key, icon_name, title) in enumerate(self.page_list):
            action = QAction(page_icon(icon_name), title(), self)
            set_shortcut(action, QKeySequence(f"Ctrl+{number + 1}"))
            action.triggered.connect(lambda _checked=False, k=key: self.show_page(k))
            go_menu.addAction(action)

        help_menu = bar.addMenu(_("&Help"))
        about = QAction(icon("about"), _("&About Qadam"), self)
        about.triggered.connect(self._about)
        help_menu.addAction(about)

    def _build_status_bar(self) -> None:
        facility = self.context.own_facility_facts()
        if self.context.is_regional():
            where = _("Regional department")
        elif facility is not None:
            where = _("Facility №{code}").format(code=facility.code)
        else:
            where = ""
        user = self.context.user
        self.facility_label = QLabel(where)
        self.user_label = QLabel(f"{user.full_name} ({label(Role(user.role))})")
        self.file_label = QLabel(str(self.context.database.path or ""))
        self.file_label.setStyleSheet("color: #6b6b6b;")
        status = self.statusBar()
        status.addWidget(self.facility_label)
        status.addWidget(QLabel("·"))
        status.addWidget(self.user_label)
        status.addPermanentWidget(self.file_label)

    # --- pages --------------------------------------------------------------------------
    def show_page(self, key: str) -> None:
        for row in range(self.navigation.count()):
            if self.navigation.item(row).data(KEY_ROLE) == key:
                self.navigation.setCurrentRow(row)
                return

    def current_key(self) -> str:
        item = self.navigation.currentItem()
        return item.data(KEY_ROLE) if item else "events"

    def current_page(self) -> QWidget:
        return self.pages[self.current_key()]

    def _build_page(self, key: str) -> QWidget:
        """Make the page of `key` and put it in its placeholder's place in the stack."""
        row = next(n for n, (k, _icon, _title) in enumerate(self.page_list) if k == key)
        page = make_page(key, self.context)
        placeholder = self.stack.widget(row)
        current = self.stack.currentIndex()
        self.stack.insertWidget(row, page)
        self.stack.removeWidget(placeholder)
        placeholder.deleteLater()
        self.stack.setCurrentIndex(current)
        return page

    # The window is painted first; its first page (the page's queries, and the first import
    # of the tables, SQLModel and SQLAlchemy: half a second on an old PC) comes right after.
    # A timer started when the window is shown would fire before the paint: the first paint
    # starts it. Should no paint come (a window shown minimized), a later timer does.
    FIRST_PAGE_FALLBACK_MS = 1000

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        if not self._first_page_built:
            QTimer.singleShot(self.FIRST_PAGE_FALLBACK_MS, self, self._show_first_page)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        super().paintEvent(event)
        if not self._first_page_built:
            QTimer.singleShot(0, self, self._show_first_page)

    def _show_first_page(self) -> None:
        if self._first_page_built or not self.isVisible():
            return
        if self._first_page_waits:
            self._page_chosen(self.navigation.currentRow())  # also calls _first_page_done
        else:  # a page was chosen before the window was shown
            self._first_page_done()

    def after_first_page(self, callback: Callable[[], object]) -> None:
        """Call `callback` once the window, shown, has built its first page (at once when it
        has): what can wait a moment and needs the tables waits for that (the offer of
        drafts, the idle lock)."""
        if self._first_page_built:
            callback()
        else:
            self._after_first_page.append(callback)

    def _first_page_done(self) -> None:
        self._first_page_built = True
        waiting, self._after_first_page = self._after_first_page, []
        for callback in waiting:
            callback()

    def _offer_drafts(self) -> None:
        from desktop.drafts import offer_drafts_soon  # forms a crash left unsaved

        offer_drafts_soon(self)

    def _page_chosen(self, row: int) -> None:
        if self._constructing:
            self._first_page_waits = True  # built when the window is shown
            self.stack.setCurrentIndex(row)
            return
        self._first_page_waits = False
        try:
            if 0 <= row < len(self.page_list):
                self.pages.get(self.page_list[row][0])  # built now if never shown before
            self.stack.setCurrentIndex(row)
            is_register = hasattr(self.current_page(), "open_editor")
            for action in (self.new_action, self.open_action, self.delete_action,
                           self.find_action):
                action.setEnabled(is_register)
        finally:  # a page that failed to build must not keep the idle lock away
            if not self._first_page_built and self.isVisible():
                self._first_page_done()

    def _new_record(self) -> None:
        page = self.current_page()
        if hasattr(page, "open_editor"):
            page.open_editor(None)

    def _open_record(self) -> None:
        page = self.current_page()
        if hasattr(page, "edit_selected"):
            page.edit_selected()

    def _delete_record(self) -> None:
        page = self.current_page()
        if hasattr(page, "delete_selected"):
            page.delete_selected()

    def _find(self) -> None:
        page = self.current_page()
        if hasattr(page, "focus_search"):
            page.focus_search()

    def change_password(self) -> None:
        from desktop.password_dialog import ChangePasswordDialog

        dialog = ChangePasswordDialog(self.context.database, self.context.user, self)
        if dialog.exec() == ChangePasswordDialog.DialogCode.Accepted:
            self.statusBar().showMessage(_("Your password was changed."), 8000)

    def lock_window(self) -> None:
        from desktop.idle_lock import install_idle_lock

        install_idle_lock(self, self.context).lock()

    def _about(self) -> None:
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.about(self, _("About Qadam"), _(
            "<b>Qadam</b> {version}<br>Registry of anti-drug outreach in correctional "
            "facilities.<br>Data stay on this computer.").format(version=__version__))

    # --- remembering --------------------------------------------------------------------
    def _restore(self) -> None:
        geometry = settings.get(settings.WINDOW_GEOMETRY)
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            self.resize(1200, 760)
        self.show_page(settings.get(settings.LAST_PAGE))
        if self.navigation.currentRow() < 0:
            self.navigation.setCurrentRow(0)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        from desktop.tasks import wait_for_all

        wait_for_all()  # an export still writing must finish before the database closes
        settings.put(settings.WINDOW_GEOMETRY, self.saveGeometry())
        settings.put(settings.LAST_PAGE, self.current_key())
        super().closeEvent(event)
