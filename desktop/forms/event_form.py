"""The event form: when, where, what, who came (counts and named attendees), which volunteers
took part, what was handed out."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from db import clock
from db.errors import QadamError
from db.i18n import _
from db.models import AttendeeInput, EventCreate, EventUpdate, ParticipationInput
from db.ops import browse, checks, events, persons, references
from db.ops.facilities import list_facilities
from db.ops.month_locks import locked_reason, record_locked_reason
from db.ops.volunteers import VolunteerFilter, participations_of_event
from db.rules import MAX_COUNT  # the spin boxes stop where the rule does
from db.values import (
    AudienceCategory,
    EventStatus,
    ParticipationRole,
    PersonStatus,
    PlaceKind,
    ReferenceList,
)
from desktop import signals
from desktop.forms.base import RecordForm
from desktop.icons import icon
from desktop.texts import word
from desktop.widgets.check_list import CheckList
from desktop.widgets.combo import combo_value, fill_combo, set_combo_value
from desktop.widgets.date_field import DateField
from desktop.widgets.person_picker import PersonPicker
from desktop.widgets.time_field import TimeField

CATEGORY_OF_STATUS = {
    PersonStatus.SERVING: AudienceCategory.SERVING,
    PersonStatus.RELEASED: AudienceCategory.RELEASED,
    PersonStatus.PROBATION: AudienceCategory.RELEASED,
    PersonStatus.OTHER: AudienceCategory.COMMUNITY,
}


class EventForm(RecordForm):
    form_key = "event"
    notify_kinds = (signals.EVENTS, signals.VOLUNTEERS)

    # --- building -----------------------------------------------------------------------
    def build(self) -> None:
        self.setWindowTitle(_("Event") if self.record_id else _("New event"))
        language = self.context.language
        with self.context.database.session() as session:
            self._kinds = references.list_items(session, ReferenceList.EVENT_KIND,
                                                include_retired=True)
            self._topics = references.list_items(session, ReferenceList.TOPIC,
                                                 include_retired=True)
            self._agencies = references.list_items(session, ReferenceList.AGENCY,
                                                   include_retired=True)
            self._facilities = list_facilities(session)
        self._language = language

        left = QFormLayout()
        right = QFormLayout()
        for layout in (left, right):
            layout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        columns = QHBoxLayout()
        columns.addLayout(left, 1)
        columns.addSpacing(16)
        columns.addLayout(right, 1)
        self.body.insertLayout(0, columns)

        # when and what
        self.event_date = DateField()
        self.event_time = TimeField()
        when = QWidget()
        when_row = QHBoxLayout(when)
        when_row.setContentsMargins(0, 0, 0, 0)
        when_row.addWidget(self.event_date, 1)
        time_label = QLabel(_("time"))
        time_label.setBuddy(self.event_time)
        when_row.addWidget(time_label)
        when_row.addWidget(self.event_time)
        # the fields inside a row of their own are watched one by one: a change of any of them
        # re-validates, asks before closing and is kept in the draft
        self.watch(self.event_date, "event_date")
        self.watch(self.event_time, "event_time")
        self.status = QComboBox()
        fill_combo(self.status, [(s.value, word(EventStatus, s.value)) for s in EventStatus])
        self.kind = QComboBox()
        self.facility = QComboBox()
        fill_combo(self.facility, [(f.id, f"№{f.code} — {f.name}") for f in self._facilities])

        self.in_facility = QRadioButton(_("in a facility"))
        self.outside = QRadioButton(_("outside (school, street, mahalla…)"))
        self.place_group = QButtonGroup(self)
        self.place_group.addButton(self.in_facility)
        self.place_group.addButton(self.outside)
        self.in_facility.setChecked(True)
        self.place_facility = QComboBox()
        fill_combo(self.place_facility, [(f.id, f"№{f.code} — {f.name}")
                                         for f in self._facilities])
        self.place_text = QLineEdit()
        self.place_text.setPlaceholderText(_("e.g. school No. 45, mahalla «Dostyk»"))
        place = QWidget()
        place_box = QVBoxLayout(place)
        place_box.setContentsMargins(0, 0, 0, 0)
        radio_row = QHBoxLayout()
        radio_row.addWidget(self.in_facility)
        radio_row.addWidget(self.outside)
        radio_row.addStretch(1)
        place_box.addLayout(radio_row)
        place_box.addWidget(self.place_facility)
        place_box.addWidget(self.place_text)
        self.in_facility.toggled.connect(self._place_kind_changed)
        self.watch(self.in_facility, "place_kind")
        self.watch(self.place_facility, "place_facility_id")
        self.watch(self.place_text, "place_text")

        self.responsible = QLineEdit()
        self.speakers = QLineEdit()
        self.speakers.setPlaceholderText(_("names and agencies of the speakers"))
        self.topics = CheckList()
        self.topics.setMinimumHeight(120)
        self.agencies = CheckList()
        self.agencies.setMinimumHeight(120)

        self.form = left
        self.add_field(_("Date"), when, "event_date", also=("event_time",))
        self.add_field(_("Status"), self.status, "status")
        self.add_field(_("Kind"), self.kind, "kind_id")
        if len(self._facilities) > 1 or self.context.is_regional():
            self.add_field(_("Counted in the report of"), self.facility, "facility_id")
        self.add_field(_("Place"), place, "place_facility_id", also=("place_text", "place_kind"))
        self.add_field(_("Responsible"), self.responsible, "responsible")
        self.add_field(_("Speakers"), self.speakers, "speakers")
        self.add_field(_("Topics"), self.topics, "topic_ids")
        self.add_field(_("Organizers"), self.agencies, "agency_ids")

        # who came
        self.form = right
        self.counts: dict[str, QSpinBox] = {}
        audience = QGroupBox(_("Audience"))
        audience_form = QFormLayout(audience)
        for category, field in ((AudienceCategory.SERVING, "count_serving"),
                                (AudienceCategory.RELEASED, "count_released"),
                                (AudienceCategory.COMMUNITY, "count_community")):
            spin = QSpinBox()
            spin.setRange(0, MAX_COUNT)
            spin.setAccelerated(True)
            self.counts[category] = spin
            self.form = audience_form
            self.add_field(word(AudienceCategory, category).capitalize(), spin, field)
            spin.valueChanged.connect(self._update_total)
        self.total_label = QLabel()
        audience_form.addRow(_("Total"), self.total_label)
        self.form = right
        right.addRow(audience)

        self.picker = PersonPicker(self.context.database,
                                   _("Add a named attendee: type a name or IIN…"))
        self.picker.personChosen.connect(self.add_attendee)
        new_person = QPushButton(icon("new"), _("New person…"))
        new_person.setToolTip(_("Add a person who is not in the registry yet"))
        new_person.clicked.connect(self._new_person)
        self.attendees = QTableWidget(0, 3)
        self.attendees.setHorizontalHeaderLabels([_("Attendee"), _("Category"), ""])
        self._configure_table(self.attendees)
        attendee_box = QWidget()
        attendee_layout = QVBoxLayout(attendee_box)
        attendee_layout.setContentsMargins(0, 0, 0, 0)
        pick_row = QHBoxLayout()
        pick_row.addWidget(self.picker, 1)
        pick_row.addWidget(new_person)
        attendee_layout.addLayout(pick_row)
        attendee_layout.addWidget(self.attendees)
        self.add_block(_("Named attendees"), attendee_box, "attendees")

        self.volunteers = QTableWidget(0, 4)
        self.volunteers.setHorizontalHeaderLabels([_("Volunteer"), _("Role"), _("Hours"), ""])
        self._configure_table(self.volunteers)
        add_volunteer = QPushButton(icon("new"), _("Add a volunteer"))
        add_volunteer.clicked.connect(lambda: self.add_volunteer_row())
        volunteer_box = QWidget()
        volunteer_layout = QVBoxLayout(volunteer_box)
        volunteer_layout.setContentsMargins(0, 0, 0, 0)
        volunteer_layout.addWidget(self.volunteers)
        volunteer_layout.addWidget(add_volunteer)
        self.add_block(_("Volunteers involved"), volunteer_box, "participations")

        self.materials_count = QSpinBox()
        self.materials_count.setRange(0, MAX_COUNT)
        self.materials = QLineEdit()
        self.materials.setPlaceholderText(_("leaflets, booklets…"))
        materials = QWidget()
        materials_row = QHBoxLayout(materials)
        materials_row.setContentsMargins(0, 0, 0, 0)
        materials_row.addWidget(self.materials_count)
        materials_row.addWidget(self.materials, 1)
        self.watch(self.materials_count, "materials_count")
        self.watch(self.materials, "materials")
        self.add_field(_("Materials handed out"), materials, "materials_count")
        self.wants_to_volunteer = QSpinBox()
        self.wants_to_volunteer.setRange(0, MAX_COUNT)
        self.add_field(_("Want to volunteer"), self.wants_to_volunteer, "wants_to_volunteer")
        self.notes = QPlainTextEdit()
        self.notes.setMaximumHeight(60)
        self.add_field(_("Notes"), self.notes, "notes")
        self.form = left

        self._volunteer_choices: list[tuple[int, str]] = []
        self._attendee_ids: list[int] = []
        self.resize(1120, 760)

    def _configure_table(self, table: QTableWidget) -> None:
        table.verticalHeader().hide()
        table.setMinimumHeight(110)
        header = table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, table.columnCount()):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)

    # --- loading ------------------------------------------------------------------------
    def _fill_lists(self, kind_id: int | None, topic_ids: set[int], agency_ids: set[int]) -> None:
        """Retired items are offered only where the record already has them."""
        language = self._language
        fill_combo(self.kind, [(k.id, k.name(language)) for k in self._kinds
                               if not k.retired or k.id == kind_id], kind_id)
        self.topics.set_items([(t.id, t.name(language)) for t in self._topics
                               if not t.retired or t.id in topic_ids], topic_ids)
        self.agencies.set_items([(a.id, a.name(language)) for a in self._agencies
                                 if not a.retired or a.id in agency_ids], agency_ids)

    def _load_volunteer_choices(self, facility_id: int | None, keep: set[int]) -> None:
        with self.context.database.session() as session:
            rows = browse.volunteer_rows(session, VolunteerFilter(facility_id=facility_id),
                                         limit=10_000)
        self._volunteer_choices = [(r.id, r.full_name) for r in rows
                                   if r.status in ("active", "paused", "candidate")
                                   or r.id in keep]

    def load_defaults(self) -> None:
        own = self.context.own_facility()
        self._fill_lists(None, set(), set())
        set_combo_value(self.facility, own.id if own else None)
        set_combo_value(self.place_facility, own.id if own else None)
        set_combo_value(self.status, EventStatus.HELD.value)
        self.event_date.set_value(clock.today())
        self.event_time.set_value(None)
        self.responsible.setText(self.context.user.full_name)
        self._load_volunteer_choices(own.id if own else None, set())
        self._place_kind_changed()
        self._update_total()

    def load(self, record_id: int) -> None:
        with self.context.database.session() as session:
            event = events.get_event(session, record_id)
            links = events.links_of(session, record_id)
            parts = participations_of_event(session, record_id)
        self.record_uuid = event.uuid
        self.show_values({
            "facility_id": event.facility_id, "event_date": event.event_date.isoformat(),
            "event_time": event.event_time.strftime("%H:%M") if event.event_time else "",
            "status": event.status, "kind_id": event.kind_id, "place_kind": event.place_kind,
            "place_facility_id": event.place_facility_id, "place_text": event.place_text,
            "responsible": event.responsible, "speakers": event.speakers,
            "topic_ids": list(links.topic_ids), "agency_ids": list(links.agency_ids),
            "counts": {str(c): getattr(event, f"count_{c}") for c in self.counts},
            "attendees": [[a.person_id, a.category] for a in links.attendees],
            "participations": [[p.volunteer_id, p.role, p.hours] for p in parts],
            "materials_count": event.materials_count, "materials": event.materials,
            "wants_to_volunteer": event.wants_to_volunteer, "notes": event.notes})

    def show_values(self, values: dict[str, Any]) -> None:
        """Fill every widget from plain values: a stored event's (load) or a draft's."""
        date = values.get("event_date")
        self._fill_lists(values.get("kind_id"), set(values.get("topic_ids") or ()),
                         set(values.get("agency_ids") or ()))
        set_combo_value(self.facility, values.get("facility_id"))
        if date:
            self.event_date.set_value(dt.date.fromisoformat(date))
        self.event_time.setText(values.get("event_time") or "")
        set_combo_value(self.status, values.get("status"))
        (self.outside if values.get("place_kind") == PlaceKind.OUTSIDE
         else self.in_facility).setChecked(True)
        set_combo_value(self.place_facility, values.get("place_facility_id"))
        self.place_text.setText(values.get("place_text") or "")
        self.responsible.setText(values.get("responsible") or "")
        self.speakers.setText(values.get("speakers") or "")
        counts = values.get("counts") or {}
        for category, spin in self.counts.items():
            spin.setValue(int(counts.get(str(category)) or 0))
        self.attendees.setRowCount(0)
        self._attendee_ids.clear()
        attendees = [(int(pid), str(category)) for pid, category in values.get("attendees")
                     or ()]
        with self.context.database.session() as session:
            names = {}
            for person_id, _category in attendees:
                try:  # a person deleted since a draft was written is left out
                    names[person_id] = persons.get_person(session, person_id).full_name
                except QadamError:
                    continue
        for person_id, category in attendees:
            if person_id in names and person_id not in self._attendee_ids:
                self._append_attendee(person_id, names[person_id], category)
        parts = [(int(vid), str(role), float(hours)) for vid, role, hours
                 in values.get("participations") or ()]
        self._load_volunteer_choices(values.get("facility_id"), {v for v, _r, _h in parts})
        self.volunteers.setRowCount(0)
        for volunteer_id, role, hours in parts:
            self.add_volunteer_row(volunteer_id, role, hours)
        self.materials_count.setValue(int(values.get("materials_count") or 0))
        self.materials.setText(values.get("materials") or "")
        self.wants_to_volunteer.setValue(int(values.get("wants_to_volunteer") or 0))
        self.notes.setPlainText(values.get("notes") or "")
        self._place_kind_changed()
        self._update_total()

    # --- drafts -------------------------------------------------------------------------
    def draft_values(self) -> dict[str, Any]:
        date = self.event_date.value()
        return {
            "facility_id": combo_value(self.facility),
            "event_date": date.isoformat() if date else None,
            "event_time": self.event_time.text() if not self.event_time.is_blank() else "",
            "status": combo_value(self.status), "kind_id": combo_value(self.kind),
            "place_kind": (PlaceKind.FACILITY if self.in_facility.isChecked()
                           else PlaceKind.OUTSIDE).value,
            "place_facility_id": combo_value(self.place_facility),
            "place_text": self.place_text.text(), "responsible": self.responsible.text(),
            "speakers": self.speakers.text(), "topic_ids": self.topics.checked_ids(),
            "agency_ids": self.agencies.checked_ids(),
            "counts": {str(c): spin.value() for c, spin in self.counts.items()},
            "attendees": [[pid, category] for pid, category
                          in zip(self._attendee_ids, self._attendee_categories(), strict=True)],
            "participations": [
                [combo_value(self.volunteers.cellWidget(row, 0)),
                 combo_value(self.volunteers.cellWidget(row, 1)),
                 self.volunteers.cellWidget(row, 2).value()]
                for row in range(self.volunteers.rowCount())
                if combo_value(self.volunteers.cellWidget(row, 0)) is not None],
            "materials_count": self.materials_count.value(),
            "materials": self.materials.text(),
            "wants_to_volunteer": self.wants_to_volunteer.value(),
            "notes": self.notes.toPlainText()}

    def fill_draft(self, values: dict[str, Any]) -> None:
        self.show_values(values)

    def draft_caption(self) -> str:
        date = self.event_date.value()
        parts = [self.kind.currentText(), f"{date:%d.%m.%Y}" if date else ""]
        return ", ".join(part for part in parts if part)

    def month_lock(self) -> str:
        facility_id, day = combo_value(self.facility), self.event_date.value()
        if self.read_only_reason or facility_id is None or day is None:
            return self.read_only_reason
        with self.context.database.session() as session:
            return locked_reason(session, facility_id, day)

    # --- reacting -----------------------------------------------------------------------
    def _place_kind_changed(self, *_args: object) -> None:
        inside = self.in_facility.isChecked()
        self.place_facility.setVisible(inside)
        self.place_text.setVisible(not inside)

    def _update_total(self, *_args: object) -> None:
        self.total_label.setText(str(sum(spin.value() for spin in self.counts.values())))

    def add_attendee(self, person_id: int) -> None:
        if person_id in self._attendee_ids:
            return
        with self.context.database.session() as session:
            person = persons.get_person(session, person_id)
        category = CATEGORY_OF_STATUS.get(PersonStatus(person.status),
                                          AudienceCategory.COMMUNITY)
        self._append_attendee(person.id, person.full_name, category)
        # a named attendee is also counted: raise the category's count when it falls short
        named = sum(1 for c in self._attendee_categories() if c == category)
        spin = self.counts[category]
        if spin.value() < named:
            spin.setValue(named)
        self._touched.add("attendees")
        self.mark_changed()

    def _append_attendee(self, person_id: int, name: str, category: str) -> None:
        row = self.attendees.rowCount()
        self.attendees.insertRow(row)
        name_label = QLabel(name)
        name_label.setContentsMargins(4, 0, 4, 0)
        self.attendees.setCellWidget(row, 0, name_label)
        combo = QComboBox()
        fill_combo(combo, [(c.value, word(AudienceCategory, c.value)) for c in AudienceCategory],
                   category)
        combo.currentIndexChanged.connect(lambda _i: self.mark_changed())
        self.attendees.setCellWidget(row, 1, combo)
        remove = QPushButton(icon("delete"), "")
        remove.setToolTip(_("Remove"))
        remove.clicked.connect(lambda _c=False, pid=person_id: self._remove_attendee(pid))
        self.attendees.setCellWidget(row, 2, remove)
        self._attendee_ids.append(person_id)

    def _attendee_categories(self) -> list[str]:
        return [combo_value(self.attendees.cellWidget(row, 1))
                for row in range(self.attendees.rowCount())]

    def _remove_attendee(self, person_id: int) -> None:
        row = self._attendee_ids.index(person_id)
        self.attendees.removeRow(row)
        self._attendee_ids.pop(row)
        self.mark_changed()

    def _new_person(self) -> None:
        from desktop.forms.person_form import PersonForm

        form = PersonForm(self.context, None, self)
        if form.exec() and form.saved_id is not None:
            self.add_attendee(form.saved_id)

    def add_volunteer_row(self, volunteer_id: int | None = None, role: str = "story",
                          hours: float = 2.0) -> None:
        row = self.volunteers.rowCount()
        self.volunteers.insertRow(row)
        who = QComboBox()
        fill_combo(who, self._volunteer_choices, volunteer_id)
        role_combo = QComboBox()
        fill_combo(role_combo, [(r.value, word(ParticipationRole, r.value))
                                for r in ParticipationRole], role)
        hours_spin = QDoubleSpinBox()
        hours_spin.setRange(0, 24)
        hours_spin.setDecimals(1)
        hours_spin.setSingleStep(0.5)
        hours_spin.setValue(hours)
        remove = QPushButton(icon("delete"), "")
        remove.setToolTip(_("Remove"))
        remove.clicked.connect(lambda _c=False, w=who: self._remove_volunteer(w))
        for column, widget in enumerate((who, role_combo, hours_spin, remove)):
            self.volunteers.setCellWidget(row, column, widget)
        who.currentIndexChanged.connect(lambda _i: self.mark_changed())
        role_combo.currentIndexChanged.connect(lambda _i: self.mark_changed())
        hours_spin.valueChanged.connect(lambda _v: self.mark_changed())
        self.mark_changed()

    def _remove_volunteer(self, who: QComboBox) -> None:
        for row in range(self.volunteers.rowCount()):
            if self.volunteers.cellWidget(row, 0) is who:
                self.volunteers.removeRow(row)
                self.mark_changed()
                return

    # --- saving -------------------------------------------------------------------------
    def _participations(self) -> list[ParticipationInput]:
        items = []
        for row in range(self.volunteers.rowCount()):
            volunteer_id = combo_value(self.volunteers.cellWidget(row, 0))
            if volunteer_id is None:
                continue
            items.append(ParticipationInput(
                volunteer_id=volunteer_id, role=combo_value(self.volunteers.cellWidget(row, 1)),
                hours=self.volunteers.cellWidget(row, 2).value()))
        return items

    def _time(self) -> dt.time | None:
        try:
            return self.event_time.value()
        except ValueError:
            return None

    def gather(self) -> EventCreate:
        return EventCreate(
            facility_id=combo_value(self.facility),
            event_date=self.event_date.value() or clock.today(),
            event_time=self._time(),
            place_kind=(PlaceKind.FACILITY if self.in_facility.isChecked()
                        else PlaceKind.OUTSIDE).value,
            place_facility_id=(combo_value(self.place_facility) if self.in_facility.isChecked()
                               else None),
            place_text="" if self.in_facility.isChecked() else self.place_text.text(),
            kind_id=combo_value(self.kind),
            responsible=self.responsible.text().strip(),
            speakers=self.speakers.text().strip(),
            count_serving=self.counts[AudienceCategory.SERVING].value(),
            count_released=self.counts[AudienceCategory.RELEASED].value(),
            count_community=self.counts[AudienceCategory.COMMUNITY].value(),
            materials_count=self.materials_count.value(),
            materials=self.materials.text().strip(),
            wants_to_volunteer=self.wants_to_volunteer.value(),
            notes=self.notes.toPlainText().strip(),
            status=combo_value(self.status),
            topic_ids=self.topics.checked_ids(),
            agency_ids=self.agencies.checked_ids(),
            attendees=[AttendeeInput(person_id=pid, category=category) for pid, category
                       in zip(self._attendee_ids, self._attendee_categories(), strict=True)],
            participations=self._participations(),
        )

    def lock_reason(self) -> str:
        """An event counts in the report of its facility for the month of its date."""
        assert self.record_id is not None
        with self.context.database.session() as session:
            return record_locked_reason(session, events.get_event(session, self.record_id))

    def check(self, data: EventCreate) -> dict[str, str]:
        with self.context.database.session() as session:
            errors = checks.event_errors(session, data, event_id=self.record_id)
            if not self.read_only_reason and data.facility_id is not None:
                # a date moved into a submitted month: say so beside the date, before Save
                reason = locked_reason(session, data.facility_id, data.event_date)
                if reason:
                    errors = {"event_date": reason} | errors
        try:
            self.event_time.value()
        except ValueError:
            errors = {"event_time": _("Write the time as HH:MM, for example 14:30.")} | errors
        return errors

    def write(self, data: EventCreate) -> int:
        with self.context.database.session() as session:
            if self.record_id is None:
                event = events.create_event(session=session, actor=self.context.user,
                                            data=data)
            else:
                event = events.update_event(session=session, actor=self.context.user,
                                            event_id=self.record_id,
                                            data=EventUpdate(**data.model_dump()))
            return event.id
