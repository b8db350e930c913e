"""The volunteer form: enrolment, written consent, status, exit; and what the volunteer did."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from db import clock
from db.errors import QadamError
from db.i18n import _
from db.models import ReferenceItem, VolunteerCreate, VolunteerUpdate
from db.ops import checks, persons, volunteers
from db.ops.facilities import list_facilities
from db.ops.month_locks import locked_reason
from db.rules import VOLUNTEER_TRANSITIONS
from db.values import ParticipationRole, VolunteerStatus
from desktop import signals
from desktop.forms.base import RecordForm
from desktop.texts import date_text, hours_text, word
from desktop.widgets.combo import combo_value, fill_combo, set_combo_value
from desktop.widgets.date_field import DateField
from desktop.widgets.person_picker import PersonPicker


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day is not None else None


def _date(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


class VolunteerForm(RecordForm):
    form_key = "volunteer"
    # the dates as loaded: a lock covers them, not the status or the consent
    _stored_dates: tuple[dt.date | None, dt.date | None] = (None, None)
    notify_kinds = (signals.VOLUNTEERS,)

    def build(self) -> None:
        self.setWindowTitle(_("Volunteer") if self.record_id else _("New volunteer"))
        self._person_id: int | None = None
        self._previous_status: str | None = None
        self._locked_fields: set[DateField] = set()  # dates in a submitted month
        self.person_label = QLabel("—")
        self.person_label.setStyleSheet("font-weight: bold;")
        self.picker = PersonPicker(self.context.database,
                                   _("Type the name or IIN of a released person…"))
        self.picker.personChosen.connect(self.set_person)
        person_box = QWidget()
        person_layout = QVBoxLayout(person_box)
        person_layout.setContentsMargins(0, 0, 0, 0)
        person_layout.addWidget(self.person_label)
        person_layout.addWidget(self.picker)

        self.facility = QComboBox()
        with self.context.database.session() as session:
            facilities = list_facilities(session)
        fill_combo(self.facility, [(f.id, f"№{f.code} — {f.name}") for f in facilities])
        self.enrolled_on = DateField()
        self.consent_number = QLineEdit()
        self.consent_number.setPlaceholderText(_("number of the signed form"))
        self.consent_date = DateField(optional=True)
        self.coordinator = QLineEdit()
        self.status = QComboBox()
        fill_combo(self.status, [(s.value, word(VolunteerStatus, s.value))
                                 for s in VolunteerStatus])
        self.exit_date = DateField(optional=True)
        self.exit_reason = QLineEdit()
        self.notes = QPlainTextEdit()
        self.notes.setMaximumHeight(60)

        self.add_field(_("Person"), person_box, "person_id")
        if len(facilities) > 1:
            self.add_field(_("Facility"), self.facility, "facility_id")
        self.add_field(_("Enrolment date"), self.enrolled_on, "enrolled_on")
        self.add_field(_("Consent form No."), self.consent_number, "consent_number")
        self.add_field(_("Consent date"), self.consent_date, "consent_date")
        self.add_field(_("Coordinator"), self.coordinator, "coordinator")
        self.add_field(_("Status"), self.status, "status")
        self.add_field(_("Exit date"), self.exit_date, "exit_date")
        self.add_field(_("Exit reason"), self.exit_reason, "exit_reason")
        self.add_field(_("Notes"), self.notes, "notes")
        self.status.currentIndexChanged.connect(self._status_changed)

        history = QGroupBox(_("Participation in events"))
        history_layout = QVBoxLayout(history)
        self.history = QTableWidget(0, 4)
        self.history.setHorizontalHeaderLabels([_("Date"), _("Event"), _("Role"), _("Hours")])
        self.history.verticalHeader().hide()
        self.history.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.history.horizontalHeader().setSectionResizeMode(
            1, QHeaderView.ResizeMode.Stretch)
        self.total_hours = QLabel()
        history_layout.addWidget(self.history)
        history_layout.addWidget(self.total_hours)
        self.body.addWidget(history, 1)
        self.resize(640, 760)

    def set_person(self, person_id: int) -> None:
        with self.context.database.session() as session:
            person = persons.get_person(session, person_id)
        self._person_id = person.id
        details = date_text(person.birth_date)
        self.person_label.setText(f"{person.full_name}" + (f", {details}" if details else ""))
        self._touched.add("person_id")
        self.mark_changed()

    def _status_changed(self, *_args: object) -> None:
        leaving = combo_value(self.status) in (VolunteerStatus.LEFT, VolunteerStatus.REOFFENDED)
        self.exit_date.setEnabled(leaving and self.exit_date not in self._locked_fields)
        self.exit_reason.setEnabled(leaving)
        if leaving and self.exit_date.value() is None:
            self.exit_date.set_value(clock.today())
        if not leaving and self.exit_date not in self._locked_fields:
            self.exit_date.clear_value()
            self.exit_reason.clear()

    def load_defaults(self) -> None:
        own = self.context.own_facility()
        set_combo_value(self.facility, own.id if own else None)
        self.enrolled_on.set_value(clock.today())
        set_combo_value(self.status, VolunteerStatus.CANDIDATE.value)
        self.coordinator.setText(self.context.user.full_name)
        self._status_changed()
        self._show_history([])

    def load(self, record_id: int) -> None:
        with self.context.database.session() as session:
            volunteer = volunteers.get_volunteer(session, record_id)
            history = volunteers.participations_of_volunteer(session, record_id)
            kinds = {}
            for _part, event in history:
                item = session.get(ReferenceItem, event.kind_id)
                kinds[event.id] = item.name(self.context.language) if item else ""
        self._stored_dates = (volunteer.enrolled_on, volunteer.exit_date)
        self.record_uuid = volunteer.uuid
        self.picker.hide()
        self.facility.setEnabled(False)
        self._previous_status = volunteer.status
        allowed = {volunteer.status} | {str(s) for s in
                                         VOLUNTEER_TRANSITIONS.get(volunteer.status, set())}
        fill_combo(self.status, [(s.value, word(VolunteerStatus, s.value))
                                 for s in VolunteerStatus if s.value in allowed],
                   volunteer.status)
        self.show_values({
            "person_id": volunteer.person_id, "facility_id": volunteer.facility_id,
            "enrolled_on": _iso(volunteer.enrolled_on),
            "consent_number": volunteer.consent_number,
            "consent_date": _iso(volunteer.consent_date), "coordinator": volunteer.coordinator,
            "status": volunteer.status, "exit_date": _iso(volunteer.exit_date),
            "exit_reason": volunteer.exit_reason, "notes": volunteer.notes})
        self._lock_dates(volunteer.facility_id)
        self._show_history([(event.event_date, kinds[event.id], part.role, part.hours)
                            for part, event in history])

    def show_values(self, values: dict[str, Any]) -> None:
        """Fill every widget from plain values: a stored volunteer's (load) or a draft's."""
        person_id = values.get("person_id")
        if person_id:
            try:
                self.set_person(int(person_id))
            except QadamError:  # deleted since a draft was written: the user picks again
                self._person_id = None
                self.person_label.setText("—")
        set_combo_value(self.facility, values.get("facility_id"))
        self.enrolled_on.set_value(_date(values.get("enrolled_on")))
        self.consent_number.setText(values.get("consent_number") or "")
        self.consent_date.set_value(_date(values.get("consent_date")))
        self.coordinator.setText(values.get("coordinator") or "")
        set_combo_value(self.status, values.get("status"))
        self._status_changed()
        self.exit_date.set_value(_date(values.get("exit_date")))
        self.exit_reason.setText(values.get("exit_reason") or "")
        self.notes.setPlainText(values.get("notes") or "")

    # --- drafts -------------------------------------------------------------------------
    def draft_values(self) -> dict[str, Any]:
        return {
            "person_id": self._person_id, "facility_id": combo_value(self.facility),
            "enrolled_on": _iso(self.enrolled_on.value()),
            "consent_number": self.consent_number.text(),
            "consent_date": _iso(self.consent_date.value()),
            "coordinator": self.coordinator.text(), "status": combo_value(self.status),
            "exit_date": _iso(self.exit_date.value()), "exit_reason": self.exit_reason.text(),
            "notes": self.notes.toPlainText()}

    def fill_draft(self, values: dict[str, Any]) -> None:
        self.show_values(values)

    def draft_caption(self) -> str:
        return self.person_label.text() if self._person_id else ""

    def month_lock(self) -> str:
        """A changed enrolment or exit date in a submitted month (unchanged ones stay)."""
        facility_id = combo_value(self.facility)
        if not facility_id:
            return ""
        with self.context.database.session() as session:
            for day, stored in ((self.enrolled_on.value(), self._stored_dates[0]),
                                (self.exit_date.value(), self._stored_dates[1])):
                reason = locked_reason(session, facility_id, day) if day and day != stored \
                    else ""
                if reason:
                    return reason
        return ""

    def _show_history(self, rows: list[tuple]) -> None:
        self.history.setRowCount(len(rows))
        for number, (day, kind, role, hours) in enumerate(rows):
            values = (date_text(day), kind, word(ParticipationRole, role), hours_text(hours))
            for column, value in enumerate(values):
                self.history.setItem(number, column, QTableWidgetItem(value))
        total = sum(row[3] for row in rows)
        self.total_hours.setText(_("Events: {n}; hours in all: {hours}").format(
            n=len(rows), hours=hours_text(total)))

    def gather(self) -> VolunteerCreate:
        return VolunteerCreate(
            person_id=self._person_id or 0, facility_id=combo_value(self.facility) or 0,
            enrolled_on=self.enrolled_on.value() or clock.today(),
            consent_number=self.consent_number.text().strip(),
            consent_date=self.consent_date.value(), coordinator=self.coordinator.text().strip(),
            status=combo_value(self.status), exit_date=self.exit_date.value(),
            exit_reason=self.exit_reason.text().strip(), notes=self.notes.toPlainText().strip())

    def _lock_dates(self, facility_id: int) -> None:
        """A submitted month freezes the enrolment and exit dates in it (the report counts
        them), not the whole volunteer: status and consent carry no date of their own, and
        most volunteers were enrolled in some month that is submitted by now."""
        notes = []
        with self.context.database.session() as session:
            for field, day, what in (
                    (self.enrolled_on, self._stored_dates[0],
                     _("The enrolment date cannot change: {reason}")),
                    (self.exit_date, self._stored_dates[1],
                     _("The exit date cannot change: {reason}"))):
                reason = locked_reason(session, facility_id, day) if day else ""
                if reason:
                    field.setEnabled(False)
                    field.setToolTip(reason)
                    self._locked_fields.add(field)
                    notes.append(what.format(reason=reason))
        self.note = "\n".join(notes)

    def check(self, data: VolunteerCreate) -> dict[str, str]:
        with self.context.database.session() as session:
            errors = checks.volunteer_errors(session, data, volunteer_id=self.record_id,
                                             previous_status=self._previous_status)
            if data.facility_id:
                # a date moved into (or out of) a submitted month: say so beside it
                for field, day, stored in (("enrolled_on", data.enrolled_on,
                                            self._stored_dates[0]),
                                           ("exit_date", data.exit_date, self._stored_dates[1])):
                    if day == stored:
                        continue
                    reason = next((text for text in (
                        locked_reason(session, data.facility_id, d) for d in (day, stored) if d)
                        if text), "")
                    if reason:
                        errors = {field: reason} | errors
            return errors

    def write(self, data: VolunteerCreate) -> int:
        with self.context.database.session() as session:
            if self.record_id is None:
                volunteer = volunteers.create_volunteer(session=session,
                                                        actor=self.context.user, data=data)
            else:
                values = data.model_dump(exclude={"person_id", "facility_id"})
                volunteer = volunteers.update_volunteer(
                    session=session, actor=self.context.user, volunteer_id=self.record_id,
                    data=VolunteerUpdate(**values))
            return volunteer.id

