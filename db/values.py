"""The fixed vocabularies of the registry. Stored as their string values; words come from i18n."""

from __future__ import annotations

from enum import StrEnum

from db.i18n import N_


class Sex(StrEnum):
    MALE = "M"
    FEMALE = "F"


class PersonStatus(StrEnum):
    SERVING = "serving"
    RELEASED = "released"
    PROBATION = "probation"
    OTHER = "other"


class FacilityType(StrEnum):
    MINIMUM = "minimum"
    MEDIUM = "medium"
    MAXIMUM = "maximum"
    EXTRAORDINARY = "extraordinary"
    SETTLEMENT = "settlement"
    JUVENILE = "juvenile"
    REMAND = "remand"
    PROBATION_OFFICE = "probation_office"
    OTHER = "other"


class EventStatus(StrEnum):
    PLANNED = "planned"
    HELD = "held"
    CANCELLED = "cancelled"


class PlaceKind(StrEnum):
    FACILITY = "facility"
    OUTSIDE = "outside"


class AudienceCategory(StrEnum):
    SERVING = "serving"
    RELEASED = "released"
    COMMUNITY = "community"


class VolunteerStatus(StrEnum):
    CANDIDATE = "candidate"
    ACTIVE = "active"
    PAUSED = "paused"
    LEFT = "left"
    REOFFENDED = "reoffended"


class ParticipationRole(StrEnum):
    STORY = "story"
    MATERIALS = "materials"
    ORGANIZE = "organize"
    MENTOR = "mentor"


class OutcomeKind(StrEnum):
    REPEAT_OFFENCE = "repeat_offence"
    PROBATION_VIOLATION = "probation_violation"


class ReferenceList(StrEnum):
    EVENT_KIND = "event_kind"
    TOPIC = "topic"
    AGENCY = "agency"
    ARTICLE = "article"


class Role(StrEnum):
    OPERATOR = "operator"
    HEAD = "head"
    ADMIN = "admin"
    ANALYST = "analyst"


class DatabaseMode(StrEnum):
    FACILITY = "facility"
    REGIONAL = "regional"


# The words for each value, marked for the catalog; translate with db.i18n._ when shown.
# Keyed by (enum, value): members of different enums with the same value ("released") are
# equal, so they cannot share one dict keyed by member.
_WORDS: list[tuple[StrEnum, str]] = [
    (Sex.MALE, N_("male")),
    (Sex.FEMALE, N_("female")),
    (PersonStatus.SERVING, N_("serving a sentence")),
    (PersonStatus.RELEASED, N_("released")),
    (PersonStatus.PROBATION, N_("on probation")),
    (PersonStatus.OTHER, N_("other")),
    (FacilityType.MINIMUM, N_("minimum security colony")),
    (FacilityType.MEDIUM, N_("medium security colony")),
    (FacilityType.MAXIMUM, N_("maximum security colony")),
    (FacilityType.EXTRAORDINARY, N_("extraordinary security colony")),
    (FacilityType.SETTLEMENT, N_("settlement colony")),
    (FacilityType.JUVENILE, N_("juvenile colony")),
    (FacilityType.REMAND, N_("remand prison")),
    (FacilityType.PROBATION_OFFICE, N_("probation office")),
    (FacilityType.OTHER, N_("other institution")),
    (EventStatus.PLANNED, N_("planned")),
    (EventStatus.HELD, N_("held")),
    (EventStatus.CANCELLED, N_("cancelled")),
    (PlaceKind.FACILITY, N_("in a facility")),
    (PlaceKind.OUTSIDE, N_("outside a facility")),
    (AudienceCategory.SERVING, N_("serving convicts")),
    (AudienceCategory.RELEASED, N_("released persons")),
    (AudienceCategory.COMMUNITY, N_("community, youth and others")),
    (VolunteerStatus.CANDIDATE, N_("candidate")),
    (VolunteerStatus.ACTIVE, N_("active")),
    (VolunteerStatus.PAUSED, N_("paused")),
    (VolunteerStatus.LEFT, N_("left")),
    (VolunteerStatus.REOFFENDED, N_("re-offended")),
    (ParticipationRole.STORY, N_("shares personal story")),
    (ParticipationRole.MATERIALS, N_("hands out materials")),
    (ParticipationRole.ORGANIZE, N_("helps organize")),
    (ParticipationRole.MENTOR, N_("mentors")),
    (OutcomeKind.REPEAT_OFFENCE, N_("repeat offence")),
    (OutcomeKind.PROBATION_VIOLATION, N_("probation violation")),
    (Role.OPERATOR, N_("operator")),
    (Role.HEAD, N_("head of facility")),
    (Role.ADMIN, N_("administrator")),
    (Role.ANALYST, N_("analyst")),
]
LABELS: dict[tuple[type[StrEnum], str], str] = {
    (type(member), member.value): word for member, word in _WORDS
}


def label(value: StrEnum) -> str:
    """The word for an enum member in the current language."""
    from db.i18n import _

    return _(LABELS[(type(value), value.value)])
