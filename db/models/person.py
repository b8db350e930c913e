from __future__ import annotations

import datetime as dt

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from db.models.base import created_field, utcnow, uuid_field


class PersonBase(SQLModel):
    surname: str = Field(max_length=100)
    name: str = Field(max_length=100)
    patronymic: str = Field(default="", max_length=100)
    iin: str | None = Field(default=None, max_length=12)
    birth_date: dt.date | None = None
    sex: str | None = Field(default=None, max_length=1)
    status: str = Field(default="serving", max_length=20)
    facility_id: int | None = Field(default=None, foreign_key="facility.id")
    release_date: dt.date | None = None
    phone: str = Field(default="", max_length=30)
    district: str = Field(default="", max_length=200)
    notes: str = ""


class Person(PersonBase, table=True):
    id: int | None = Field(default=None, primary_key=True)
    uuid: str = uuid_field()
    iin: str | None = Field(default=None, max_length=12, unique=True, index=True)
    facility_id: int | None = Field(default=None, foreign_key="facility.id", index=True)
    # casefolded "surname name patronymic iin" with ё→е: SQLite folds only ASCII itself.
    search_key: str = Field(default="", index=True)
    # the name with letters mapped to their place in the Kazakh alphabet (db/collation.py)
    sort_key: str = Field(default="", index=True)
    created_at: dt.datetime = created_field()
    updated_at: dt.datetime = Field(default_factory=utcnow)

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.surname, self.name, self.patronymic) if p)

    @property
    def short_name(self) -> str:
        initials = "".join(f"{p[0]}." for p in (self.name, self.patronymic) if p)
        return f"{self.surname} {initials}".strip()


class PersonCreate(PersonBase):
    # As typed ("850101 301231"): the rules remove spaces, then check the 12 digits themselves.
    iin: str | None = None
    article_ids: list[int] = []


class PersonUpdate(SQLModel):
    surname: str | None = None
    name: str | None = None
    patronymic: str | None = None
    iin: str | None = None  # as typed, no length limit here: see PersonCreate
    birth_date: dt.date | None = None
    sex: str | None = None
    status: str | None = None
    facility_id: int | None = None
    release_date: dt.date | None = None
    phone: str | None = None
    district: str | None = None
    notes: str | None = None
    article_ids: list[int] | None = None


class PersonArticle(SQLModel, table=True):
    """A drug-crime article of the Criminal Code that a person was convicted under."""

    __tablename__ = "person_article"
    __table_args__ = (UniqueConstraint("person_id", "article_id", name="uq_person_article_pair"),)

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", index=True, ondelete="CASCADE")
    article_id: int = Field(foreign_key="reference_item.id", index=True)
