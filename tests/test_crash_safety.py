"""A process killed (SIGKILL) in the middle of writing leaves a whole database: every saved
event complete with its topics, agencies and audit entry, none half-written."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlmodel import Session

from db.database import Database
from db.models import User

ROOT = Path(__file__).resolve().parent.parent

WRITER = """
import datetime as dt
import sys

from sqlmodel import select

from db.database import open_database
from db.models import EventCreate, User
from db.ops.events import create_event
from db.ops.references import item_by_code
from db.ops.settings import own_facility
from db.values import ReferenceList

database = open_database(sys.argv[1])
with database.session() as session:
    admin = session.exec(select(User).where(User.login == "admin")).one()
    facility = own_facility(session)
    kind = item_by_code(session, ReferenceList.EVENT_KIND, "explanatory_meeting")
    topics = [item_by_code(session, ReferenceList.TOPIC, code).id
              for code in ("addiction_prevention", "healthy_lifestyle")]
    agencies = [item_by_code(session, ReferenceList.AGENCY, "city_police").id]
    print("ready", flush=True)
    for number in range(100_000):
        create_event(session=session, actor=admin, data=EventCreate(
            facility_id=facility.id, event_date=dt.date.today() - dt.timedelta(days=number % 20),
            place_kind="facility", place_facility_id=facility.id, kind_id=kind.id,
            count_serving=10 + number % 50, count_released=number % 7, count_community=1,
            wants_to_volunteer=1, materials_count=number % 3, status="held",
            topic_ids=topics, agency_ids=agencies, notes=f"batch event {number}"))
"""


def count_events(path: Path) -> int:
    connection = sqlite3.connect(path, timeout=5)
    try:
        return int(connection.execute("SELECT count(*) FROM event").fetchone()[0])
    finally:
        connection.close()


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is a Unix signal")
def test_crash_safety_sigkill_while_writing_leaves_whole_records(
        database: Database, session: Session, admin: User, tmp_path: Path) -> None:
    assert database.path is not None
    session.close()
    database.dispose()
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(database.path)], cwd=ROOT,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert writer.stdout is not None
        ready = writer.stdout.readline().strip()
        assert ready == "ready", writer.stderr.read() if writer.stderr else ready
        deadline = time.monotonic() + 20
        seen = 0
        while seen < 40 and time.monotonic() < deadline and writer.poll() is None:
            time.sleep(0.02)
            seen = count_events(database.path)
        assert seen >= 40, "the writer did not get going"
    finally:
        writer.send_signal(signal.SIGKILL)
        writer.wait(10)
    assert writer.returncode == -signal.SIGKILL
    assert Path(f"{database.path}-wal").exists()  # it died with its journal open

    connection = sqlite3.connect(database.path)
    try:
        assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
        events = connection.execute("SELECT count(*) FROM event").fetchone()[0]
        assert events >= seen  # what was committed before the kill stays committed
        incomplete = connection.execute(
            "SELECT id FROM event WHERE "
            "(SELECT count(*) FROM event_topic t WHERE t.event_id = event.id) != 2 "
            "OR (SELECT count(*) FROM event_agency a WHERE a.event_id = event.id) != 1 "
            "OR count_serving IS NULL OR count_released IS NULL "
            "OR (SELECT count(*) FROM audit_entry e WHERE e.table_name = 'event' "
            "    AND e.action = 'create' AND e.record_uuid = event.uuid) != 1").fetchall()
        assert incomplete == []
        orphans = connection.execute(
            "SELECT count(*) FROM event_topic WHERE event_id NOT IN (SELECT id FROM event)"
        ).fetchone()[0]
        assert orphans == 0
    finally:
        connection.close()
