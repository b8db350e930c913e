"""Shared pieces of every table. Importing this first sets the constraint naming convention,
which Alembic's batch mode needs to drop constraints on SQLite."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlmodel import Field, SQLModel

SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def new_uuid() -> str:
    return str(uuid.uuid4())


def utcnow() -> dt.datetime:
    """Aware UTC (SQLModel's datetime columns insist); strip the zone only when writing Excel."""
    return dt.datetime.now(dt.UTC)


def uuid_field() -> str:
    return Field(default_factory=new_uuid, max_length=36, unique=True, index=True, nullable=False)


def created_field() -> dt.datetime:
    return Field(default_factory=utcnow, nullable=False)
