"""The regional package: written from the database, read back and checked by `read_package`."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook
from ops_support import (
    D,
    agency,
    article,
    audit_entries,
    changes,
    home,
    iin_for,
    new_event,
    new_participation,
    new_person,
    new_user,
    new_volunteer,
    topic,
)
from sqlmodel import Session, select

from db.errors import PermissionDenied
from db.models import (
    AttendeeInput,
    EventAttendee,
    EventTopic,
    OutcomeCreate,
    Participation,
    Person,
    ReferenceItem,
    User,
)
from db.months import Month
from db.ops.month_locks import lock_month, unlock_month
from db.ops.volunteers import create_outcome
from reports.package import (
    META_SHEET,
    PackageError,
    iter_sheet_values,
    meta_digest,
    read_package,
    sheet_digest,
    write_package,
)

OCTOBER = Month(2026, 10)
NOW = dt.datetime(2026, 11, 15, 9, 30, tzinfo=dt.UTC)


@pytest.fixture
def head(session: Session, admin: User) -> User:
    return new_user(session, admin, "head")


@pytest.fixture
def data(session: Session, admin: User, fixed_today: dt.date) -> dict[str, Any]:
    """Two persons (one a volunteer with an outcome), two October events, one of them with a
    topic, an organizer, both persons attending and the volunteer taking part."""
    first = new_person(session, admin, surname="Жумабеков", name="Нурлан",
                       iin=iin_for(D(1985, 3, 7)), birth_date=D(1985, 3, 7), sex="M")
    second = new_person(session, admin, surname="Сейтова", name="Айгерим", patronymic="",
                        iin=iin_for(D(1992, 5, 1), serial=40), birth_date=D(1992, 5, 1))
    volunteer = new_volunteer(session, admin, first)
    event = new_event(session, admin, event_time=dt.time(10, 30), place_text="=HYPERLINK(1)",
                      topic_ids=[topic(session).id], agency_ids=[agency(session).id],
                      attendees=[AttendeeInput(person_id=first.id, category="released"),
                                 AttendeeInput(person_id=second.id, category="serving")])
    other = new_event(session, admin, event_date=D(2026, 10, 20), count_community=3)
    new_event(session, admin, event_date=D(2026, 9, 30))  # another month: not in the package
    new_participation(session, admin, volunteer, event, hours=1.5)
    create_outcome(session=session, actor=admin, data=OutcomeCreate(
        person_id=first.id, outcome_date=D(2026, 8, 1), kind="repeat_offence",
        article_id=article(session).id))
    return {"persons": [first, second], "events": [event, other], "volunteer": volunteer}


def export(session: Session, actor: User, path: Path, level: str = "pseudonymised") -> Path:
    write_package(session, actor=actor, facility_id=home(session).id, month=OCTOBER, path=path,
                  personal_data=level, now=NOW)
    return path


@pytest.fixture(autouse=True)
def _source_language(monkeypatch: pytest.MonkeyPatch) -> None:
    """Refusals are checked by their words in the catalog's source language (English); that
    every one has Russian and Kazakh words is test_catalogs' job."""
    monkeypatch.setattr("db.i18n._current", ["en"])


def refused(path: Path, *words: str) -> str:
    with pytest.raises(PackageError) as caught:
        read_package(path)
    message = caught.value.message
    for word in words:
        assert word in message, message
    return message


def resign(path: Path) -> None:
    """Recompute the checksums after an edit, as a forger would: to reach the type checks."""
    wb = load_workbook(path)
    meta = wb[META_SHEET]
    for row in meta.iter_rows():
        key = row[0].value
        if isinstance(key, str) and key.startswith("sha256:"):
            row[1].value = sheet_digest(wb[key.removeprefix("sha256:")])
    entries = [(row[0].value, row[1].value) for row in meta.iter_rows()]
    for row in meta.iter_rows():
        if row[0].value == "sha256":
            row[1].value = meta_digest(entries)
    wb.save(path)


def test_package_round_trip_gives_the_database_rows(session: Session, head: User,
                                                    data: dict[str, Any], tmp_path: Path
                                                    ) -> None:
    path = export(session, head, tmp_path / "p.xlsx", "full")
    package = read_package(path)
    meta = package.meta
    assert (meta.facility_code, meta.month, meta.revision, meta.personal_data) == (
        "69", OCTOBER, 1, "full")
    assert meta.created_at == "2026-11-15T09:30:00Z" and meta.created_by == "head"
    event, other = data["events"]
    assert [(r["uuid"], r["event_date"], r["event_time"], r["place_text"], r["count_community"],
             r["named_count"], r["kind_code"]) for r in package.events] == [
        (event.uuid, D(2026, 10, 10), dt.time(10, 30), "=HYPERLINK(1)", 0, 2,
         "explanatory_meeting"),
        (other.uuid, D(2026, 10, 20), None, "", 3, 0, "explanatory_meeting")]
    codes = {i.id: i.code for i in session.exec(select(ReferenceItem))}
    assert [(r["event_uuid"], r["topic_code"]) for r in package.event_topics] == [
        (event.uuid, codes[t.topic_id]) for t in session.exec(select(EventTopic))]
    assert package.event_agencies == [{"event_uuid": event.uuid, "agency_code": "city_police"}]
    persons = {p.id: p for p in session.exec(select(Person))}
    assert sorted((r["person_uuid"], r["category"]) for r in package.attendees) == sorted(
        (persons[a.person_id].uuid, a.category) for a in session.exec(select(EventAttendee)))
    first = data["persons"][0]
    row = next(r for r in package.persons if r["uuid"] == first.uuid)
    assert (row["surname"], row["iin"], row["birth_date"]) == ("Жумабеков", first.iin,
                                                                D(1985, 3, 7))
    volunteer = data["volunteer"]
    assert [(r["uuid"], r["person_uuid"], r["enrolled_on"]) for r in package.volunteers] == [
        (volunteer.uuid, first.uuid, D(2026, 2, 1))]
    participation = session.exec(select(Participation)).one()
    assert package.participations == [{"uuid": participation.uuid,
                                       "volunteer_uuid": volunteer.uuid,
                                       "event_uuid": event.uuid, "role": "story", "hours": 1.5}]
    assert [(r["person_uuid"], r["outcome_date"], r["kind"], r["article_code"])
            for r in package.outcomes] == [(first.uuid, D(2026, 8, 1), "repeat_offence", "296")]
    assert meta.counts == {"events": 2, "event_topics": 1, "event_agencies": 1,
                           "attendees": 2, "persons": 2, "volunteers": 1,
                           "participations": 1, "outcomes": 1}


def test_package_file_is_readable_and_protected(session: Session, head: User,
                                                data: dict[str, Any], tmp_path: Path) -> None:
    path = export(session, head, tmp_path / "p.xlsx")
    wb = load_workbook(path)
    assert wb.sheetnames[:2] == ["Отчёт", "Мероприятия"]
    assert wb[META_SHEET].sheet_state == "veryHidden"
    assert wb.security is not None and wb.security.lockStructure
    entry = audit_entries(session)[-1]
    assert changes(entry)["what"] == "package"
    assert changes(entry)["personal_data"] == "pseudonymised"


def test_package_revision_grows_after_unlock_and_relock(session: Session, head: User,
                                                        data: dict[str, Any], tmp_path: Path
                                                        ) -> None:
    facility_id = home(session).id
    lock_month(session=session, actor=head, facility_id=facility_id, month=OCTOBER)
    assert read_package(export(session, head, tmp_path / "a.xlsx")).meta.revision == 1
    unlock_month(session=session, actor=head, facility_id=facility_id, month=OCTOBER,
                 reason="исправление")
    lock_month(session=session, actor=head, facility_id=facility_id, month=OCTOBER)
    assert read_package(export(session, head, tmp_path / "b.xlsx")).meta.revision == 2


@pytest.mark.parametrize("level", ["none", "pseudonymised"])
def test_package_without_full_level_has_no_iin_or_name(session: Session, head: User,
                                                       data: dict[str, Any], tmp_path: Path,
                                                       level: str) -> None:
    path = export(session, head, tmp_path / "p.xlsx", level)
    texts = [str(value) for _sheet, value in iter_sheet_values(path)]
    sheets = {sheet for sheet, _value in iter_sheet_values(path)}
    assert META_SHEET in sheets
    for person in data["persons"]:
        assert person.iin and not any(person.iin in text for text in texts)
        assert not any(person.surname in text for text in texts)
        assert not any(f"{person.surname} {person.name}" in text for text in texts)
    package = read_package(path)
    if level == "none":
        assert package.persons == [] and package.attendees == []
        assert "persons" not in load_workbook(path).sheetnames
        assert [r["named_count"] for r in package.events] == [2, 0]
        assert package.volunteers[0]["person_uuid"] == ""
    else:
        assert {r["initials"] for r in package.persons} == {"Ж.Н.И.", "С.А."}
        assert {r["birth_year"] for r in package.persons} == {1985, 1992}


def test_package_full_level_has_iin_and_names(session: Session, head: User,
                                              data: dict[str, Any], tmp_path: Path) -> None:
    path = export(session, head, tmp_path / "p.xlsx", "full")
    texts = [str(value) for _sheet, value in iter_sheet_values(path)]
    for person in data["persons"]:
        assert person.iin in texts and person.surname in texts
    iin_cells = load_workbook(path)["persons"]["E"]
    assert all(cell.data_type == "s" for cell in iin_cells[1:])


def test_package_operator_may_not_export(session: Session, admin: User,
                                         data: dict[str, Any], tmp_path: Path) -> None:
    operator = new_user(session, admin, "operator")
    with pytest.raises(PermissionDenied):
        export(session, operator, tmp_path / "p.xlsx")
    assert not (tmp_path / "p.xlsx").exists()


# --- refusals -----------------------------------------------------------------------------------


@pytest.fixture
def package_path(session: Session, head: User, data: dict[str, Any], tmp_path: Path) -> Path:
    return export(session, head, tmp_path / "p.xlsx")


def test_package_flipped_byte_is_damaged(package_path: Path) -> None:
    raw = bytearray(package_path.read_bytes())
    raw[len(raw) // 2] ^= 0xFF
    package_path.write_bytes(bytes(raw))
    refused(package_path, "damaged")


def test_package_truncated_file_is_damaged(package_path: Path) -> None:
    raw = package_path.read_bytes()
    package_path.write_bytes(raw[: len(raw) * 2 // 3])
    refused(package_path, "damaged", "cut short")


def test_package_edited_data_sheet_is_refused(package_path: Path) -> None:
    wb = load_workbook(package_path)
    wb["events"]["J2"] = 999  # count_released
    wb.save(package_path)
    refused(package_path, "“events”", "changed after export")


def test_package_edited_readable_sheet_is_refused(package_path: Path) -> None:
    wb = load_workbook(package_path)
    ws = wb["Мероприятия"]
    ws["I2"] = 999
    wb.save(package_path)
    refused(package_path, "“Мероприятия”", "changed after export")


def test_package_edited_meta_is_refused(package_path: Path) -> None:
    wb = load_workbook(package_path)
    for row in wb[META_SHEET].iter_rows():
        if row[0].value == "revision":
            row[1].value = 7
    wb.save(package_path)
    refused(package_path, "description", "changed after export")


def test_package_other_format_version_is_refused(package_path: Path) -> None:
    wb = load_workbook(package_path)
    wb[META_SHEET]["B1"] = 99
    wb.save(package_path)
    refused(package_path, "format version 99")


def test_package_plain_workbook_is_not_a_package(tmp_path: Path) -> None:
    wb = Workbook()
    wb.active["A1"] = "hello"
    path = tmp_path / "other.xlsx"
    wb.save(path)
    refused(path, "not a Qadam package")


def test_package_text_file_is_damaged(tmp_path: Path) -> None:
    path = tmp_path / "notes.xlsx"
    path.write_text("hello")
    refused(path, "damaged")


def test_package_formula_is_refused(package_path: Path) -> None:
    wb = load_workbook(package_path)
    wb["events"]["J2"] = "=1+4"
    wb.save(package_path)
    refused(package_path, "formula", "J2")


def test_package_text_in_a_date_column_is_refused(package_path: Path) -> None:
    wb = load_workbook(package_path)
    wb["events"]["B2"] = "tenth of October"
    wb.save(package_path)
    resign(package_path)
    refused(package_path, "B2", "“events”", "a date")


def test_package_text_in_a_count_column_is_refused(package_path: Path) -> None:
    wb = load_workbook(package_path)
    wb["events"]["I2"] = "twenty"
    wb.save(package_path)
    resign(package_path)
    refused(package_path, "I2", "a whole number")


def test_package_resigned_copy_still_reads(package_path: Path, tmp_path: Path) -> None:
    """The forging helper itself: resigning an untouched package changes nothing."""
    copy = tmp_path / "copy.xlsx"
    shutil.copyfile(package_path, copy)
    resign(copy)
    assert read_package(copy).meta.checksum == read_package(package_path).meta.checksum


def test_package_removed_sheet_is_refused(package_path: Path) -> None:
    wb = load_workbook(package_path)
    del wb["outcomes"]
    wb.save(package_path)
    refused(package_path, "sheets", "added, removed or renamed")


def test_package_removed_row_is_refused_even_when_resigned(package_path: Path) -> None:
    wb = load_workbook(package_path)
    wb["events"].delete_rows(3)
    wb.save(package_path)
    resign(package_path)
    refused(package_path, "“events”", "has 1 rows", "says 2")


def test_package_renamed_column_is_refused(package_path: Path) -> None:
    wb = load_workbook(package_path)
    wb["events"]["A1"] = "id"
    wb.save(package_path)
    resign(package_path)
    refused(package_path, "“events”", "columns")


def test_package_unknown_level_is_refused(session: Session, head: User,
                                          data: dict[str, Any], tmp_path: Path) -> None:
    with pytest.raises(PackageError, match="everything"):
        export(session, head, tmp_path / "p.xlsx", "everything")


@pytest.mark.parametrize("seed", range(3))
def test_package_fuzzed_bytes_are_refused_or_read_the_same(package_path: Path, tmp_path: Path,
                                                           seed: int) -> None:
    """Random byte flips and cuts: each damaged copy is refused with a PackageError, or (a flip
    in zip bookkeeping no content depends on) reads back exactly as the original. Nothing else
    — no other exception, no silently different data."""
    import random

    original = read_package(package_path)
    data = package_path.read_bytes()
    rng = random.Random(seed)
    for attempt in range(12):
        damaged = bytearray(data)
        if attempt % 3 == 2:
            damaged = damaged[:rng.randrange(1, len(damaged))]
        else:
            for _flip in range(rng.randint(1, 4)):
                damaged[rng.randrange(len(damaged))] ^= 1 << rng.randrange(8)
        copy = tmp_path / f"fuzz-{seed}-{attempt}.xlsx"
        copy.write_bytes(bytes(damaged))
        try:
            again = read_package(copy)
        except PackageError:
            continue
        assert again == original
