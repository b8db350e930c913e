from __future__ import annotations

import datetime as dt

from sqlmodel import Field, SQLModel

from db.models.base import utcnow


class AuditEntry(SQLModel, table=True):
    """Append-only trail: who did what to which record. Triggers refuse UPDATE and DELETE."""

    __tablename__ = "audit_entry"

    id: int | None = Field(default=None, primary_key=True)
    at: dt.datetime = Field(default_factory=utcnow, index=True)
    user_login: str = Field(default="", max_length=50, index=True)
    action: str = Field(max_length=30, index=True)
    table_name: str = Field(default="", max_length=50)
    record_uuid: str = Field(default="", max_length=36, index=True)
    # JSON: {"field": [old, new], ...} for updates, the values for creates and deletes.
    changes: str = ""
    details: str = ""
