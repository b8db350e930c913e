from __future__ import annotations

from PySide6.QtWidgets import QComboBox

from db.i18n import _
from db.ops import browse, volunteers
from db.ops.volunteers import VolunteerFilter
from db.values import VolunteerStatus
from desktop import signals
from desktop.pages.register_page import RegisterPage
from desktop.table_model import Column
from desktop.texts import date_text, hours_text, word
from desktop.widgets.combo import combo_value, fill_combo


class VolunteersPage(RegisterPage):
    page_key = "volunteers"
    watch = frozenset({signals.VOLUNTEERS, signals.PERSONS, signals.EVENTS})
    default_sort = "full_name"

    def search_placeholder(self) -> str:
        return _("Search by name or IIN (Ctrl+F)")

    def build_filters(self) -> None:
        self.status_filter = QComboBox()
        fill_combo(self.status_filter, [(None, _("All statuses"))]
                   + [(s.value, word(VolunteerStatus, s.value)) for s in VolunteerStatus])
        self.status_filter.currentIndexChanged.connect(lambda _i: self.reload())
        self.filters.addWidget(self.status_filter)

    def current_filter(self) -> VolunteerFilter:
        return VolunteerFilter(status=combo_value(self.status_filter), search=self.search.text())

    def columns(self) -> list[Column[browse.VolunteerRow]]:
        return [
            Column("full_name", lambda: _("Full name"), lambda r: r.full_name),
            Column("iin", lambda: _("IIN"), lambda r: r.iin),
            Column("status", lambda: _("Status"), lambda r: word(VolunteerStatus, r.status)),
            Column("enrolled_on", lambda: _("Enrolled"), lambda r: date_text(r.enrolled_on)),
            Column("consent_number", lambda: _("Consent No."), lambda r: r.consent_number),
            Column("coordinator", lambda: _("Coordinator"), lambda r: r.coordinator),
            Column("events", lambda: _("Events"), lambda r: r.events, align_right=True),
            Column("hours", lambda: _("Hours"), lambda r: hours_text(r.hours), align_right=True),
        ]

    def default_widths(self) -> list[int]:
        return [260, 110, 120, 95, 100, 200, 70, 70]

    def fetch_rows(self, offset: int, limit: int, sort: str, descending: bool
                   ) -> list[browse.VolunteerRow]:
        with self.context.database.session() as session:
            return browse.volunteer_rows(session, self.current_filter(), sort=sort,
                                         descending=descending, offset=offset, limit=limit)

    def count_rows(self) -> int:
        with self.context.database.session() as session:
            return volunteers.count_volunteers(session, self.current_filter())

    def open_editor(self, row_id: int | None) -> None:
        from desktop.forms.volunteer_form import VolunteerForm

        form = VolunteerForm(self.context, row_id, self)
        if form.exec() and form.saved_id is not None:
            self.select_id(form.saved_id)

    def delete_record(self, row_id: int) -> None:
        with self.context.database.session() as session:
            volunteers.delete_volunteer(session=session, actor=self.context.user,
                                        volunteer_id=row_id)

    def describe(self, row: browse.VolunteerRow) -> str:
        return _("the volunteer record of {name}").format(name=row.full_name)
