"""The demo database: realistic, valid by every rule, and the same for the same seed."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections import Counter, defaultdict
from collections.abc import Iterator
from pathlib import Path

import pytest

from db import clock, demo
from db.errors import QadamError
from db.iin import parse_iin
from db.months import Month
from db.passwords import verify_password
from db.phone import normalize_phone
from db.values import Sex

KAZAKH_LETTERS = "ӘҒҚҢӨҰҮҺІ"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """One demo database for the whole module: building it takes a few seconds."""
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    summary = demo.create_demo_database(path)
    return path, summary


@pytest.fixture
def con(built: tuple[Path, str]) -> Iterator[sqlite3.Connection]:
    connection = sqlite3.connect(built[0])
    connection.row_factory = sqlite3.Row
    yield connection
    connection.close()


def day(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text[:10]) if text else None


def dump(connection: sqlite3.Connection) -> dict[str, list[tuple]]:
    """The demo's content without UUIDs, timestamps or facility-dependent columns."""
    return {name: [tuple(row) for row in rows] for name, rows in {
        "persons": connection.execute(
            "SELECT surname, name, patronymic, iin, birth_date, sex, status, release_date, "
            "phone, district, notes FROM person ORDER BY id").fetchall(),
        "events": connection.execute(
            "SELECT e.event_date, e.event_time, e.place_kind, e.place_text, r.code, "
            "e.responsible, e.count_serving, e.count_released, e.count_community, "
            "e.materials_count, e.wants_to_volunteer, e.status FROM event e "
            "JOIN reference_item r ON r.id = e.kind_id ORDER BY e.id").fetchall(),
        "attendees": connection.execute(
            "SELECT e.event_date, p.surname, p.name, p.birth_date, a.category "
            "FROM event_attendee a JOIN event e ON e.id = a.event_id "
            "JOIN person p ON p.id = a.person_id ORDER BY a.event_id, a.person_id").fetchall(),
        "volunteers": connection.execute(
            "SELECT p.iin, p.surname, v.enrolled_on, v.status, v.consent_number, v.exit_date "
            "FROM volunteer v JOIN person p ON p.id = v.person_id ORDER BY v.id").fetchall(),
        "participations": connection.execute(
            "SELECT volunteer_id, event_id, role, hours FROM participation ORDER BY id"
        ).fetchall(),
        "outcomes": connection.execute(
            "SELECT person_id, outcome_date, kind FROM outcome ORDER BY id").fetchall(),
    }.items()}


def test_demo_summary_counts(con: sqlite3.Connection, built: tuple[Path, str]) -> None:
    persons = con.execute("SELECT count(*) FROM person").fetchone()[0]
    volunteers = con.execute("SELECT count(*) FROM volunteer").fetchone()[0]
    events = con.execute("SELECT count(*) FROM event").fetchone()[0]
    assert 270 <= persons <= 330
    assert 35 <= volunteers <= 45
    assert con.execute("SELECT count(*) FROM participation").fetchone()[0] >= 50
    assert 3 <= con.execute("SELECT count(*) FROM outcome").fetchone()[0] <= 6
    summary = built[1]
    assert str(persons) in summary and str(events) in summary and str(volunteers) in summary
    statuses = dict(con.execute("SELECT status, count(*) FROM person GROUP BY status"))
    assert set(statuses) == {"serving", "released", "probation", "other"}


def test_demo_sqlite_integrity(con: sqlite3.Connection) -> None:
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert con.execute("PRAGMA foreign_key_check").fetchall() == []


def test_demo_facilities_and_setup(con: sqlite3.Connection) -> None:
    settings = dict(con.execute("SELECT key, value FROM database_setting"))
    assert settings["mode"] == "facility"
    facilities = {row["code"]: row for row in con.execute("SELECT * FROM facility")}
    assert set(facilities) == {"69", "54"}
    assert facilities["69"]["uuid"] == settings["own_facility_uuid"]
    assert facilities["69"]["facility_type"] == "medium"
    assert all(f["region"] == demo.REGION for f in facilities.values())
    own_id = facilities["69"]["id"]
    assert {r[0] for r in con.execute("SELECT DISTINCT facility_id FROM event")} == {own_id}


def test_demo_accounts_have_password_demo(con: sqlite3.Connection) -> None:
    users = {row["login"]: row for row in con.execute("SELECT * FROM app_user")}
    assert {login: u["role"] for login, u in users.items()} == {
        "admin": "admin", "head": "head", "operator": "operator"}
    for user in users.values():
        assert verify_password(user["password_hash"], "demo")
        assert user["full_name"] and user["position"] and user["active"]


def test_demo_records_are_audited_as_admin(con: sqlite3.Connection) -> None:
    audited = Counter(row[0] for row in con.execute(
        "SELECT table_name FROM audit_entry WHERE action = 'create' AND user_login = 'admin'"))
    for table in ("person", "event", "volunteer", "participation", "outcome"):
        assert audited[table] == con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def test_demo_names_have_kazakh_letters_and_yo(con: sqlite3.Connection) -> None:
    text = " ".join(" ".join(row) for row in con.execute(
        "SELECT surname, name, patronymic FROM person")).upper()
    for letter in KAZAKH_LETTERS:
        assert letter in text, letter
    assert "Ё" in text
    # Kazakh І is Cyrillic U+0456, never a Latin I: names hold no Latin letter at all
    assert not [c for c in text if c.isascii() and c.isalpha()]
    patronymics = [row[0] for row in con.execute("SELECT patronymic FROM person")]
    assert any(p.endswith("ұлы") for p in patronymics)
    assert any(p.endswith("қызы") for p in patronymics)
    assert any(p.endswith("ович") for p in patronymics)
    assert any(p.endswith("овна") for p in patronymics)


def test_demo_persons_are_valid(con: sqlite3.Connection) -> None:
    today = clock.today()
    rows = con.execute("SELECT * FROM person").fetchall()
    assert sum(1 for r in rows if r["iin"]) >= 250
    for row in rows:
        birth = day(row["birth_date"])
        assert birth is not None and dt.date(1965, 1, 1) <= birth <= dt.date(2004, 12, 31)
        if row["iin"]:
            info = parse_iin(row["iin"])
            assert info.birth_date == birth
            assert info.sex == Sex(row["sex"])
        release = day(row["release_date"])
        if row["status"] in ("released", "probation"):
            assert release is not None and birth < release < today
        else:
            assert release is None
        if row["phone"]:
            assert normalize_phone(row["phone"]) == row["phone"]
        if row["district"]:
            assert row["district"] in demo.DISTRICTS + demo.REGION_DISTRICTS
    phones = [r["phone"] for r in rows if r["phone"]]
    assert any(p.startswith("+7 7252") for p in phones)
    assert any(p.startswith("+7 70") for p in phones)
    with_articles = con.execute("SELECT count(DISTINCT person_id) FROM person_article").fetchone()
    assert with_articles[0] >= 100


def test_demo_events_in_each_of_the_last_twelve_months(con: sqlite3.Connection) -> None:
    today = clock.today()
    per_month = Counter(Month.of(day(r[0])) for r in con.execute("SELECT event_date FROM event"))
    month = Month.of(today)
    for _i in range(12):
        month = month.previous()
        assert 12 <= per_month[month] <= 20, month
    future = con.execute("SELECT status FROM event WHERE event_date > ?",
                         (today.isoformat(),)).fetchall()
    assert 2 <= len(future) <= 3
    assert {r[0] for r in future} == {"planned"}
    past = Counter(r[0] for r in con.execute("SELECT status FROM event WHERE event_date <= ?",
                                             (today.isoformat(),)))
    assert set(past) <= {"held", "cancelled"} and past["held"] > 150
    places = Counter(r[0] for r in con.execute("SELECT place_kind FROM event"))
    assert places["facility"] > 0 and places["outside"] > 0


def test_demo_events_obey_the_counts(con: sqlite3.Connection) -> None:
    persons = {r["id"]: r for r in con.execute("SELECT * FROM person")}
    attendees: dict[int, list[sqlite3.Row]] = defaultdict(list)
    for row in con.execute("SELECT * FROM event_attendee"):
        attendees[row["event_id"]].append(row)
    topics = Counter(r[0] for r in con.execute("SELECT event_id FROM event_topic"))
    agencies = Counter(r[0] for r in con.execute("SELECT event_id FROM event_agency"))
    for event in con.execute("SELECT * FROM event"):
        total = event["count_serving"] + event["count_released"] + event["count_community"]
        assert event["wants_to_volunteer"] <= total
        assert 1 <= topics[event["id"]] <= 3 and 1 <= agencies[event["id"]] <= 3
        if event["place_kind"] == "outside":
            assert event["place_text"]
        else:
            assert event["place_facility_id"] is not None
        named = Counter(a["category"] for a in attendees[event["id"]])
        assert named["serving"] <= event["count_serving"]
        assert named["released"] <= event["count_released"]
        for attendee in attendees[event["id"]]:
            person = persons[attendee["person_id"]]
            if attendee["category"] == "serving":
                assert person["status"] == "serving"
            else:
                assert person["status"] in ("released", "probation")
                assert day(person["release_date"]) <= day(event["event_date"])
    repeat = Counter(a["person_id"] for rows in attendees.values() for a in rows)
    assert sum(1 for n in repeat.values() if n > 1) > 20  # some attend several events


def test_demo_volunteers_participations_outcomes(con: sqlite3.Connection) -> None:
    today = clock.today()
    persons = {r["id"]: r for r in con.execute("SELECT * FROM person")}
    outcomes = con.execute("SELECT * FROM outcome").fetchall()
    volunteers = {r["id"]: r for r in con.execute("SELECT * FROM volunteer")}
    statuses = Counter(v["status"] for v in volunteers.values())
    assert statuses["active"] > len(volunteers) / 2
    assert {"candidate", "paused", "left", "reoffended"} <= set(statuses)
    for volunteer in volunteers.values():
        person = persons[volunteer["person_id"]]
        assert person["status"] in ("released", "probation")
        enrolled = day(volunteer["enrolled_on"])
        assert day(person["release_date"]) <= enrolled <= today
        if volunteer["status"] in ("active", "paused", "reoffended"):
            assert volunteer["consent_number"] and volunteer["consent_date"]
        if volunteer["status"] in ("left", "reoffended"):
            assert enrolled <= day(volunteer["exit_date"]) <= today
        else:
            assert volunteer["exit_date"] is None
        if volunteer["status"] == "reoffended":
            assert any(o["person_id"] == person["id"]
                       and day(o["outcome_date"]) == day(volunteer["exit_date"])
                       for o in outcomes)
    events = {r["id"]: r for r in con.execute("SELECT * FROM event")}
    for part in con.execute("SELECT * FROM participation"):
        volunteer = volunteers[part["volunteer_id"]]
        event = events[part["event_id"]]
        assert event["status"] == "held"
        assert day(volunteer["enrolled_on"]) <= day(event["event_date"])
        if volunteer["exit_date"]:
            assert day(event["event_date"]) <= day(volunteer["exit_date"])
        assert 1 <= part["hours"] <= 6
        assert part["role"] in ("story", "materials", "organize", "mentor")
    for outcome in outcomes:
        person = persons[outcome["person_id"]]
        assert day(person["release_date"]) < day(outcome["outcome_date"]) <= today
        assert outcome["kind"] in ("repeat_offence", "probation_violation")


def test_demo_same_seed_same_data_and_facility_54(built: tuple[Path, str], tmp_path: Path,
                                                  con: sqlite3.Connection) -> None:
    # One more build serves two checks: the facility only names the database's own facility,
    # so the 54 variant with the same seed must hold exactly the same persons and events.
    path = tmp_path / "demo54.db"
    demo.create_demo_database(path, facility_code="54", seed=1)
    other = sqlite3.connect(path)
    try:
        assert other.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert other.execute("PRAGMA foreign_key_check").fetchall() == []
        settings = dict(other.execute("SELECT key, value FROM database_setting"))
        own = other.execute("SELECT id, code, facility_type FROM facility WHERE uuid = ?",
                            (settings["own_facility_uuid"],)).fetchone()
        assert own[1:] == ("54", "maximum")
        assert {r[0] for r in other.execute("SELECT code FROM facility")} == {"54", "69"}
        assert {r[0] for r in other.execute("SELECT DISTINCT facility_id FROM event")} == {own[0]}
        assert dump(other) == dump(con)
    finally:
        other.close()


def test_demo_refuses_an_existing_file(tmp_path: Path) -> None:
    path = tmp_path / "taken.db"
    path.write_bytes(b"")
    with pytest.raises(QadamError, match="taken.db"):
        demo.create_demo_database(path)
    assert path.read_bytes() == b""


def test_demo_failure_leaves_no_half_built_file(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(self: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(demo._DemoBuilder, "build", fail)
    path = tmp_path / "half.db"
    with pytest.raises(RuntimeError):
        demo.create_demo_database(path)
    assert list(tmp_path.iterdir()) == []


def test_ensure_demo_database_creates_only_once(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[Path] = []

    def fake_create(path: Path, **_kwargs: object) -> str:
        calls.append(path)
        path.write_bytes(b"")
        return ""

    monkeypatch.setattr(demo, "create_demo_database", fake_create)
    path = tmp_path / "qadam-demo.db"
    demo.ensure_demo_database(path)
    demo.ensure_demo_database(path)
    assert calls == [path]


def test_demo_database_path_is_in_the_data_folder(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("db.paths.user_data_dir", lambda: tmp_path)
    assert demo.demo_database_path() == tmp_path / "qadam-demo.db"
