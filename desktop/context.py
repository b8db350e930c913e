"""What every page and form needs: the open database and the user who is working."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from db.database import Database
from db.i18n import current_language
from db.quick_read import FacilityFacts, StartFacts, read_start_facts
from db.values import DatabaseMode

if TYPE_CHECKING:
    from db.models import Facility, User


@dataclass
class AppContext:
    """`user` is the User the login returned (or a db.quick_read.Account, for a start that
    skips the login). The database's mode and this PC's own facility are set once, at the
    first start, and are read once here, with sqlite3: the window's frame shows them before
    the tables (SQLModel, SQLAlchemy) are imported."""

    database: Database
    user: User
    _facts: StartFacts | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def language(self) -> str:
        return current_language()

    def start_facts(self) -> StartFacts:
        if self._facts is None:
            self._facts = self._read_facts()
        return self._facts

    def _read_facts(self) -> StartFacts:
        if self.database.path is not None:
            try:
                return read_start_facts(self.database.path)
            except (OSError, sqlite3.Error):
                pass  # the same, through the engine, which says what is wrong
        from db.ops.settings import database_mode, own_facility

        with self.database.session() as session:
            mode, facility = database_mode(session), own_facility(session)
            return StartFacts(
                mode=mode.value if mode is not None else None,
                facility=FacilityFacts(code=facility.code, name=facility.name)
                if facility is not None else None)

    def own_facility(self) -> Facility | None:
        """This PC's facility as a record (its id, for the forms); None when the database
        names none (a regional one, as a rule)."""
        from db.ops.settings import own_facility

        with self.database.session() as session:
            return own_facility(session)

    def own_facility_facts(self) -> FacilityFacts | None:
        """This PC's facility's code and name, without the tables (the status bar)."""
        return self.start_facts().facility

    def is_regional(self) -> bool:
        return self.start_facts().mode == DatabaseMode.REGIONAL
