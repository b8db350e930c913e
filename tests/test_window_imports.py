"""The main window is painted before the tables are imported: its navigation, menus and status
bar come from sqlite3 reads; SQLAlchemy, SQLModel and the rest load for its first page, built
right after the paint. A behaviour test, in a fresh process: no timing is asserted."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from db.database import Database
from db.models import User

ROOT = Path(__file__).resolve().parent.parent

CHILD = """
import json, sys, time
from PySide6.QtCore import QEvent, QObject
from desktop.app import make_application, open_main_window
app = make_application([])
from db.database import open_database
from db.quick_read import read_account

HEAVY = ("sqlalchemy", "sqlmodel", "alembic", "openpyxl", "reportlab", "argon2", "db.models",
         "db.ops")

class PaintWatch(QObject):
    painted = False

    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint:
            PaintWatch.painted = True
        return False

def state(window):
    return {"heavy": sorted(m for m in HEAVY if m in sys.modules),
            "built": sorted(window.pages.built), "idle_lock": window.idle_lock is not None,
            "status": [window.facility_label.text(), window.user_label.text()],
            "navigation": window.navigation.count()}

def wait_until(done):
    deadline = time.monotonic() + 30
    while not done() and time.monotonic() < deadline:
        app.processEvents()

path = sys.argv[1]
database = open_database(path)
window = open_main_window(database, read_account(path, "admin"))
before = state(window)
watch = PaintWatch()
window.installEventFilter(watch)
wait_until(lambda: PaintWatch.painted)
painted = state(window)
wait_until(lambda: bool(window.pages.built) and window.idle_lock is not None)
print(json.dumps({"before": before, "painted": painted, "page": state(window)}))
"""


def test_window_frame_is_painted_before_the_tables_are_imported(database: Database, admin: User,
                                                                tmp_path: Path) -> None:
    assert database.path is not None
    data = tmp_path / "data"
    data.mkdir()
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", QADAM_DATA_DIR=str(data),
               QADAM_LANG="ru")
    done = subprocess.run([sys.executable, "-c", CHILD, str(database.path)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    for moment in ("before", "painted"):  # built and shown, then painted: no tables yet
        assert seen[moment]["heavy"] == [], moment
        assert seen[moment]["built"] == [] and not seen[moment]["idle_lock"], moment
    assert seen["painted"]["navigation"] >= 6  # the administrator's pages
    assert "69" in seen["painted"]["status"][0]  # "Facility №69"
    assert "Админов Админ" in seen["painted"]["status"][1]
    page = seen["page"]
    assert page["built"] == ["events"] and page["idle_lock"]  # right after the paint
    assert "sqlalchemy" in page["heavy"] and "db.models" in page["heavy"]
