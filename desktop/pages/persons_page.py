from __future__ import annotations

from PySide6.QtWidgets import QComboBox

from db.i18n import _
from db.ops import browse, persons
from db.ops.facilities import list_facilities
from db.ops.persons import PersonFilter
from db.values import PersonStatus, Sex
from desktop import signals
from desktop.pages.register_page import RegisterPage
from desktop.table_model import Column
from desktop.texts import date_text, word
from desktop.widgets.combo import combo_value, fill_combo


class PersonsPage(RegisterPage):
    page_key = "persons"
    watch = frozenset({signals.PERSONS, signals.FACILITIES})
    default_sort = "full_name"

    def search_placeholder(self) -> str:
        return _("Search by name or IIN (Ctrl+F)")

    def build_filters(self) -> None:
        self.status_filter = QComboBox()
        fill_combo(self.status_filter, [(None, _("All statuses"))]
                   + [(s.value, word(PersonStatus, s.value)) for s in PersonStatus])
        self.facility_filter = QComboBox()
        with self.context.database.session() as session:
            facilities = list_facilities(session)
        fill_combo(self.facility_filter, [(None, _("All facilities"))]
                   + [(f.id, f"№{f.code}") for f in facilities])
        for combo in (self.status_filter, self.facility_filter):
            combo.currentIndexChanged.connect(lambda _i: self.reload())
            self.filters.addWidget(combo)

    def current_filter(self) -> PersonFilter:
        return PersonFilter(facility_id=combo_value(self.facility_filter),
                            status=combo_value(self.status_filter), search=self.search.text())

    def columns(self) -> list[Column[browse.PersonRow]]:
        return [
            Column("full_name", lambda: _("Full name"), lambda r: r.full_name),
            Column("iin", lambda: _("IIN"), lambda r: r.iin),
            Column("birth_date", lambda: _("Birth date"), lambda r: date_text(r.birth_date)),
            Column("sex", lambda: _("Sex"), lambda r: word(Sex, r.sex)),
            Column("status", lambda: _("Status"), lambda r: word(PersonStatus, r.status)),
            Column("facility_code", lambda: _("Facility"),
                   lambda r: f"№{r.facility_code}" if r.facility_code else ""),
            Column("release_date", lambda: _("Released"), lambda r: date_text(r.release_date)),
            Column("phone", lambda: _("Phone"), lambda r: r.phone),
            Column("district", lambda: _("District"), lambda r: r.district),
        ]

    def default_widths(self) -> list[int]:
        return [260, 110, 95, 70, 150, 80, 95, 140, 160]

    def fetch_rows(self, offset: int, limit: int, sort: str, descending: bool
                   ) -> list[browse.PersonRow]:
        with self.context.database.session() as session:
            return browse.person_rows(session, self.current_filter(), sort=sort,
                                      descending=descending, offset=offset, limit=limit)

    def count_rows(self) -> int:
        with self.context.database.session() as session:
            return persons.count_persons(session, self.current_filter())

    def open_editor(self, row_id: int | None) -> None:
        from desktop.forms.person_form import PersonForm

        form = PersonForm(self.context, row_id, self)
        if form.exec() and form.saved_id is not None:
            self.select_id(form.saved_id)

    def delete_record(self, row_id: int) -> None:
        with self.context.database.session() as session:
            persons.delete_person(session=session, actor=self.context.user, person_id=row_id)

    def describe(self, row: browse.PersonRow) -> str:
        return _("the record of {name}").format(name=row.full_name)
