"""What every page and form needs: the open database and the user who is working."""

from __future__ import annotations

from dataclasses import dataclass

from db.database import Database
from db.i18n import current_language
from db.models import Facility, User
from db.ops.settings import database_mode, own_facility
from db.values import DatabaseMode


@dataclass
class AppContext:
    database: Database
    user: User

    @property
    def language(self) -> str:
        return current_language()

    def own_facility(self) -> Facility | None:
        with self.database.session() as session:
            return own_facility(session)

    def is_regional(self) -> bool:
        with self.database.session() as session:
            return database_mode(session) == DatabaseMode.REGIONAL
