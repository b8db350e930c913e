"""Facilities: create, change, retire, delete, and the rules around them."""

from __future__ import annotations

import pytest
from ops_support import (
    audit_count,
    changes,
    home,
    new_audit,
    new_event,
    new_facility,
    new_person,
    new_user,
    new_volunteer,
    rows,
)
from sqlmodel import Session

from db.errors import InUse, NotFound, PermissionDenied, ValidationError
from db.i18n import _
from db.models import Facility, FacilityCreate, FacilityUpdate, User
from db.ops.facilities import (
    create_facility,
    delete_facility,
    facility_by_code,
    list_facilities,
    update_facility,
)

pytestmark = pytest.mark.usefixtures("fast_hashing", "fixed_today")


def test_ops_facilities_create_get_list(session: Session, admin: User) -> None:
    before = audit_count(session)
    facility = new_facility(session, admin, code=" 54 ", name="  ИК-54  ")
    assert facility.id is not None
    assert (facility.code, facility.name) == ("54", "ИК-54")
    assert facility_by_code(session, "54") == facility
    assert [f.code for f in list_facilities(session)] == ["54", "69"]
    [entry] = new_audit(session, before)
    assert (entry.action, entry.table_name, entry.record_uuid) == ("create", "facility",
                                                                   facility.uuid)
    assert entry.user_login == "admin"
    assert changes(entry)["code"] == "54"


def test_ops_facilities_update_audits_exactly_the_changed_fields(session: Session,
                                                                 admin: User) -> None:
    facility = new_facility(session, admin)
    before = audit_count(session)
    update_facility(session=session, actor=admin, facility_id=facility.id,
                    data=FacilityUpdate(name="ИК-54 (новое название)", region="Туркестанская "
                                        "область", facility_type="maximum"))
    [entry] = new_audit(session, before)
    assert entry.action == "update"
    assert changes(entry) == {"name": ["Учреждение №54", "ИК-54 (новое название)"]}


def test_ops_facilities_update_without_change_writes_no_audit(session: Session,
                                                              admin: User) -> None:
    facility = new_facility(session, admin)
    before = audit_count(session)
    update_facility(session=session, actor=admin, facility_id=facility.id,
                    data=FacilityUpdate(name=facility.name))
    assert audit_count(session) == before


def test_ops_facilities_update_strips_the_code_like_create(session: Session,
                                                           admin: User) -> None:
    facility = new_facility(session, admin)
    update_facility(session=session, actor=admin, facility_id=facility.id,
                    data=FacilityUpdate(code=" 55 ", name=" ИК-55 "))
    assert (facility.code, facility.name) == ("55", "ИК-55")
    assert facility_by_code(session, "55") == facility


def test_ops_facilities_retired_is_hidden_from_the_list(session: Session, admin: User) -> None:
    facility = new_facility(session, admin)
    update_facility(session=session, actor=admin, facility_id=facility.id,
                    data=FacilityUpdate(retired=True))
    assert [f.code for f in list_facilities(session)] == ["69"]
    assert [f.code for f in list_facilities(session, include_retired=True)] == ["54", "69"]


@pytest.mark.parametrize(("values", "fields"), [
    ({"code": "", "name": "ИК"}, {"code"}),
    ({"code": "  ", "name": "ИК"}, {"code"}),
    ({"code": "70", "name": ""}, {"name"}),
    ({"code": "70", "name": "ИК", "facility_type": "castle"}, {"facility_type"}),
    ({"code": "69", "name": "Другое №69"}, {"code"}),  # the code is taken
    ({"code": " 69 ", "name": "Другое №69"}, {"code"}),
    ({"code": "", "name": ""}, {"code", "name"}),
])
def test_ops_facilities_create_refused(session: Session, admin: User, values: dict,
                                       fields: set[str]) -> None:
    before_rows, before_audit = rows(session, Facility), audit_count(session)
    with pytest.raises(ValidationError) as error:
        create_facility(session=session, actor=admin, data=FacilityCreate(**values))
    assert set(error.value.errors) == fields
    assert (rows(session, Facility), audit_count(session)) == (before_rows, before_audit)


def test_ops_facilities_update_to_a_taken_code_refused(session: Session, admin: User) -> None:
    facility = new_facility(session, admin)
    before = audit_count(session)
    with pytest.raises(ValidationError) as error:
        update_facility(session=session, actor=admin, facility_id=facility.id,
                        data=FacilityUpdate(code="69"))
    assert set(error.value.errors) == {"code"}
    session.refresh(facility)
    assert facility.code == "54"
    assert audit_count(session) == before


def test_ops_facilities_delete_unused(session: Session, admin: User) -> None:
    facility = new_facility(session, admin)
    uuid = facility.uuid
    before = audit_count(session)
    delete_facility(session=session, actor=admin, facility_id=facility.id)
    assert facility_by_code(session, "54") is None
    [entry] = new_audit(session, before)
    assert (entry.action, entry.record_uuid) == ("delete", uuid)
    assert changes(entry)["code"] == "54"
    with pytest.raises(NotFound):
        delete_facility(session=session, actor=admin, facility_id=facility.id)


@pytest.mark.parametrize("referrer", ["person", "event", "event_place", "volunteer"])
def test_ops_facilities_delete_referenced_refused(session: Session, admin: User,
                                                  referrer: str) -> None:
    facility = new_facility(session, admin)
    word = {"person": _("persons"), "event": _("events"), "event_place": _("events"),
            "volunteer": _("volunteers")}[referrer]
    if referrer == "person":
        new_person(session, admin, facility_id=facility.id)
    elif referrer == "event":
        new_event(session, admin, facility_id=facility.id, place_facility_id=home(session).id)
    elif referrer == "event_place":
        new_event(session, admin, place_facility_id=facility.id)
    else:
        person = new_person(session, admin)
        new_volunteer(session, admin, person, facility_id=facility.id)
    before = audit_count(session)
    with pytest.raises(InUse) as error:
        delete_facility(session=session, actor=admin, facility_id=facility.id)
    assert word in str(error.value)
    assert "54" in str(error.value)
    assert facility_by_code(session, "54") is not None
    assert audit_count(session) == before


def test_ops_facilities_own_facility_cannot_be_deleted(session: Session, admin: User) -> None:
    own = home(session)
    with pytest.raises(InUse):
        delete_facility(session=session, actor=admin, facility_id=own.id)
    assert home(session).id == own.id


@pytest.mark.parametrize("role", ["operator", "head", "analyst"])
def test_ops_facilities_only_admin_may_edit(session: Session, admin: User, role: str) -> None:
    user = new_user(session, admin, role)
    facility = new_facility(session, admin)
    before = audit_count(session)
    with pytest.raises(PermissionDenied):
        create_facility(session=session, actor=user,
                        data=FacilityCreate(code="70", name="ИК-70"))
    with pytest.raises(PermissionDenied):
        update_facility(session=session, actor=user, facility_id=facility.id,
                        data=FacilityUpdate(name="x"))
    with pytest.raises(PermissionDenied):
        delete_facility(session=session, actor=user, facility_id=facility.id)
    assert facility_by_code(session, "70") is None
    assert audit_count(session) == before
    session.refresh(facility)
    assert facility.name == "Учреждение №54"
