"""Reference lists: event kinds, topics, agencies and Criminal Code articles."""

from __future__ import annotations

import json

from sqlalchemy import func
from sqlmodel import Session, select

from db.errors import FieldErrors, InUse, ValidationError
from db.i18n import _, current_language
from db.models import (
    Event,
    EventAgency,
    EventTopic,
    Outcome,
    PersonArticle,
    ReferenceItem,
    User,
)
from db.ops.common import (
    count_where,
    create_record,
    delete_record,
    get_or_raise,
    transaction,
    update_record,
)
from db.paths import resource
from db.rights import Action, require
from db.rules import in_choices, required_text
from db.values import ReferenceList

TABLE = "reference_item"


def load_default_lists(session: Session) -> int:
    """Add the shipped defaults that are not there yet (by list and code); no commit here."""
    with resource("defaults", "reference_lists.json").open(encoding="utf-8") as handle:
        defaults = json.load(handle)
    existing = {(r.list_name, r.code) for r in session.exec(select(ReferenceItem))}
    added = 0
    for list_name, items in defaults.items():
        ReferenceList(list_name)  # a typo in the defaults file fails loudly here
        for order, item in enumerate(items):
            if (list_name, item["code"]) in existing:
                continue
            session.add(ReferenceItem(list_name=list_name, code=item["code"],
                                      name_ru=item["ru"], name_kk=item["kk"], sort_order=order))
            added += 1
    return added


def list_items(session: Session, list_name: ReferenceList | str, *,
               include_retired: bool = False) -> list[ReferenceItem]:
    query = select(ReferenceItem).where(ReferenceItem.list_name == str(list_name))
    if not include_retired:
        query = query.where(ReferenceItem.retired == False)  # noqa: E712
    return list(session.exec(query.order_by(ReferenceItem.sort_order, ReferenceItem.name_ru)))


def item_by_code(session: Session, list_name: ReferenceList | str, code: str
                 ) -> ReferenceItem | None:
    return session.exec(select(ReferenceItem).where(
        ReferenceItem.list_name == str(list_name), ReferenceItem.code == code)).first()


def check_items(session: Session, errors: FieldErrors, field: str, ids: list[int],
                list_name: ReferenceList, *, allowed_retired: set[int] = frozenset()) -> None:
    """Each id must be an item of `list_name`; retired items only where they already were."""
    for item_id in ids:
        item = session.get(ReferenceItem, item_id)
        if item is None or item.list_name != list_name:
            errors.add(field, _("An item chosen here does not exist in its reference list."))
        elif item.retired and item_id not in allowed_retired:
            errors.add(field, _("“{name}” is retired and cannot be chosen for new records.")
                       .format(name=item.name_ru))


def _check_names(name_ru: str, name_kk: str, list_name: str | None = None) -> None:
    errors = FieldErrors()
    in_choices(errors, "list_name", list_name, [r.value for r in ReferenceList])
    required_text(errors, "name_ru", name_ru, _("The Russian name is required."))
    required_text(errors, "name_kk", name_kk, _("The Kazakh name is required."))
    errors.raise_if_any()


def create_item(*, session: Session, actor: User, list_name: ReferenceList, name_ru: str,
                name_kk: str, code: str = "") -> ReferenceItem:
    require(actor, Action.EDIT_REFERENCES)
    _check_names(name_ru, name_kk, list_name)
    with transaction(session):
        order = session.exec(select(func.coalesce(func.max(ReferenceItem.sort_order), 0) + 1)
                             .where(ReferenceItem.list_name == list_name)).one()
        item = ReferenceItem(list_name=list_name, name_ru=name_ru.strip(),
                             name_kk=name_kk.strip(), sort_order=order, code="")
        item.code = code.strip() or item.uuid[:8]
        if item_by_code(session, list_name, item.code) is not None:
            raise ValidationError({"code": _("The code “{code}” is already used in this list.")
                                   .format(code=item.code)})
        create_record(session, actor, item, TABLE)
    return item


def update_item(*, session: Session, actor: User, item_id: int, name_ru: str | None = None,
                name_kk: str | None = None, retired: bool | None = None,
                sort_order: int | None = None) -> ReferenceItem:
    require(actor, Action.EDIT_REFERENCES)
    item = get_or_raise(session, ReferenceItem, item_id, _("The reference item"))
    values = {k: v for k, v in {"name_ru": name_ru, "name_kk": name_kk, "retired": retired,
                                "sort_order": sort_order}.items() if v is not None}
    _check_names(values.get("name_ru", item.name_ru), values.get("name_kk", item.name_kk))
    with transaction(session):
        update_record(session, actor, item, values, TABLE)
    return item


def usage_count(session: Session, item_id: int) -> int:
    return sum(item_references(session, item_id).values())


def item_references(session: Session, item_id: int) -> dict[str, int]:
    return {
        _("events"): count_where(session, Event, Event.kind_id == item_id),
        _("event topics"): count_where(session, EventTopic, EventTopic.topic_id == item_id),
        _("event organizers"): count_where(session, EventAgency,
                                           EventAgency.agency_id == item_id),
        _("persons' articles"): count_where(session, PersonArticle,
                                            PersonArticle.article_id == item_id),
        _("outcomes"): count_where(session, Outcome, Outcome.article_id == item_id),
    }


def delete_item(*, session: Session, actor: User, item_id: int) -> None:
    """Delete an unused item. An item in use can only be retired."""
    require(actor, Action.EDIT_REFERENCES)
    item = get_or_raise(session, ReferenceItem, item_id, _("The reference item"))
    used = {name: n for name, n in item_references(session, item_id).items() if n}
    if used:
        raise InUse(_("“{name}” cannot be deleted: records refer to it ({listing}). Retire it "
                      "instead.").format(name=item.name(current_language()),
                                         listing=", ".join(f"{k}: {n}" for k, n in used.items())))
    with transaction(session):
        delete_record(session, actor, item, TABLE)
