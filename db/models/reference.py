from __future__ import annotations

import datetime as dt

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from db.models.base import created_field, utcnow, uuid_field


class ReferenceItem(SQLModel, table=True):
    """One entry of an editable reference list (event kinds, topics, agencies, articles).

    Items in use are retired, never deleted, so old records keep their words."""

    __tablename__ = "reference_item"
    __table_args__ = (UniqueConstraint("list_name", "code", name="uq_reference_item_list_code"),)

    id: int | None = Field(default=None, primary_key=True)
    uuid: str = uuid_field()
    list_name: str = Field(max_length=20, index=True)
    code: str = Field(max_length=40)
    name_ru: str = Field(max_length=300)
    name_kk: str = Field(max_length=300)
    sort_order: int = 0
    retired: bool = False
    created_at: dt.datetime = created_field()
    updated_at: dt.datetime = Field(default_factory=utcnow)

    def name(self, language: str) -> str:
        return self.name_kk if language == "kk" and self.name_kk else self.name_ru
