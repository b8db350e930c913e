"""The person form: a live IIN check fills birth date and sex; duplicates are pointed out."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from db.errors import QadamError
from db.i18n import _
from db.iin import InvalidIin, parse_iin
from db.models import PersonCreate, PersonUpdate
from db.ops import checks, persons, references
from db.ops.facilities import list_facilities
from db.ops.volunteers import delete_outcome, list_outcomes
from db.values import OutcomeKind, PersonStatus, ReferenceList, Sex
from desktop import signals
from desktop.forms.base import RecordForm
from desktop.icons import icon
from desktop.texts import date_text, word
from desktop.widgets.check_list import CheckList
from desktop.widgets.combo import combo_value, fill_combo, set_combo_value
from desktop.widgets.date_field import DateField


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day is not None else None


def _date(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


class PersonForm(RecordForm):
    form_key = "person"
    notify_kinds = (signals.PERSONS,)

    def build(self) -> None:
        self.setWindowTitle(_("Person") if self.record_id else _("New person"))
        self.surname = QLineEdit()
        self.name = QLineEdit()
        self.patronymic = QLineEdit()
        self.iin = QLineEdit()
        self.iin.setMaxLength(12)
        self.iin.setPlaceholderText(_("12 digits; birth date and sex are filled from it"))
        self.iin.setInputMethodHints(Qt.InputMethodHint.ImhDigitsOnly)
        self.birth_date = DateField(optional=True)
        self.sex = QComboBox()
        fill_combo(self.sex, [(None, "—")] + [(s.value, word(Sex, s.value)) for s in Sex])
        self.status = QComboBox()
        fill_combo(self.status, [(s.value, word(PersonStatus, s.value)) for s in PersonStatus])
        self.facility = QComboBox()
        self.release_date = DateField(optional=True)
        self.articles = CheckList()
        self.articles.setMinimumHeight(110)
        self.phone = QLineEdit()
        self.phone.setPlaceholderText("+7 701 123 45 67")
        self.district = QLineEdit()
        self.notes = QPlainTextEdit()
        self.notes.setMaximumHeight(70)

        self.duplicate_note = QLabel()
        self.duplicate_note.setWordWrap(True)
        self.duplicate_note.setStyleSheet("color: #8a6d00;")
        self.open_duplicate = QPushButton(_("Open the existing record"))
        self.open_duplicate.clicked.connect(self._open_duplicate)
        self._duplicate_id: int | None = None
        duplicate_row = QWidget()
        row = QHBoxLayout(duplicate_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.duplicate_note, 1)
        row.addWidget(self.open_duplicate)
        self.duplicate_box = duplicate_row
        self.duplicate_box.hide()

        self.add_field(_("Surname"), self.surname, "surname")
        self.add_field(_("First name"), self.name, "name")
        self.add_field(_("Patronymic"), self.patronymic, "patronymic")
        self.add_field(_("IIN"), self.iin, "iin")
        self.add_field(_("Birth date"), self.birth_date, "birth_date")
        self.add_field(_("Sex"), self.sex, "sex")
        self.add_field(_("Status"), self.status, "status")
        self.add_field(_("Facility"), self.facility, "facility_id")
        self.add_field(_("Release date"), self.release_date, "release_date")
        self.add_field(_("Drug-crime articles"), self.articles, "article_ids")
        self.add_field(_("Phone"), self.phone, "phone")
        self.add_field(_("District of residence"), self.district, "district")
        self.add_field(_("Notes"), self.notes, "notes")
        self.body.addWidget(self.duplicate_box)
        self.iin.textChanged.connect(self._iin_typed)
        self.outcomes_box = self._build_outcomes()
        self.body.addWidget(self.outcomes_box)

        with self.context.database.session() as session:
            facilities = list_facilities(session)
            items = references.list_items(session, ReferenceList.ARTICLE, include_retired=True)
        fill_combo(self.facility, [(None, "—")] + [(f.id, f"№{f.code} — {f.name}")
                                                   for f in facilities])
        self._article_items = items
        self.articles.set_items([(a.id, a.name(self.context.language)) for a in items
                                 if not a.retired])
        self.resize(620, 700)

    def load_defaults(self) -> None:
        own = self.context.own_facility()
        set_combo_value(self.facility, own.id if own else None)

    def load(self, record_id: int) -> None:
        with self.context.database.session() as session:
            person = persons.get_person(session, record_id)
            chosen = persons.article_ids_of(session, record_id)
        self.record_uuid = person.uuid
        self.show_values({
            "surname": person.surname, "name": person.name, "patronymic": person.patronymic,
            "iin": person.iin or "", "birth_date": _iso(person.birth_date), "sex": person.sex,
            "status": person.status, "facility_id": person.facility_id,
            "release_date": _iso(person.release_date), "article_ids": list(chosen),
            "phone": person.phone, "district": person.district, "notes": person.notes})
        self.setWindowTitle(_("Person: {name}").format(name=person.full_name))
        self._show_outcomes()

    def show_values(self, values: dict[str, Any]) -> None:
        """Fill every widget from plain values: a stored person's (load) or a draft's."""
        chosen = set(values.get("article_ids") or ())
        self.surname.setText(values.get("surname") or "")
        self.name.setText(values.get("name") or "")
        self.patronymic.setText(values.get("patronymic") or "")
        self.iin.setText(values.get("iin") or "")
        # after the IIN, which fills them when it is valid: the values as they were win
        self.birth_date.set_value(_date(values.get("birth_date")))
        set_combo_value(self.sex, values.get("sex"))
        set_combo_value(self.status, values.get("status"))
        set_combo_value(self.facility, values.get("facility_id"))
        self.release_date.set_value(_date(values.get("release_date")))
        # a retired article stays visible on the records that have it
        self.articles.set_items([(a.id, a.name(self.context.language))
                                 for a in self._article_items
                                 if not a.retired or a.id in chosen], chosen)
        self.phone.setText(values.get("phone") or "")
        self.district.setText(values.get("district") or "")
        self.notes.setPlainText(values.get("notes") or "")

    # --- drafts -------------------------------------------------------------------------
    def draft_values(self) -> dict[str, Any]:
        return {
            "surname": self.surname.text(), "name": self.name.text(),
            "patronymic": self.patronymic.text(), "iin": self.iin.text(),
            "birth_date": _iso(self.birth_date.value()), "sex": combo_value(self.sex),
            "status": combo_value(self.status), "facility_id": combo_value(self.facility),
            "release_date": _iso(self.release_date.value()),
            "article_ids": self.articles.checked_ids(), "phone": self.phone.text(),
            "district": self.district.text(), "notes": self.notes.toPlainText()}

    def fill_draft(self, values: dict[str, Any]) -> None:
        self.show_values(values)

    def draft_caption(self) -> str:
        return " ".join(part for part in (self.surname.text().strip(), self.name.text().strip(),
                                          self.patronymic.text().strip()) if part)

    def _build_outcomes(self) -> QGroupBox:
        """Repeat offences and violations: shown once the person is saved."""
        box = QGroupBox(_("Repeat offences and violations"))
        self.outcomes = QTableWidget(0, 3)
        self.outcomes.setHorizontalHeaderLabels([_("Date"), _("Kind"), _("Article")])
        self.outcomes.verticalHeader().hide()
        self.outcomes.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.outcomes.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.outcomes.horizontalHeader().setStretchLastSection(True)
        self.outcomes.setMaximumHeight(120)
        self.outcomes.doubleClicked.connect(lambda _i: self._edit_outcome())
        add = QPushButton(icon("new"), _("Add…"))
        add.clicked.connect(lambda: self._open_outcome(None))
        remove = QPushButton(icon("delete"), _("Delete"))
        remove.clicked.connect(self._delete_outcome)
        buttons = QHBoxLayout()
        buttons.addWidget(add)
        buttons.addWidget(remove)
        buttons.addStretch(1)
        layout = QVBoxLayout(box)
        layout.addWidget(self.outcomes)
        layout.addLayout(buttons)
        box.setVisible(self.record_id is not None)
        self._outcome_ids: list[int] = []
        return box

    def _show_outcomes(self) -> None:
        if self.record_id is None:
            return
        with self.context.database.session() as session:
            outcomes = list_outcomes(session, person_id=self.record_id)
            names = {a.id: a.code for a in references.list_items(
                session, ReferenceList.ARTICLE, include_retired=True)}
        self._outcome_ids = [o.id for o in outcomes]
        self.outcomes.setRowCount(len(outcomes))
        for row, outcome in enumerate(outcomes):
            values = (date_text(outcome.outcome_date), word(OutcomeKind, outcome.kind),
                      names.get(outcome.article_id, ""))
            for column, value in enumerate(values):
                self.outcomes.setItem(row, column, QTableWidgetItem(value))

    def _open_outcome(self, outcome_id: int | None) -> None:
        from desktop.forms.outcome_form import OutcomeForm

        if self.record_id is not None:
            OutcomeForm(self.context, self.record_id, outcome_id, self).exec()
            self._show_outcomes()

    def _edit_outcome(self) -> None:
        rows = self.outcomes.selectionModel().selectedRows()
        if rows:
            self._open_outcome(self._outcome_ids[rows[0].row()])

    def _delete_outcome(self) -> None:
        rows = self.outcomes.selectionModel().selectedRows()
        if not rows:
            return
        answer = QMessageBox.question(self, _("Delete"), _(
            "Delete {what}? This cannot be undone.").format(what=_("the selected outcome")))
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            with self.context.database.session() as session:
                delete_outcome(session=session, actor=self.context.user,
                               outcome_id=self._outcome_ids[rows[0].row()])
        except QadamError as exc:
            QMessageBox.warning(self, self.windowTitle(), exc.message)
        self._show_outcomes()

    def _iin_typed(self, text: str) -> None:
        """A complete, valid IIN fills the birth date and sex (the user may still see them)."""
        if len(text.strip()) != 12:
            return
        try:
            info = parse_iin(text)
        except InvalidIin:
            return
        self.birth_date.set_value(info.birth_date)
        set_combo_value(self.sex, info.sex.value)

    def gather(self) -> PersonCreate:
        return PersonCreate(
            surname=self.surname.text(), name=self.name.text(),
            patronymic=self.patronymic.text(), iin=self.iin.text().strip() or None,
            birth_date=self.birth_date.value(), sex=combo_value(self.sex),
            status=combo_value(self.status), facility_id=combo_value(self.facility),
            release_date=self.release_date.value(), phone=self.phone.text(),
            district=self.district.text().strip(), notes=self.notes.toPlainText().strip(),
            article_ids=self.articles.checked_ids())

    def check(self, data: PersonCreate) -> dict[str, str]:
        with self.context.database.session() as session:
            errors = checks.person_errors(session, data, person_id=self.record_id)
            duplicates = persons.find_duplicates(
                session, iin=data.iin, surname=data.surname.strip(), name=data.name.strip(),
                patronymic=data.patronymic.strip(), birth_date=data.birth_date,
                exclude_id=self.record_id)
        self._show_duplicate(duplicates[0] if duplicates else None)
        return errors

    def _show_duplicate(self, person) -> None:
        if person is None:
            self._duplicate_id = None
            self.duplicate_box.hide()
            return
        self._duplicate_id = person.id
        self.duplicate_note.setText(_("Already in the registry: {name}, born {date}.").format(
            name=person.full_name, date=date_text(person.birth_date) or "—"))
        self.duplicate_box.show()

    def _open_duplicate(self) -> None:
        if self._duplicate_id is None:
            return
        duplicate_id = self._duplicate_id
        self._dirty = False
        self.reject()
        PersonForm(self.context, duplicate_id, self.parentWidget()).exec()

    def write(self, data: PersonCreate) -> int:
        with self.context.database.session() as session:
            if self.record_id is None:
                person = persons.create_person(session=session, actor=self.context.user,
                                               data=data)
            else:
                person = persons.update_person(
                    session=session, actor=self.context.user, person_id=self.record_id,
                    data=PersonUpdate(**data.model_dump()))
            return person.id
