"""A repeat offence or probation violation of a person: how the outreach is judged."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtWidgets import QComboBox, QPlainTextEdit, QWidget

from db import clock
from db.i18n import _
from db.models import OutcomeCreate, OutcomeUpdate, Person
from db.ops import references
from db.ops.month_locks import first_locked, lock_sentence, outcome_facilities, record_locked_reason
from db.ops.volunteers import create_outcome, update_outcome
from db.values import OutcomeKind, ReferenceList
from desktop import signals
from desktop.context import AppContext
from desktop.forms.base import RecordForm
from desktop.texts import word
from desktop.widgets.combo import combo_value, fill_combo, set_combo_value
from desktop.widgets.date_field import DateField


class OutcomeForm(RecordForm):
    form_key = "outcome"
    notify_kinds = (signals.PERSONS, signals.VOLUNTEERS)

    def __init__(self, context: AppContext, person_id: int, record_id: int | None = None,
                 parent: QWidget | None = None) -> None:
        self.person_id = person_id
        self._stored_date: dt.date | None = None
        super().__init__(context, record_id, parent)

    def build(self) -> None:
        self.setWindowTitle(_("Repeat offence or violation"))
        self.outcome_date = DateField()
        self.kind = QComboBox()
        fill_combo(self.kind, [(k.value, word(OutcomeKind, k.value)) for k in OutcomeKind])
        self.article = QComboBox()
        with self.context.database.session() as session:
            articles = references.list_items(session, ReferenceList.ARTICLE)
        fill_combo(self.article, [(None, "—")] + [(a.id, a.name(self.context.language))
                                                  for a in articles])
        self.notes = QPlainTextEdit()
        self.notes.setMaximumHeight(70)
        self.add_field(_("Date"), self.outcome_date, "outcome_date")
        self.add_field(_("Kind"), self.kind, "kind")
        self.add_field(_("Article"), self.article, "article_id")
        self.add_field(_("Notes"), self.notes, "notes")
        self.resize(520, 300)

    def load_defaults(self) -> None:
        self.outcome_date.set_value(clock.today())

    def load(self, record_id: int) -> None:
        from db.models import Outcome

        with self.context.database.session() as session:
            outcome = session.get(Outcome, record_id)
        if outcome is None:
            return
        self._stored_date = outcome.outcome_date
        self.record_uuid = outcome.uuid
        self.show_values({"outcome_date": outcome.outcome_date.isoformat(),
                          "kind": outcome.kind, "article_id": outcome.article_id,
                          "notes": outcome.notes})

    def show_values(self, values: dict[str, Any]) -> None:
        """Fill every widget from plain values: a stored outcome's (load) or a draft's."""
        day = values.get("outcome_date")
        self.outcome_date.set_value(dt.date.fromisoformat(day) if day else None)
        set_combo_value(self.kind, values.get("kind"))
        set_combo_value(self.article, values.get("article_id"))
        self.notes.setPlainText(values.get("notes") or "")

    # --- drafts -------------------------------------------------------------------------
    def draft_values(self) -> dict[str, Any]:
        day = self.outcome_date.value()
        return {"outcome_date": day.isoformat() if day else None,
                "kind": combo_value(self.kind), "article_id": combo_value(self.article),
                "notes": self.notes.toPlainText()}

    def fill_draft(self, values: dict[str, Any]) -> None:
        self.show_values(values)

    def draft_context(self) -> dict[str, Any]:
        with self.context.database.session() as session:
            person = session.get(Person, self.person_id)
        return {"person_id": self.person_id,
                "person_uuid": person.uuid if person is not None else None}

    def draft_caption(self) -> str:
        day = self.outcome_date.value()
        with self.context.database.session() as session:
            person = session.get(Person, self.person_id)
        name = person.full_name if person is not None else ""
        return ", ".join(part for part in (name, self.kind.currentText(),
                                           f"{day:%d.%m.%Y}" if day else "") if part)

    def month_lock(self) -> str:
        day = self.outcome_date.value()
        if self.read_only_reason or day is None or day == self._stored_date:
            return self.read_only_reason
        with self.context.database.session() as session:
            lock = first_locked(session, [(facility_id, day) for facility_id
                                          in outcome_facilities(session, self.person_id)])
            return lock_sentence(lock) if lock is not None else ""

    def lock_reason(self) -> str:
        """An outcome counts in the reports of the person's facility and of the facilities the
        person volunteers for, in the month of its date."""
        from db.models import Outcome

        with self.context.database.session() as session:
            outcome = session.get(Outcome, self.record_id)
            return record_locked_reason(session, outcome) if outcome is not None else ""

    def check(self, data: OutcomeCreate) -> dict[str, str]:
        if data.outcome_date is None or data.outcome_date == self._stored_date \
                or self.read_only_reason:
            return {}
        with self.context.database.session() as session:
            lock = first_locked(session, [(facility_id, data.outcome_date) for facility_id
                                          in outcome_facilities(session, self.person_id)])
            return {"outcome_date": lock_sentence(lock)} if lock is not None else {}

    def gather(self) -> OutcomeCreate:
        return OutcomeCreate(person_id=self.person_id, outcome_date=self.outcome_date.value(),
                             kind=combo_value(self.kind), article_id=combo_value(self.article),
                             notes=self.notes.toPlainText().strip())

    def write(self, data: OutcomeCreate) -> int:
        with self.context.database.session() as session:
            if self.record_id is None:
                outcome = create_outcome(session=session, actor=self.context.user, data=data)
            else:
                outcome = update_outcome(
                    session=session, actor=self.context.user, outcome_id=self.record_id,
                    data=OutcomeUpdate(**data.model_dump(exclude={"person_id"})))
            return outcome.id
