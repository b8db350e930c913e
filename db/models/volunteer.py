from __future__ import annotations

import datetime as dt

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from db.models.base import created_field, utcnow, uuid_field


class VolunteerBase(SQLModel):
    person_id: int = Field(foreign_key="person.id")
    facility_id: int = Field(foreign_key="facility.id")
    enrolled_on: dt.date
    consent_number: str = Field(default="", max_length=50)
    consent_date: dt.date | None = None
    coordinator: str = Field(default="", max_length=200)
    status: str = Field(default="candidate", max_length=20)
    exit_date: dt.date | None = None
    exit_reason: str = ""
    notes: str = ""


class Volunteer(VolunteerBase, table=True):
    id: int | None = Field(default=None, primary_key=True)
    uuid: str = uuid_field()
    person_id: int = Field(foreign_key="person.id", index=True)
    facility_id: int = Field(foreign_key="facility.id", index=True)
    created_at: dt.datetime = created_field()
    updated_at: dt.datetime = Field(default_factory=utcnow)


class VolunteerCreate(VolunteerBase):
    pass


class VolunteerUpdate(SQLModel):
    enrolled_on: dt.date | None = None
    consent_number: str | None = None
    consent_date: dt.date | None = None
    coordinator: str | None = None
    status: str | None = None
    exit_date: dt.date | None = None
    exit_reason: str | None = None
    notes: str | None = None


class ParticipationBase(SQLModel):
    volunteer_id: int = Field(foreign_key="volunteer.id")
    event_id: int = Field(foreign_key="event.id")
    role: str = Field(max_length=20)
    hours: float = 0.0


class Participation(ParticipationBase, table=True):
    __table_args__ = (
        UniqueConstraint("volunteer_id", "event_id", name="uq_participation_volunteer_event"),
    )

    id: int | None = Field(default=None, primary_key=True)
    uuid: str = uuid_field()
    volunteer_id: int = Field(foreign_key="volunteer.id", index=True)
    event_id: int = Field(foreign_key="event.id", index=True)
    created_at: dt.datetime = created_field()
    updated_at: dt.datetime = Field(default_factory=utcnow)


class ParticipationCreate(ParticipationBase):
    pass


class ParticipationUpdate(SQLModel):
    role: str | None = None
    hours: float | None = None


class OutcomeBase(SQLModel):
    person_id: int = Field(foreign_key="person.id")
    outcome_date: dt.date
    kind: str = Field(max_length=30)
    article_id: int | None = Field(default=None, foreign_key="reference_item.id")
    notes: str = ""


class Outcome(OutcomeBase, table=True):
    """A repeat offence or probation violation: how the work is judged."""

    id: int | None = Field(default=None, primary_key=True)
    uuid: str = uuid_field()
    person_id: int = Field(foreign_key="person.id", index=True)
    outcome_date: dt.date = Field(index=True)
    created_at: dt.datetime = created_field()
    updated_at: dt.datetime = Field(default_factory=utcnow)


class OutcomeCreate(OutcomeBase):
    pass


class OutcomeUpdate(SQLModel):
    outcome_date: dt.date | None = None
    kind: str | None = None
    article_id: int | None = None
    notes: str | None = None
