from __future__ import annotations

import datetime as dt

from sqlmodel import Field, SQLModel

from db.models.base import created_field, utcnow, uuid_field


class FacilityBase(SQLModel):
    code: str = Field(max_length=20)
    name: str = Field(max_length=300)
    facility_type: str = Field(default="other", max_length=30)
    region: str = Field(default="", max_length=200)


class Facility(FacilityBase, table=True):
    id: int | None = Field(default=None, primary_key=True)
    uuid: str = uuid_field()
    code: str = Field(max_length=20, unique=True, index=True)
    retired: bool = False
    created_at: dt.datetime = created_field()
    updated_at: dt.datetime = Field(default_factory=utcnow)


class FacilityCreate(FacilityBase):
    pass


class FacilityUpdate(SQLModel):
    code: str | None = None
    name: str | None = None
    facility_type: str | None = None
    region: str | None = None
    retired: bool | None = None
