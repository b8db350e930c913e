"""Volunteers, their participation in events, and outcomes (repeat offences, violations)."""

from __future__ import annotations

import pytest
from ops_support import (
    D,
    article,
    audit_count,
    changes,
    home,
    new_audit,
    new_event,
    new_facility,
    new_participation,
    new_person,
    new_volunteer,
    rows,
    topic,
)
from sqlmodel import Session

from db.errors import InUse, NotFound, ValidationError
from db.i18n import _
from db.models import (
    EventUpdate,
    Outcome,
    OutcomeCreate,
    OutcomeUpdate,
    Participation,
    ParticipationUpdate,
    User,
    Volunteer,
    VolunteerUpdate,
)
from db.ops.events import update_event
from db.ops.references import update_item
from db.ops.volunteers import (
    VolunteerFilter,
    count_volunteers,
    create_outcome,
    delete_outcome,
    delete_participation,
    delete_volunteer,
    get_volunteer,
    list_outcomes,
    list_volunteers,
    participations_of_event,
    participations_of_volunteer,
    update_outcome,
    update_participation,
    update_volunteer,
)

pytestmark = pytest.mark.usefixtures("fast_hashing", "fixed_today")


# --- volunteers ------------------------------------------------------------------------------

def test_ops_volunteers_create_get_list(session: Session, admin: User) -> None:
    person = new_person(session, admin)
    before = audit_count(session)
    volunteer = new_volunteer(session, admin, person)
    assert get_volunteer(session, volunteer.id) == volunteer
    assert list_volunteers(session) == [volunteer]
    assert count_volunteers(session) == 1
    [entry] = new_audit(session, before)
    assert (entry.action, entry.table_name, entry.record_uuid) == ("create", "volunteer",
                                                                   volunteer.uuid)
    assert changes(entry)["enrolled_on"] == "2026-02-01"
    with pytest.raises(NotFound):
        get_volunteer(session, 999)


@pytest.mark.parametrize(("person_values", "volunteer_values", "fields"), [
    ({"status": "serving", "release_date": None}, {}, {"person_id"}),
    ({"status": "other", "release_date": None}, {}, {"person_id"}),
    ({}, {"enrolled_on": D(2026, 1, 9)}, {"enrolled_on"}),  # before release (10.01)
    ({}, {"enrolled_on": D(2026, 11, 16), "consent_date": None, "consent_number": "",
          "status": "candidate"}, {"enrolled_on"}),
    ({}, {"consent_number": ""}, {"consent_number"}),
    ({}, {"consent_date": None}, {"consent_number"}),
    ({}, {"status": "left"}, {"exit_date"}),
    ({}, {"exit_date": D(2026, 3, 1)}, {"exit_date"}),
    ({}, {"status": "famous"}, {"status"}),
    ({}, {"facility_id": 4242}, {"facility_id"}),
    ({}, {"person_id": 4242}, {"person_id"}),
])
def test_ops_volunteers_create_refused_writes_nothing(session: Session, admin: User,
                                                      person_values: dict,
                                                      volunteer_values: dict,
                                                      fields: set[str]) -> None:
    person = new_person(session, admin, **person_values)
    before = audit_count(session)
    with pytest.raises(ValidationError) as error:
        new_volunteer(session, admin, person, **volunteer_values)
    assert set(error.value.errors) == fields
    assert rows(session, Volunteer) == 0
    assert audit_count(session) == before


def test_ops_volunteers_one_current_enrolment_per_person(session: Session,
                                                         admin: User) -> None:
    person = new_person(session, admin)
    first = new_volunteer(session, admin, person)
    with pytest.raises(ValidationError) as error:
        new_volunteer(session, admin, person, enrolled_on=D(2026, 3, 1))
    assert set(error.value.errors) == {"person_id"}
    update_volunteer(session=session, actor=admin, volunteer_id=first.id, data=VolunteerUpdate(
        status="left", exit_date=D(2026, 5, 1), exit_reason="переезд"))
    second = new_volunteer(session, admin, person, enrolled_on=D(2026, 6, 1))
    assert second.id != first.id
    assert count_volunteers(session) == 2


def test_ops_volunteers_update_audits_exactly_the_changed_fields(session: Session,
                                                                 admin: User) -> None:
    volunteer = new_volunteer(session, admin, new_person(session, admin), status="candidate",
                              consent_number="", consent_date=None)
    before = audit_count(session)
    update_volunteer(session=session, actor=admin, volunteer_id=volunteer.id,
                     data=VolunteerUpdate(status="active", consent_number="17",
                                          consent_date=D(2026, 2, 3),
                                          coordinator="Сейткали А."))
    [entry] = new_audit(session, before)
    assert (entry.action, entry.record_uuid) == ("update", volunteer.uuid)
    assert changes(entry) == {"status": ["candidate", "active"],
                              "consent_number": ["", "17"],
                              "consent_date": [None, "2026-02-03"]}


@pytest.mark.parametrize(("start", "update", "fields"), [
    ("candidate", {"status": "active"}, {"consent_number"}),  # no consent yet
    ("active", {"status": "candidate"}, {"status"}),
    ("active", {"status": "left"}, {"exit_date"}),
    ("active", {"status": "left", "exit_date": D(2026, 1, 31)}, {"exit_date"}),
    ("active", {"exit_date": D(2026, 5, 1)}, {"exit_date"}),
    ("active", {"enrolled_on": D(2025, 12, 31)}, {"enrolled_on"}),
    ("left", {"status": "active", "exit_date": None, "exit_reason": ""}, {"status"}),
    ("reoffended", {"status": "paused", "exit_date": None}, {"status"}),
    ("candidate", {"status": "reoffended", "exit_date": D(2026, 5, 1)}, {"status",
                                                                          "consent_number"}),
])
def test_ops_volunteers_update_refused_changes_nothing(session: Session, admin: User,
                                                       start: str, update: dict,
                                                       fields: set[str]) -> None:
    values: dict = {"status": start}
    if start == "candidate":
        values.update(consent_number="", consent_date=None)
    if start in ("left", "reoffended"):
        values.update(exit_date=D(2026, 4, 1))
    volunteer = new_volunteer(session, admin, new_person(session, admin), **values)
    before = audit_count(session)
    with pytest.raises(ValidationError) as error:
        update_volunteer(session=session, actor=admin, volunteer_id=volunteer.id,
                         data=VolunteerUpdate(**update))
    assert set(error.value.errors) == fields
    session.expire_all()
    assert get_volunteer(session, volunteer.id).status == start
    assert audit_count(session) == before


@pytest.mark.parametrize("path", [
    ["active", "paused", "active", "left"],
    ["candidate", "active", "reoffended"],
    ["candidate", "left"],
    ["active", "paused", "reoffended"],
])
def test_ops_volunteers_allowed_status_paths(session: Session, admin: User,
                                             path: list[str]) -> None:
    volunteer = new_volunteer(session, admin, new_person(session, admin), status=path[0])
    for status in path[1:]:
        exit_date = D(2026, 9, 1) if status in ("left", "reoffended") else None
        before = audit_count(session)
        update_volunteer(session=session, actor=admin, volunteer_id=volunteer.id,
                         data=VolunteerUpdate(status=status, exit_date=exit_date))
        assert volunteer.status == status
        assert audit_count(session) == before + 1


def test_ops_volunteers_delete(session: Session, admin: User) -> None:
    volunteer = new_volunteer(session, admin, new_person(session, admin))
    uuid = volunteer.uuid
    before = audit_count(session)
    delete_volunteer(session=session, actor=admin, volunteer_id=volunteer.id)
    [entry] = new_audit(session, before)
    assert (entry.action, entry.record_uuid) == ("delete", uuid)
    assert rows(session, Volunteer) == 0


def test_ops_volunteers_delete_with_participations_refused(session: Session,
                                                           admin: User) -> None:
    volunteer = new_volunteer(session, admin, new_person(session, admin))
    new_participation(session, admin, volunteer, new_event(session, admin))
    before = audit_count(session)
    with pytest.raises(InUse) as error:
        delete_volunteer(session=session, actor=admin, volunteer_id=volunteer.id)
    assert _("participations") in str(error.value)
    assert rows(session, Volunteer) == 1
    assert audit_count(session) == before


def test_ops_volunteers_filters_and_search(session: Session, admin: User) -> None:
    second = new_facility(session, admin)
    a = new_volunteer(session, admin, new_person(session, admin, surname="Әбдірахманов",
                                                 name="Нұрлан"))
    b = new_volunteer(session, admin, new_person(session, admin, surname="Семёнова",
                                                 name="Алёна"),
                      status="candidate", consent_number="", consent_date=None)
    c = new_volunteer(session, admin, new_person(session, admin, surname="Ким", name="Олег"),
                      facility_id=second.id, status="paused")

    def found(**filters) -> list[Volunteer]:
        result = list_volunteers(session, VolunteerFilter(**filters))
        assert count_volunteers(session, VolunteerFilter(**filters)) == len(result)
        return result

    assert found(status="active") == [a]
    assert found(status="candidate") == [b]
    assert found(facility_id=second.id) == [c]
    assert set(map(id, found(facility_id=home(session).id))) == {id(a), id(b)}
    assert found(search="ӘБДІРАХМАН") == [a]
    assert found(search="семенова ал") == [b]
    assert found(search="ким", status="active") == []
    assert found(search="%") == []
    assert len(found()) == 3


# --- participation ---------------------------------------------------------------------------

@pytest.fixture
def volunteer(session: Session, admin: User) -> Volunteer:
    return new_volunteer(session, admin, new_person(session, admin))


def test_ops_participations_create_update_delete(session: Session, admin: User,
                                                 volunteer: Volunteer) -> None:
    event = new_event(session, admin)
    before = audit_count(session)
    participation = new_participation(session, admin, volunteer, event, hours=1.5)
    [entry] = new_audit(session, before)
    assert (entry.action, entry.table_name) == ("create", "participation")
    assert participations_of_event(session, event.id) == [participation]
    assert participations_of_volunteer(session, volunteer.id) == [(participation, event)]

    before = audit_count(session)
    update_participation(session=session, actor=admin, participation_id=participation.id,
                         data=ParticipationUpdate(hours=3.0, role="story"))
    [entry] = new_audit(session, before)
    assert (entry.action, changes(entry)) == ("update", {"hours": [1.5, 3.0]})

    before = audit_count(session)
    delete_participation(session=session, actor=admin, participation_id=participation.id)
    [entry] = new_audit(session, before)
    assert (entry.action, entry.record_uuid) == ("delete", participation.uuid)
    assert rows(session, Participation) == 0


@pytest.mark.parametrize(("case", "fields"), [
    ("hours_negative", {"hours"}),
    ("hours_too_many", {"hours"}),
    ("bad_role", {"role"}),
    ("event_before_enrolment", {"event_id"}),
    ("missing_event", {"event_id"}),
    ("missing_volunteer", {"volunteer_id"}),
    ("twice", {"event_id"}),
])
def test_ops_participations_refused_write_nothing(session: Session, admin: User,
                                                  volunteer: Volunteer, case: str,
                                                  fields: set[str]) -> None:
    event = new_event(session, admin, event_date=D(2026, 1, 20) if case ==
                      "event_before_enrolment" else D(2026, 10, 10))
    if case == "twice":
        new_participation(session, admin, volunteer, event)
    existing = rows(session, Participation)
    overrides = {
        "hours_negative": {"hours": -1.0},
        "hours_too_many": {"hours": 25.0},
        "bad_role": {"role": "dancer"},
        "missing_event": {"event_id": 4242},
        "missing_volunteer": {"volunteer_id": 4242},
    }.get(case, {})
    before = audit_count(session)
    with pytest.raises(ValidationError) as error:
        new_participation(session, admin, volunteer, event, **overrides)
    assert set(error.value.errors) == fields
    assert rows(session, Participation) == existing
    assert audit_count(session) == before


def test_ops_participations_update_refused(session: Session, admin: User,
                                           volunteer: Volunteer) -> None:
    participation = new_participation(session, admin, volunteer, new_event(session, admin))
    before = audit_count(session)
    with pytest.raises(ValidationError) as error:
        update_participation(session=session, actor=admin, participation_id=participation.id,
                             data=ParticipationUpdate(hours=30.0))
    assert set(error.value.errors) == {"hours"}
    session.expire_all()
    assert session.get(Participation, participation.id).hours == 2.0
    assert audit_count(session) == before


def test_ops_volunteers_enrolment_cannot_move_after_a_participation(
        session: Session, admin: User, volunteer: Volunteer) -> None:
    new_participation(session, admin, volunteer, new_event(session, admin,
                                                           event_date=D(2026, 3, 1)))
    with pytest.raises(ValidationError) as error:
        update_volunteer(session=session, actor=admin, volunteer_id=volunteer.id,
                         data=VolunteerUpdate(enrolled_on=D(2026, 4, 1)))
    assert set(error.value.errors) == {"enrolled_on"}
    assert "01.03.2026" in error.value.errors["enrolled_on"]
    update_volunteer(session=session, actor=admin, volunteer_id=volunteer.id,
                     data=VolunteerUpdate(enrolled_on=D(2026, 3, 1)))


def test_ops_events_date_cannot_move_before_a_volunteers_enrolment(
        session: Session, admin: User, volunteer: Volunteer) -> None:
    event = new_event(session, admin, event_date=D(2026, 3, 1))
    new_participation(session, admin, volunteer, event)
    with pytest.raises(ValidationError) as error:
        update_event(session=session, actor=admin, event_id=event.id,
                     data=EventUpdate(event_date=D(2026, 1, 31)))
    assert set(error.value.errors) == {"event_date"}
    update_event(session=session, actor=admin, event_id=event.id,
                 data=EventUpdate(event_date=D(2026, 2, 1)))


# --- outcomes --------------------------------------------------------------------------------

def test_ops_outcomes_create_update_delete(session: Session, admin: User) -> None:
    person = new_person(session, admin, birth_date=D(1990, 5, 5))
    before = audit_count(session)
    outcome = create_outcome(session=session, actor=admin, data=OutcomeCreate(
        person_id=person.id, outcome_date=D(2026, 9, 1), kind="repeat_offence",
        article_id=article(session).id))
    [entry] = new_audit(session, before)
    assert (entry.action, entry.table_name, entry.record_uuid) == ("create", "outcome",
                                                                   outcome.uuid)
    assert list_outcomes(session, person_id=person.id) == [outcome]
    assert list_outcomes(session, facility_id=home(session).id) == [outcome]
    assert list_outcomes(session, facility_id=new_facility(session, admin).id) == []

    before = audit_count(session)
    update_outcome(session=session, actor=admin, outcome_id=outcome.id, data=OutcomeUpdate(
        kind="probation_violation", outcome_date=D(2026, 9, 1)))
    [entry] = new_audit(session, before)
    assert changes(entry) == {"kind": ["repeat_offence", "probation_violation"]}

    before = audit_count(session)
    delete_outcome(session=session, actor=admin, outcome_id=outcome.id)
    [entry] = new_audit(session, before)
    assert (entry.action, entry.record_uuid) == ("delete", outcome.uuid)
    assert rows(session, Outcome) == 0


@pytest.mark.parametrize(("values", "fields"), [
    ({"outcome_date": D(2026, 11, 16)}, {"outcome_date"}),
    ({"outcome_date": D(1990, 5, 5)}, {"outcome_date"}),  # the birth day
    ({"kind": "warning"}, {"kind"}),
    ({"article_id": 4242}, {"article_id"}),
    ({"person_id": 4242}, {"person_id"}),
])
def test_ops_outcomes_refused_write_nothing(session: Session, admin: User, values: dict,
                                            fields: set[str]) -> None:
    person = new_person(session, admin, birth_date=D(1990, 5, 5))
    data = {"person_id": person.id, "outcome_date": D(2026, 9, 1), "kind": "repeat_offence"}
    data.update(values)
    before = audit_count(session)
    with pytest.raises(ValidationError) as error:
        create_outcome(session=session, actor=admin, data=OutcomeCreate(**data))
    assert set(error.value.errors) == fields
    assert rows(session, Outcome) == 0
    assert audit_count(session) == before


def test_ops_outcomes_article_from_another_list_refused(session: Session, admin: User) -> None:
    person = new_person(session, admin)
    with pytest.raises(ValidationError) as error:
        create_outcome(session=session, actor=admin, data=OutcomeCreate(
            person_id=person.id, outcome_date=D(2026, 9, 1), kind="repeat_offence",
            article_id=topic(session).id))
    assert set(error.value.errors) == {"article_id"}


def test_ops_outcomes_retired_article_only_where_it_already_was(session: Session,
                                                                admin: User) -> None:
    old = article(session, "300")
    person = new_person(session, admin)
    outcome = create_outcome(session=session, actor=admin, data=OutcomeCreate(
        person_id=person.id, outcome_date=D(2026, 9, 1), kind="repeat_offence",
        article_id=old.id))
    update_item(session=session, actor=admin, item_id=old.id, retired=True)
    with pytest.raises(ValidationError) as error:
        create_outcome(session=session, actor=admin, data=OutcomeCreate(
            person_id=person.id, outcome_date=D(2026, 10, 1), kind="repeat_offence",
            article_id=old.id))
    assert set(error.value.errors) == {"article_id"}
    update_outcome(session=session, actor=admin, outcome_id=outcome.id,
                   data=OutcomeUpdate(notes="приговор вступил в силу"))
    assert outcome.article_id == old.id
    assert outcome.notes == "приговор вступил в силу"
