from __future__ import annotations

from PySide6.QtWidgets import QComboBox

from db import clock
from db.i18n import _
from db.months import Month, month_title
from db.ops import browse, events, references
from db.ops.events import EventFilter
from db.values import EventStatus, ReferenceList
from desktop import signals
from desktop.pages.register_page import RegisterPage
from desktop.table_model import Column
from desktop.texts import date_text, time_text, word
from desktop.widgets.combo import combo_value, fill_combo

MONTHS_BACK = 36
MONTHS_AHEAD = 3


def month_choices(language: str) -> list[tuple[Month | None, str]]:
    this = Month.of(clock.today())
    months = [this]
    for _step in range(MONTHS_AHEAD):
        months.insert(0, months[0].next())
    for _step in range(MONTHS_BACK):
        months.append(months[-1].previous())
    return [(None, _("All months"))] + [(m, month_title(m, language)) for m in months]


class EventsPage(RegisterPage):
    page_key = "events"
    watch = frozenset({signals.EVENTS, signals.REFERENCES, signals.PERSONS,
                       signals.VOLUNTEERS})
    default_sort = "event_date"
    default_descending = True

    def search_placeholder(self) -> str:
        return _("Search by place, staff, notes or attendee (Ctrl+F)")

    def build_filters(self) -> None:
        self.month_filter = QComboBox()
        fill_combo(self.month_filter, month_choices(self.context.language))
        self.kind_filter = QComboBox()
        with self.context.database.session() as session:
            kinds = references.list_items(session, ReferenceList.EVENT_KIND,
                                          include_retired=True)
        fill_combo(self.kind_filter, [(None, _("All kinds"))]
                   + [(k.id, k.name(self.context.language)) for k in kinds])
        self.status_filter = QComboBox()
        fill_combo(self.status_filter, [(None, _("All statuses"))]
                   + [(s.value, word(EventStatus, s.value)) for s in EventStatus])
        for combo in (self.month_filter, self.kind_filter, self.status_filter):
            combo.currentIndexChanged.connect(lambda _i: self.reload())
            self.filters.addWidget(combo)
        self.kind_filter.setMaximumWidth(260)

    def current_filter(self) -> EventFilter:
        return EventFilter(month=combo_value(self.month_filter),
                           kind_id=combo_value(self.kind_filter),
                           status=combo_value(self.status_filter), search=self.search.text())

    def columns(self) -> list[Column[browse.EventRow]]:
        return [
            Column("event_date", lambda: _("Date"),
                   lambda r: f"{date_text(r.event_date)} {time_text(r.event_time)}".strip()),
            Column("kind", lambda: _("Kind"), lambda r: r.kind),
            Column("place", lambda: _("Place"), lambda r: r.place),
            Column("topics", lambda: _("Topics"), lambda r: r.topics, sortable=False),
            Column("audience", lambda: _("Attendance"), lambda r: r.audience, align_right=True),
            Column("named", lambda: _("Named"), lambda r: r.named, align_right=True,
                   sortable=False),
            Column("status", lambda: _("Status"), lambda r: word(EventStatus, r.status)),
            Column("responsible", lambda: _("Responsible"), lambda r: r.responsible),
        ]

    def default_widths(self) -> list[int]:
        return [120, 200, 190, 240, 100, 100, 110, 180]

    def fetch_rows(self, offset: int, limit: int, sort: str, descending: bool
                   ) -> list[browse.EventRow]:
        with self.context.database.session() as session:
            return browse.event_rows(session, self.current_filter(),
                                     language=self.context.language, sort=sort,
                                     descending=descending, offset=offset, limit=limit)

    def count_rows(self) -> int:
        with self.context.database.session() as session:
            return events.count_events(session, self.current_filter())

    def open_editor(self, row_id: int | None) -> None:
        from desktop.forms.event_form import EventForm

        form = EventForm(self.context, row_id, self)
        if form.exec() and form.saved_id is not None:
            self.select_id(form.saved_id)

    def delete_record(self, row_id: int) -> None:
        with self.context.database.session() as session:
            events.delete_event(session=session, actor=self.context.user, event_id=row_id)

    def describe(self, row: browse.EventRow) -> str:
        return _("the event of {date} ({kind})").format(date=date_text(row.event_date),
                                                        kind=row.kind)
