from __future__ import annotations

from sqlmodel import Field, SQLModel


class DatabaseSetting(SQLModel, table=True):
    """The database's own settings (its mode, its facility), as key and value."""

    __tablename__ = "database_setting"

    key: str = Field(primary_key=True, max_length=50)
    value: str = ""
