"""Persons: convicts, released people and others the outreach reaches."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import column, func, or_, table, text
from sqlalchemy import select as sa_select
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col, delete, select
from sqlmodel.sql.expression import SelectOfScalar

from db.collation import person_sort_key
from db.errors import FieldErrors
from db.i18n import _
from db.models import (
    EventAttendee,
    Facility,
    Outcome,
    Person,
    PersonArticle,
    PersonCreate,
    PersonUpdate,
    User,
    Volunteer,
)
from db.ops.common import (
    apply_changes,
    count_where,
    create_record,
    get_or_raise,
    given_values,
    refuse_if_referenced,
    require_edit,
    snapshot,
    transaction,
    write_audit,
)
from db.ops.references import check_items
from db.rules import check_person
from db.search import (
    SearchWords,
    fts_phrases,
    iin_prefix_range,
    like_pattern,
    person_search_key,
)
from db.values import ReferenceList

TABLE = "person"
PERSON_FIELDS = ("surname", "name", "patronymic", "iin", "birth_date", "sex", "status",
                 "facility_id", "release_date", "phone", "district", "notes")


def _validated(session: Session, values: dict, *, person_id: int | None,
               old_articles: set[int]) -> dict:
    """Check and normalise a person's full set of values; raise ValidationError."""
    errors = FieldErrors()
    iin, birth_date, sex, phone = check_person(
        errors, surname=values["surname"] or "", name=values["name"] or "",
        patronymic=values["patronymic"] or "", iin=values["iin"],
        birth_date=values["birth_date"], sex=values["sex"], status=values["status"],
        release_date=values["release_date"], phone=values["phone"] or "")
    if iin and "iin" not in errors.errors:
        other = person_by_iin(session, iin)
        if other is not None and other.id != person_id:
            errors.add("iin", _("This IIN already belongs to {name}.").format(
                name=other.full_name))
    if values["facility_id"] is not None and session.get(Facility, values["facility_id"]) is None:
        errors.add("facility_id", _("The chosen facility does not exist."))
    check_items(session, errors, "article_ids", values.get("article_ids") or [],
                ReferenceList.ARTICLE, allowed_retired=old_articles)
    errors.raise_if_any()
    cleaned = dict(values)
    cleaned.update(
        iin=iin, birth_date=birth_date, sex=sex, phone=phone,
        surname=values["surname"].strip(), name=values["name"].strip(),
        patronymic=(values["patronymic"] or "").strip(),
    )
    return cleaned


def set_person_keys(person: Person) -> None:
    """The folded search key and the alphabetical sort key, both computed in Python."""
    person.search_key = person_search_key(person.surname, person.name, person.patronymic,
                                          person.iin)
    person.sort_key = person_sort_key(person.surname, person.name, person.patronymic)


def _set_articles(session: Session, person: Person, article_ids: list[int]) -> None:
    session.exec(delete(PersonArticle).where(col(PersonArticle.person_id) == person.id))
    for article_id in dict.fromkeys(article_ids):
        session.add(PersonArticle(person_id=person.id, article_id=article_id))


def create_person(*, session: Session, actor: User, data: PersonCreate) -> Person:
    require_edit(actor)
    values = _validated(session, data.model_dump(), person_id=None, old_articles=set())
    article_ids = values.pop("article_ids")
    person = Person(**values)
    set_person_keys(person)
    with transaction(session):
        create_record(session, actor, person, TABLE)
        _set_articles(session, person, article_ids)
    return person


def update_person(*, session: Session, actor: User, person_id: int,
                  data: PersonUpdate) -> Person:
    require_edit(actor)
    person = get_or_raise(session, Person, person_id, _("The person"))
    old_articles = set(article_ids_of(session, person.id))
    values = {f: getattr(person, f) for f in PERSON_FIELDS}
    values["article_ids"] = sorted(old_articles)
    values.update(given_values(data, Person))
    values = _validated(session, values, person_id=person.id, old_articles=old_articles)
    article_ids = values.pop("article_ids")
    with transaction(session):
        changed = apply_changes(person, values)
        set_person_keys(person)
        if set(article_ids) != old_articles:
            _set_articles(session, person, article_ids)
            changed["article_ids"] = [sorted(old_articles), sorted(set(article_ids))]
        if changed:
            write_audit(session, actor, "update", table=TABLE, record_uuid=person.uuid,
                        changes=changed)
    return person


def delete_person(*, session: Session, actor: User, person_id: int) -> None:
    require_edit(actor)
    person = get_or_raise(session, Person, person_id, _("The person"))
    refuse_if_referenced(person.full_name, {
        _("event attendances"): count_where(session, EventAttendee,
                                            EventAttendee.person_id == person.id),
        _("volunteer records"): count_where(session, Volunteer, Volunteer.person_id == person.id),
        _("outcomes"): count_where(session, Outcome, Outcome.person_id == person.id),
    })
    with transaction(session):
        write_audit(session, actor, "delete", table=TABLE, record_uuid=person.uuid,
                    changes=snapshot(person))
        session.exec(delete(PersonArticle).where(col(PersonArticle.person_id) == person.id))
        session.delete(person)


def get_person(session: Session, person_id: int) -> Person:
    return get_or_raise(session, Person, person_id, _("The person"))


def person_by_iin(session: Session, iin: str) -> Person | None:
    return session.exec(select(Person).where(Person.iin == iin)).first()


def article_ids_of(session: Session, person_id: int) -> list[int]:
    return list(session.exec(select(PersonArticle.article_id)
                             .where(PersonArticle.person_id == person_id)))


@dataclass(frozen=True)
class PersonFilter:
    facility_id: int | None = None
    status: str | None = None
    search: str = ""


# The FTS5 trigram index over person.search_key (migration 0005; kept by triggers).
PERSON_SEARCH = table("person_search", column("rowid"), column("search_key"))


class Lookup(StrEnum):
    """How the words of 3+ characters are looked for when listing persons by name."""

    INDEX = "index"  # the matches from the index, then sorted: few matches
    WALK = "walk"  # the name order walked, each person tested against the matches: many
    SCAN = "scan"  # the name order walked, each search key tested itself: a tenth of all


# Matches of up to this many pages are fetched and sorted; a common fragment ("ова") matches
# thousands of persons, and walking the name order fills a page sooner (measured on ten
# years of a region: about 3 µs a match to sort, under 1 µs a name to walk past).
SORT_PAGES = 10
# When one person in this many matches, testing each search key while walking the names is
# cheaper than reading every match out of the index first.
SCAN_SHARE = 10


def _fts_match(words: tuple[str, ...]) -> ColumnElement[bool]:
    return PERSON_SEARCH.c.search_key.op("MATCH")(fts_phrases(words))


def count_fts_matches(session: Session, words: tuple[str, ...]) -> int:
    """How many persons have every word (3+ characters each) in their search key."""
    matches = sa_select(PERSON_SEARCH.c.rowid).where(_fts_match(words)).subquery()
    return session.execute(sa_select(func.count()).select_from(matches)).scalar_one()


def choose_lookup(session: Session, words: tuple[str, ...], *, rows: int) -> Lookup:
    """The quickest way to the first `rows` persons in name order that have every word: one
    query counts the matches (stopping at what the choice needs) and the persons."""
    enough = SORT_PAGES * rows
    found, persons = session.execute(text(
        "SELECT count(*), (SELECT coalesce(max(id), 0) FROM person) FROM "
        "(SELECT rowid FROM person_search WHERE person_search MATCH :words "
        f"LIMIT max(:enough, (SELECT coalesce(max(id), 0) FROM person) / {SCAN_SHARE}))"),
        {"words": fts_phrases(words), "enough": enough}).one()
    if found < enough:
        return Lookup.INDEX
    return Lookup.SCAN if found >= persons // SCAN_SHARE else Lookup.WALK


def person_conditions(f: PersonFilter, *, lookup: Lookup = Lookup.INDEX
                      ) -> list[ColumnElement[bool]]:
    """What the persons of the filter satisfy. Every word of the search must be in the name
    or the IIN, case and ё/е aside: a word of 3 characters or more through the trigram index,
    1-2 digits as the start of the IIN, other 1-2 characters anywhere in the search key.
    `lookup` changes only how SQLite finds the words of 3+ characters, never what it finds."""
    conditions: list[ColumnElement[bool]] = []
    if f.facility_id is not None:
        conditions.append(col(Person.facility_id) == f.facility_id)
    if f.status:
        conditions.append(col(Person.status) == f.status)
    words = SearchWords.of(f.search)
    if words.trigram and lookup == Lookup.SCAN:
        conditions += [col(Person.search_key).like(like_pattern(word), escape="\\")
                       for word in words.trigram]
    elif words.trigram:
        # "+ 0" keeps SQLite from starting at the matches by the primary key
        person_id = col(Person.id) + 0 if lookup == Lookup.WALK else col(Person.id)
        conditions.append(person_id.in_(
            sa_select(PERSON_SEARCH.c.rowid).where(_fts_match(words.trigram))))
    for prefix in words.iin_prefixes:
        low, high = iin_prefix_range(prefix)
        conditions += [col(Person.iin) >= low, col(Person.iin) < high]
    conditions += [col(Person.search_key).like(like_pattern(word), escape="\\")
                   for word in words.short]
    return conditions


def persons_query(f: PersonFilter, *, lookup: Lookup = Lookup.INDEX) -> SelectOfScalar[Person]:
    """The persons of the filter (see `person_conditions`)."""
    return select(Person).where(*person_conditions(f, lookup=lookup))


def list_persons(session: Session, f: PersonFilter = PersonFilter(), *, limit: int | None = None,
                 offset: int = 0) -> list[Person]:
    query = persons_query(f).order_by(Person.sort_key, Person.id).offset(offset)
    if limit is not None:
        query = query.limit(limit)
    return list(session.exec(query))


def count_persons(session: Session, f: PersonFilter = PersonFilter()) -> int:
    words = SearchWords.of(f.search)
    if words.trigram and not (words.iin_prefixes or words.short or f.facility_id is not None
                              or f.status):
        return count_fts_matches(session, words.trigram)  # every indexed row is a person
    return session.exec(select(func.count()).select_from(Person)
                        .where(*person_conditions(f))).one()


def find_duplicates(session: Session, *, iin: str | None, surname: str, name: str,
                    patronymic: str, birth_date, exclude_id: int | None = None) -> list[Person]:
    """Persons with the same IIN, or the same full name and birth date (the form warns)."""
    conditions = []
    if iin:
        conditions.append(Person.iin == iin)
    if birth_date is not None and surname and name:
        key = person_search_key(surname, name, patronymic, None)
        conditions.append((Person.birth_date == birth_date)
                          & col(Person.search_key).like(like_pattern(key), escape="\\"))
    if not conditions:
        return []
    query = select(Person).where(or_(*conditions))
    if exclude_id is not None:
        query = query.where(Person.id != exclude_id)
    return list(session.exec(query))
