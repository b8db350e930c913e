"""Pick a person by typing part of the name or IIN; suggestions come from SQL as you type."""

from __future__ import annotations

from PySide6.QtCore import QStringListModel, Qt, QTimer, Signal
from PySide6.QtWidgets import QCompleter, QLineEdit, QWidget

from db.database import Database
from db.ops import browse
from db.ops.persons import PersonFilter
from desktop.texts import date_text

SUGGESTIONS = 20


class PersonPicker(QLineEdit):
    personChosen = Signal(int)

    def __init__(self, database: Database, placeholder: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.database = database
        self.setPlaceholderText(placeholder)
        self.setClearButtonEnabled(True)
        self._ids: dict[str, int] = {}
        self._model = QStringListModel(self)
        self._completer = QCompleter(self._model, self)
        self._completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        # SQL already matched; the completer must not filter again by prefix
        self._completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self._completer.activated.connect(self._chosen)
        self.setCompleter(self._completer)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(200)
        self._timer.timeout.connect(self.refresh)
        self.textEdited.connect(lambda _text: self._timer.start())
        self.returnPressed.connect(self._enter)

    def refresh(self) -> None:
        text = self.text().strip()
        if len(text) < 2:
            self._ids = {}
            self._model.setStringList([])
            return
        with self.database.session() as session:
            rows = browse.person_rows(session, PersonFilter(search=text), limit=SUGGESTIONS)
        self._ids = {}
        for row in rows:
            details = ", ".join(p for p in (date_text(row.birth_date), row.iin) if p)
            caption = f"{row.full_name} ({details})" if details else row.full_name
            self._ids[caption] = row.id
        self._model.setStringList(list(self._ids))
        if self._ids:
            self._completer.complete()

    def suggestions(self) -> list[str]:
        return list(self._ids)

    def choose(self, caption: str) -> None:
        self._chosen(caption)

    def _chosen(self, caption: str) -> None:
        person_id = self._ids.get(caption)
        if person_id is not None:
            self.personChosen.emit(person_id)
            QTimer.singleShot(0, self.clear)

    def _enter(self) -> None:
        """Enter with exactly one suggestion picks it."""
        self._timer.stop()
        self.refresh()
        if len(self._ids) == 1:
            self._chosen(next(iter(self._ids)))
