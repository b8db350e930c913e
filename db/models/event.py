from __future__ import annotations

import datetime as dt

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from db.models.base import created_field, utcnow, uuid_field


class EventBase(SQLModel):
    facility_id: int = Field(foreign_key="facility.id")
    event_date: dt.date
    event_time: dt.time | None = None
    place_kind: str = Field(default="facility", max_length=20)
    place_facility_id: int | None = Field(default=None, foreign_key="facility.id")
    place_text: str = Field(default="", max_length=300)
    kind_id: int = Field(foreign_key="reference_item.id")
    responsible: str = Field(default="", max_length=200)
    speakers: str = ""
    count_serving: int = 0
    count_released: int = 0
    count_community: int = 0
    materials_count: int = 0
    materials: str = ""
    wants_to_volunteer: int = 0
    notes: str = ""
    status: str = Field(default="held", max_length=20)


class Event(EventBase, table=True):
    """An outreach event. `facility_id` is the facility whose monthly report counts it."""

    # A facility's events of a period (reports, lists) are one range of this index, not every
    # event the facility ever held; it serves lookups by the facility alone too (migration 0006).
    __table_args__ = (Index("ix_event_facility_id_event_date", "facility_id", "event_date"),)

    id: int | None = Field(default=None, primary_key=True)
    uuid: str = uuid_field()
    facility_id: int = Field(foreign_key="facility.id")
    event_date: dt.date = Field(index=True)
    place_facility_id: int | None = Field(default=None, foreign_key="facility.id", index=True)
    kind_id: int = Field(foreign_key="reference_item.id", index=True)
    # casefolded free text (place, responsible, speakers, notes): SQLite folds only ASCII.
    search_key: str = ""
    created_at: dt.datetime = created_field()
    updated_at: dt.datetime = Field(default_factory=utcnow)

    @property
    def audience_total(self) -> int:
        return self.count_serving + self.count_released + self.count_community


class AttendeeInput(SQLModel):
    person_id: int
    category: str


class ParticipationInput(SQLModel):
    """A volunteer's part in the event, saved with the event in one transaction."""

    volunteer_id: int
    role: str
    hours: float = 0.0


class EventCreate(EventBase):
    topic_ids: list[int] = []
    agency_ids: list[int] = []
    attendees: list[AttendeeInput] = []
    # None leaves the event's volunteer participations as they are
    participations: list[ParticipationInput] | None = None


class EventUpdate(SQLModel):
    facility_id: int | None = None
    event_date: dt.date | None = None
    event_time: dt.time | None = None
    place_kind: str | None = None
    place_facility_id: int | None = None
    place_text: str | None = None
    kind_id: int | None = None
    responsible: str | None = None
    speakers: str | None = None
    count_serving: int | None = None
    count_released: int | None = None
    count_community: int | None = None
    materials_count: int | None = None
    materials: str | None = None
    wants_to_volunteer: int | None = None
    notes: str | None = None
    status: str | None = None
    topic_ids: list[int] | None = None
    agency_ids: list[int] | None = None
    attendees: list[AttendeeInput] | None = None
    participations: list[ParticipationInput] | None = None


class EventTopic(SQLModel, table=True):
    __tablename__ = "event_topic"
    __table_args__ = (UniqueConstraint("event_id", "topic_id", name="uq_event_topic_pair"),)

    id: int | None = Field(default=None, primary_key=True)
    event_id: int = Field(foreign_key="event.id", index=True, ondelete="CASCADE")
    topic_id: int = Field(foreign_key="reference_item.id", index=True)


class EventAgency(SQLModel, table=True):
    __tablename__ = "event_agency"
    __table_args__ = (UniqueConstraint("event_id", "agency_id", name="uq_event_agency_pair"),)

    id: int | None = Field(default=None, primary_key=True)
    event_id: int = Field(foreign_key="event.id", index=True, ondelete="CASCADE")
    agency_id: int = Field(foreign_key="reference_item.id", index=True)


class EventAttendee(SQLModel, table=True):
    """A named attendee; `category` says which audience count the person belongs to."""

    __tablename__ = "event_attendee"
    __table_args__ = (UniqueConstraint("event_id", "person_id", name="uq_event_attendee_pair"),)

    id: int | None = Field(default=None, primary_key=True)
    event_id: int = Field(foreign_key="event.id", index=True, ondelete="CASCADE")
    person_id: int = Field(foreign_key="person.id", index=True)
    category: str = Field(max_length=20)
