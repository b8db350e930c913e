"""All tables. `base` comes first: it sets the naming convention before any table exists."""

from db.models.base import new_uuid, utcnow  # noqa: I001  (must be first)
from db.models.audit import AuditEntry
from db.models.event import (
    AttendeeInput,
    Event,
    EventAgency,
    EventAttendee,
    EventCreate,
    EventTopic,
    EventUpdate,
    ParticipationInput,
)
from db.models.facility import Facility, FacilityCreate, FacilityUpdate
from db.models.month_lock import MonthLock, MonthRevision
from db.models.package_import import PackageImport
from db.models.person import Person, PersonArticle, PersonCreate, PersonUpdate
from db.models.reference import ReferenceItem
from db.models.settings import DatabaseSetting
from db.models.user import User, UserCreate, UserUpdate
from db.models.volunteer import (
    Outcome,
    OutcomeCreate,
    OutcomeUpdate,
    Participation,
    ParticipationCreate,
    ParticipationUpdate,
    Volunteer,
    VolunteerCreate,
    VolunteerUpdate,
)

__all__ = [
    "AttendeeInput", "AuditEntry", "DatabaseSetting", "Event", "EventAgency", "EventAttendee",
    "EventCreate", "EventTopic", "EventUpdate", "Facility", "FacilityCreate", "FacilityUpdate",
    "MonthLock", "MonthRevision",
    "Outcome", "OutcomeCreate", "OutcomeUpdate", "PackageImport", "Participation",
    "ParticipationCreate",
    "ParticipationInput",
    "ParticipationUpdate", "Person", "PersonArticle", "PersonCreate", "PersonUpdate",
    "ReferenceItem", "User", "UserCreate", "UserUpdate", "Volunteer", "VolunteerCreate",
    "VolunteerUpdate",
    "new_uuid", "utcnow",
]
