from __future__ import annotations

import datetime as dt

from sqlmodel import Field, SQLModel

from db.models.base import created_field, utcnow, uuid_field


class User(SQLModel, table=True):
    """A named staff account. The password is stored only as an Argon2id hash."""

    __tablename__ = "app_user"

    id: int | None = Field(default=None, primary_key=True)
    uuid: str = uuid_field()
    login: str = Field(max_length=50, unique=True, index=True)
    full_name: str = Field(max_length=200)
    position: str = Field(default="", max_length=200)
    role: str = Field(max_length=20)
    password_hash: str
    active: bool = True
    must_change_password: bool = False
    failed_logins: int = 0
    locked_until: dt.datetime | None = None
    created_at: dt.datetime = created_field()
    updated_at: dt.datetime = Field(default_factory=utcnow)


class UserCreate(SQLModel):
    login: str
    full_name: str
    position: str = ""
    role: str
    password: str


class UserUpdate(SQLModel):
    """What an administrator may change on an account; passwords have their own operations."""

    full_name: str | None = None
    position: str | None = None
    role: str | None = None
    active: bool | None = None
