from __future__ import annotations

import datetime as dt

from sqlmodel import Field, SQLModel

from db.models.base import utcnow, uuid_field


class PackageImport(SQLModel, table=True):
    """One attempt to import a package into a regional database: the import history.

    A refused file is noted too (result "refused", with the message), in its own transaction;
    its facility and month are empty when the file could not be read far enough to say them."""

    __tablename__ = "package_import"

    id: int | None = Field(default=None, primary_key=True)
    uuid: str = uuid_field()
    facility_id: int | None = Field(default=None, foreign_key="facility.id", index=True)
    month: str = Field(default="", max_length=7)  # "2026-10", as str(Month); "" when unknown
    revision: int | None = None
    file_name: str = Field(default="", max_length=500)
    sha256: str = Field(default="", max_length=64)  # the package's own checksum, when known
    imported_at: dt.datetime = Field(default_factory=utcnow)
    imported_by: str = Field(max_length=50)  # the login
    result: str = Field(max_length=20)  # "imported" or "refused"
    message: str = ""
