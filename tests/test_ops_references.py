"""Reference lists: adding, renaming, retiring and deleting items, and what refers to them."""

from __future__ import annotations

import pytest
from ops_support import (
    D,
    agency,
    article,
    audit_count,
    changes,
    kind,
    new_audit,
    new_event,
    new_person,
    new_user,
    rows,
    topic,
)
from sqlmodel import Session

from db.errors import InUse, NotFound, PermissionDenied, ValidationError
from db.i18n import _
from db.models import OutcomeCreate, ReferenceItem, User
from db.ops.events import get_event
from db.ops.references import (
    create_item,
    delete_item,
    item_references,
    list_items,
    update_item,
    usage_count,
)
from db.ops.volunteers import create_outcome
from db.values import ReferenceList

pytestmark = pytest.mark.usefixtures("fast_hashing", "fixed_today")


def test_ops_references_defaults_loaded(session: Session, admin: User) -> None:
    assert len(list_items(session, ReferenceList.EVENT_KIND)) == 8
    assert len(list_items(session, ReferenceList.TOPIC)) == 7
    assert {i.code for i in list_items(session, ReferenceList.ARTICLE)} >= {"296", "297"}


def test_ops_references_create_item(session: Session, admin: User) -> None:
    before = audit_count(session)
    last = list_items(session, ReferenceList.TOPIC)[-1]
    item = create_item(session=session, actor=admin, list_name=ReferenceList.TOPIC,
                       name_ru="  Профилактика ВИЧ ", name_kk=" АИТВ алдын алу ")
    assert (item.name_ru, item.name_kk) == ("Профилактика ВИЧ", "АИТВ алдын алу")
    assert item.code and item.sort_order > last.sort_order
    assert list_items(session, ReferenceList.TOPIC)[-1] == item
    [entry] = new_audit(session, before)
    assert (entry.action, entry.table_name, entry.record_uuid) == ("create", "reference_item",
                                                                   item.uuid)


@pytest.mark.parametrize(("values", "fields"), [
    ({"name_ru": "", "name_kk": "Атауы"}, {"name_ru"}),
    ({"name_ru": "Название", "name_kk": "  "}, {"name_kk"}),
    ({"name_ru": "", "name_kk": ""}, {"name_ru", "name_kk"}),
    ({"name_ru": "Лекция", "name_kk": "Дәріс", "code": "lecture"}, {"code"}),
    ({"name_ru": "Лекция", "name_kk": "Дәріс", "list_name": "weather"}, {"list_name"}),
])
def test_ops_references_create_refused_writes_nothing(session: Session, admin: User,
                                                      values: dict, fields: set[str]) -> None:
    values.setdefault("list_name", ReferenceList.EVENT_KIND)
    before_rows, before_audit = rows(session, ReferenceItem), audit_count(session)
    with pytest.raises(ValidationError) as error:
        create_item(session=session, actor=admin, **values)
    assert set(error.value.errors) == fields
    assert (rows(session, ReferenceItem), audit_count(session)) == (before_rows, before_audit)


def test_ops_references_same_code_in_another_list_is_fine(session: Session,
                                                          admin: User) -> None:
    item = create_item(session=session, actor=admin, list_name=ReferenceList.TOPIC,
                       name_ru="Лекция", name_kk="Дәріс", code="lecture")
    assert item.code == "lecture"


def test_ops_references_rename_audits_exactly_the_changed_fields(session: Session,
                                                                 admin: User) -> None:
    film = kind(session, "film")
    before = audit_count(session)
    update_item(session=session, actor=admin, item_id=film.id, name_ru="Кинопоказ",
                name_kk=film.name_kk)
    [entry] = new_audit(session, before)
    assert (entry.action, changes(entry)) == ("update",
                                              {"name_ru": ["Просмотр фильма", "Кинопоказ"]})
    before = audit_count(session)
    update_item(session=session, actor=admin, item_id=film.id, name_ru="Кинопоказ")
    assert audit_count(session) == before
    with pytest.raises(ValidationError) as error:
        update_item(session=session, actor=admin, item_id=film.id, name_kk=" ")
    assert set(error.value.errors) == {"name_kk"}
    with pytest.raises(NotFound):
        update_item(session=session, actor=admin, item_id=9999, name_ru="x")


def test_ops_references_retire_hides_but_old_records_keep_it(session: Session,
                                                             admin: User) -> None:
    film = kind(session, "film")
    event = new_event(session, admin, kind_id=film.id)
    before = audit_count(session)
    update_item(session=session, actor=admin, item_id=film.id, retired=True)
    [entry] = new_audit(session, before)
    assert changes(entry) == {"retired": [False, True]}
    assert film not in list_items(session, ReferenceList.EVENT_KIND)
    assert film in list_items(session, ReferenceList.EVENT_KIND, include_retired=True)
    session.expire_all()
    assert get_event(session, event.id).kind_id == film.id
    assert session.get(ReferenceItem, film.id).name_ru == "Просмотр фильма"
    update_item(session=session, actor=admin, item_id=film.id, retired=False)
    assert film in list_items(session, ReferenceList.EVENT_KIND)


def test_ops_references_delete_unused(session: Session, admin: User) -> None:
    item = create_item(session=session, actor=admin, list_name=ReferenceList.AGENCY,
                       name_ru="Молодёжный центр", name_kk="Жастар орталығы")
    uuid = item.uuid
    assert usage_count(session, item.id) == 0
    before = audit_count(session)
    delete_item(session=session, actor=admin, item_id=item.id)
    [entry] = new_audit(session, before)
    assert (entry.action, entry.record_uuid) == ("delete", uuid)
    assert changes(entry)["name_ru"] == "Молодёжный центр"
    assert session.get(ReferenceItem, item.id) is None


@pytest.mark.parametrize("use", ["kind", "topic", "agency", "person_article",
                                 "outcome_article"])
def test_ops_references_delete_in_use_refused(session: Session, admin: User, use: str) -> None:
    if use == "kind":
        item, word = kind(session, "round_table"), _("events")
        new_event(session, admin, kind_id=item.id)
    elif use == "topic":
        item, word = topic(session, "volunteering"), _("event topics")
        new_event(session, admin, topic_ids=[item.id])
    elif use == "agency":
        item, word = agency(session, "akimat"), _("event organizers")
        new_event(session, admin, agency_ids=[item.id])
    elif use == "person_article":
        item, word = article(session, "297"), _("persons' articles")
        new_person(session, admin, article_ids=[item.id])
    else:
        item, word = article(session, "297"), _("outcomes")
        create_outcome(session=session, actor=admin, data=OutcomeCreate(
            person_id=new_person(session, admin).id, outcome_date=D(2026, 9, 1),
            kind="repeat_offence", article_id=item.id))
    assert usage_count(session, item.id) == 1
    assert item_references(session, item.id)[word] == 1
    before = audit_count(session)
    with pytest.raises(InUse) as error:
        delete_item(session=session, actor=admin, item_id=item.id)
    assert word in str(error.value)
    assert item.name_ru in str(error.value)
    assert session.get(ReferenceItem, item.id) is not None
    assert audit_count(session) == before
    # retiring is the way out
    update_item(session=session, actor=admin, item_id=item.id, retired=True)
    assert item not in list_items(session, item.list_name)


@pytest.mark.parametrize("role", ["operator", "head", "analyst"])
def test_ops_references_only_admin_may_edit(session: Session, admin: User, role: str) -> None:
    user = new_user(session, admin, role)
    film = kind(session, "film")
    before = audit_count(session)
    with pytest.raises(PermissionDenied):
        create_item(session=session, actor=user, list_name=ReferenceList.TOPIC,
                    name_ru="Тема", name_kk="Тақырып")
    with pytest.raises(PermissionDenied):
        update_item(session=session, actor=user, item_id=film.id, retired=True)
    with pytest.raises(PermissionDenied):
        delete_item(session=session, actor=user, item_id=film.id)
    assert audit_count(session) == before
    session.expire_all()
    assert not session.get(ReferenceItem, film.id).retired
