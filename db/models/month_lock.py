from __future__ import annotations

import datetime as dt

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from db.models.base import utcnow, uuid_field


class MonthLock(SQLModel, table=True):
    """A facility's month marked as submitted: its records are read-only while the row exists.

    Unlocking deletes the row (the audit trail keeps who, when and why); the month's revision
    count lives on in `MonthRevision`, so a later lock of the same month is a new revision."""

    __tablename__ = "month_lock"
    __table_args__ = (
        UniqueConstraint("facility_id", "month", name="uq_month_lock_facility_month"),
    )

    id: int | None = Field(default=None, primary_key=True)
    uuid: str = uuid_field()
    facility_id: int = Field(foreign_key="facility.id", index=True)
    month: str = Field(max_length=7)  # "2026-10", as str(Month)
    locked_at: dt.datetime = Field(default_factory=utcnow)
    locked_by: str = Field(max_length=50)  # the login, kept even if the account is renamed
    revision: int = 1


class MonthRevision(SQLModel, table=True):
    """The highest revision a facility's month has reached. Bookkeeping only: it outlives the
    lock rows, so revisions only grow across lock → unlock → lock."""

    __tablename__ = "month_revision"
    __table_args__ = (
        UniqueConstraint("facility_id", "month", name="uq_month_revision_facility_month"),
    )

    id: int | None = Field(default=None, primary_key=True)
    # CASCADE: a count of a deleted facility's months means nothing; it must not block the delete
    facility_id: int = Field(foreign_key="facility.id", index=True, ondelete="CASCADE")
    month: str = Field(max_length=7)
    revision: int = 0
