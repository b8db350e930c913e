"""What every record form shares: messages beside fields, Save only when valid, Ctrl+S to save,
Esc to close (asking first when something changed), a remembered size."""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QByteArray, Qt, QTimer
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPlainTextEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from db.errors import QadamError, ValidationError
from db.i18n import _
from desktop import drafts, settings
from desktop.context import AppContext
from desktop.icons import icon
from desktop.signals import notify
from desktop.widgets.field_error import FieldError

VALIDATE_DELAY_MS = 150
log = logging.getLogger(__name__)


class RecordForm(QDialog):
    form_key = "record"
    notify_kinds: tuple[str, ...] = ()

    def __init__(self, context: AppContext, record_id: int | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.record_id = record_id
        self.saved_id: int | None = None
        self.read_only_reason = ""
        self.note = ""  # a standing remark for the hint line, e.g. why a date cannot change
        self._errors: dict[str, FieldError] = {}
        self._field_widgets: dict[str, QWidget] = {}
        self._touched: set[str] = set()
        self._show_all = False
        self._dirty = False
        self._loading = False
        self.record_uuid: str | None = None  # set by load(): what a draft names
        self.draft_base: str | None = None  # digest of the values as loaded (drafts.py)
        self._draft_id: str | None = None
        self.setWindowFlag(Qt.WindowType.WindowContextHelpButtonHint, False)

        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        self.general_error = FieldError()
        self.hint = QLabel()
        self.hint.setObjectName("formHint")
        self.hint.setWordWrap(True)  # a lock's reason is a whole sentence
        self.hint.setStyleSheet("color: #6b6b6b;")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setIcon(icon("save"))
        self.save_button.setToolTip(_("Save (Ctrl+S)"))
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)

        # the fields scroll when the screen is small (1366×768 at 150 % leaves ~700 px)
        content = QWidget()
        self.body = QVBoxLayout(content)
        self.body.addLayout(self.form)
        scroll = QScrollArea()
        scroll.setWidget(content)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        outer = QVBoxLayout(self)
        outer.addWidget(scroll, 1)
        outer.addWidget(self.general_error)
        outer.addWidget(self.hint)
        outer.addWidget(self.buttons)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(VALIDATE_DELAY_MS)
        self._timer.timeout.connect(self.validate)
        save_shortcut = QShortcut(QKeySequence.StandardKey.Save, self)
        save_shortcut.activated.connect(self.save)
        self._draft_timer = QTimer(self)
        self._draft_timer.setSingleShot(True)
        self._draft_timer.setInterval(drafts.DRAFT_DELAY_MS)
        self._draft_timer.timeout.connect(self.write_draft)

        self._loading = True
        self.build()
        if record_id is not None:
            self.load(record_id)
            reason = self.lock_reason()
            if reason:
                self.set_read_only(reason)
        else:
            self.load_defaults()
        self._loading = False
        self._dirty = False
        if record_id is not None and not self.read_only_reason:
            values = self.draft_values()
            self.draft_base = drafts.values_digest(values) if values is not None else None
        self.body.addStretch(1)  # spare height goes below the fields, not between them
        for line in self.findChildren(QLineEdit):
            line.setCursorPosition(0)  # long loaded texts show their start
        self._restore_geometry()
        self.validate()

    # --- to override --------------------------------------------------------------------
    def build(self) -> None: ...

    def load(self, record_id: int) -> None: ...

    def load_defaults(self) -> None: ...

    def lock_reason(self) -> str:
        """Why the loaded record may not be changed ("" when it may): a locked month."""
        return ""

    def gather(self) -> Any:
        raise NotImplementedError

    def check(self, data: Any) -> dict[str, str]:
        return {}

    def write(self, data: Any) -> int:
        raise NotImplementedError

    def draft_values(self) -> dict[str, Any] | None:
        """The widgets' values as plain JSON, for a draft (None: this form keeps no drafts).
        Raw, as typed: a half-typed IIN or time is kept as it is."""
        return None

    def fill_draft(self, values: dict[str, Any]) -> None:
        """Put draft_values() back into the widgets."""
        raise NotImplementedError

    def draft_caption(self) -> str:
        """A few words the user recognises the form by, for the restore question."""
        return ""

    def draft_context(self) -> dict[str, Any]:
        """What else it takes to open this form again (the person of an outcome)."""
        return {}

    def month_lock(self) -> str:
        """Why the values as they stand fall in a submitted month ("" when they do not)."""
        return self.read_only_reason

    # --- building -----------------------------------------------------------------------
    def set_read_only(self, reason: str) -> None:
        """Show the record without letting it change: every input disabled, Save disabled,
        the reason where the hint goes. Lists stay scrollable; their items cannot be ticked."""
        self.read_only_reason = reason
        content = self.body.parentWidget()
        for widget in content.findChildren(QWidget) if content is not None else []:
            if isinstance(widget, QLineEdit | QPlainTextEdit | QComboBox | QAbstractSpinBox
                          | QAbstractButton):
                widget.setEnabled(False)
            elif isinstance(widget, QListWidget):
                for number in range(widget.count()):
                    item = widget.item(number)
                    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEnabled
                                  & ~Qt.ItemFlag.ItemIsUserCheckable)
            elif isinstance(widget, QAbstractItemView):
                widget.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.save_button.setEnabled(False)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Close"))
        self.hint.setStyleSheet("color: #8a4b00; font-weight: bold;")
        self.hint.setText(reason)

    def add_field(self, label: str, widget: QWidget, field: str | None = None, *,
                  also: tuple[str, ...] = ()) -> QWidget:
        """A labelled row; `field` (and `also`) name the db fields whose messages show here."""
        container = QWidget()
        box = QVBoxLayout(container)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(2)
        box.addWidget(widget)
        if field is not None:
            error = FieldError()
            box.addWidget(error)
            for name in (field, *also):
                self._errors[name] = error
                self._field_widgets[name] = widget
            self.watch(widget, field)
        caption = QLabel(label)
        caption.setBuddy(widget)
        self.form.addRow(caption, container)
        return container

    def add_block(self, title: str, widget: QWidget, field: str) -> QGroupBox:
        """A titled group spanning the form's width, for lists inside a form."""
        block = QGroupBox(title)
        box = QVBoxLayout(block)
        box.addWidget(widget)
        error = FieldError()
        box.addWidget(error)
        self._errors[field] = error
        self._field_widgets[field] = widget
        self.form.addRow(block)
        return block

    def watch(self, widget: QWidget, field: str | None = None) -> None:
        """Re-validate when the widget changes; mark the field as touched."""
        def changed(*_args: object) -> None:
            if field:
                self._touched.add(field)
            self.mark_changed()

        if isinstance(widget, QLineEdit | QPlainTextEdit):
            widget.textChanged.connect(changed)
        elif isinstance(widget, QComboBox):
            widget.currentIndexChanged.connect(changed)
        elif isinstance(widget, QAbstractSpinBox):
            signal = getattr(widget, "dateChanged", None) or getattr(widget, "valueChanged",
                                                                     None)
            if signal is None:
                signal = widget.editingFinished
            signal.connect(changed)
            time_signal = getattr(widget, "timeChanged", None)
            if time_signal is not None:
                time_signal.connect(changed)
        elif isinstance(widget, QCheckBox | QAbstractButton):
            widget.toggled.connect(changed)
        elif isinstance(widget, QListWidget):
            widget.itemChanged.connect(changed)

    def mark_changed(self) -> None:
        if self._loading:
            return
        self._dirty = True
        self._timer.start()
        if not self.read_only_reason:
            self._draft_timer.start()

    # --- drafts (see desktop/drafts.py) -------------------------------------------------
    def draft_pending(self) -> bool:
        """Changes typed within the debounce, not yet in a draft."""
        return self._draft_timer.isActive()

    def write_draft(self) -> None:
        """Keep the unsaved values on disk, so a crash does not lose them. A failure (a full
        disk) is logged, not shown: the form itself still works."""
        self._draft_timer.stop()
        path = self.context.database.path
        if not self._dirty or self.read_only_reason or path is None:
            return
        values = self.draft_values()
        if values is None:
            return
        user = self.context.user
        draft = drafts.Draft(
            kind=self.form_key, database=drafts.database_key(path), user_login=user.login,
            user_uuid=user.uuid, values=values, record_id=self.record_id,
            record_uuid=self.record_uuid, base=self.draft_base, context=self.draft_context(),
            caption=self.draft_caption()[:80], saved_at=drafts.now_text())
        if self._draft_id is not None:
            draft.id = self._draft_id
        try:
            drafts.save_draft(draft)
        except (OSError, ValueError) as exc:
            log.warning("the draft of a %s form could not be written: %s", self.form_key, exc)
            return
        self._draft_id = draft.id

    def discard_draft(self) -> None:
        self._draft_timer.stop()
        drafts.delete_draft(self._draft_id)
        self._draft_id = None

    def restore_draft(self, draft: drafts.Draft) -> None:
        """Fill the form from a draft: the values come back unsaved, Save enabled if valid."""
        self._loading = True
        try:
            self.fill_draft(draft.values)
        finally:
            self._loading = False
        self._draft_id = draft.id
        self._dirty = True
        restored = _("Restored from the unsaved form of {when}.").format(
            when=drafts.when_text(draft))
        self.note = "\n".join(text for text in (self.note, restored) if text)
        self.validate()

    @property
    def dirty(self) -> bool:
        return self._dirty

    # --- validating and saving ----------------------------------------------------------
    def validate(self) -> bool:
        self._timer.stop()
        try:
            data = self.gather()
            errors = self.check(data)
        except ValidationError as exc:
            errors = exc.errors
        except QadamError as exc:
            errors = {"": exc.message}
        self.show_errors(errors)
        valid = not errors and not self.read_only_reason
        self.save_button.setEnabled(valid)
        return not errors

    def show_errors(self, errors: dict[str, str]) -> None:
        groups: dict[int, tuple[FieldError, list[str]]] = {}
        for name, label in self._errors.items():
            groups.setdefault(id(label), (label, []))[1].append(name)
        for label, names in groups.values():
            label.show_message(next((errors[n] for n in names
                                     if n in errors and self._visible(n)), ""))
        general = [text for name, text in errors.items() if name not in self._errors and text]
        self.general_error.show_message("\n".join(general))
        hidden = [n for n in errors if n in self._errors and not self._visible(n)]
        if self.read_only_reason:
            self.hint.setText(self.read_only_reason)
        elif hidden:
            self.hint.setText(_("Fill in the required fields to save."))
        else:
            self.hint.setText(self.note)

    def _visible(self, field: str) -> bool:
        """Messages show for fields the user touched, and for all once Save was tried."""
        return self._show_all or field in self._touched

    def save(self) -> None:
        self._show_all = True
        if not self.validate() or self.read_only_reason:
            return
        try:
            self.saved_id = self.write(self.gather())
        except ValidationError as exc:
            self.show_errors(exc.errors)
            self._focus_first_error(exc.errors)
            return
        except QadamError as exc:
            QMessageBox.warning(self, self.windowTitle(), exc.message)
            return
        self._dirty = False
        self.discard_draft()
        for kind in self.notify_kinds:
            notify(kind)
        self.accept()

    def _focus_first_error(self, errors: dict[str, str]) -> None:
        for name in errors:
            widget = self._field_widgets.get(name)
            if widget is not None:
                widget.setFocus()
                return

    # --- closing ------------------------------------------------------------------------
    def reject(self) -> None:
        if self._dirty and not self.read_only_reason:
            answer = QMessageBox.question(
                self, _("Unsaved changes"), _("Save the changes before closing?"),
                QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
                | QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Cancel)
            if answer == QMessageBox.StandardButton.Cancel:
                return
            if answer == QMessageBox.StandardButton.Save:
                self.save()
                return
        self.discard_draft()  # closed without saving, on purpose: the draft goes too
        self._save_geometry()
        super().reject()

    def accept(self) -> None:
        self._save_geometry()
        super().accept()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        event.ignore()
        self.reject()

    def _restore_geometry(self) -> None:
        state = settings.get(settings.form_geometry(self.form_key))
        if isinstance(state, QByteArray) and not state.isEmpty():
            self.restoreGeometry(state)
        screen = self.screen().availableGeometry() if self.screen() else None
        if screen is not None:  # never larger than the screen; the fields scroll instead
            self.resize(min(self.width(), screen.width() - 40),
                        min(self.height(), screen.height() - 60))

    def _save_geometry(self) -> None:
        settings.put(settings.form_geometry(self.form_key), self.saveGeometry())
