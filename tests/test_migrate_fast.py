"""Opening an up-to-date database checks its revision with sqlite3 alone: neither Alembic nor
SQLAlchemy is imported until a session starts (they cost about half a second at start-up)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from db.database import open_database
from db.migrate import head_revision, is_at_head, script_head, stored_revision

ROOT = Path(__file__).resolve().parent.parent


def test_migrate_fast_script_head_is_alembics_head() -> None:
    assert script_head() == head_revision()


def test_migrate_fast_revision_read_with_sqlite3(tmp_path: Path) -> None:
    path = tmp_path / "m.db"
    assert stored_revision(path) is None and not is_at_head(path)  # no file: not created
    assert not path.exists()
    open_database(path, create=True).dispose()
    assert stored_revision(path) == head_revision()
    assert is_at_head(path)
    (tmp_path / "notes.db").write_text("not a database", encoding="utf-8")
    assert stored_revision(tmp_path / "notes.db") is None


def test_migrate_fast_open_imports_neither_alembic_nor_sqlalchemy(tmp_path: Path) -> None:
    path = tmp_path / "m.db"
    open_database(path, create=True).dispose()
    code = (
        "import sys\n"
        "from db.database import open_database\n"
        f"database = open_database({str(path)!r})\n"
        "print(sorted(m for m in ('alembic', 'sqlalchemy', 'sqlmodel') if m in sys.modules))\n"
        "with database.session() as session:\n"
        "    session.connection().exec_driver_sql('SELECT 1')\n"
        "print('sqlalchemy' in sys.modules)\n"
        "database.dispose()\n")
    env = dict(os.environ, QADAM_DATA_DIR=str(tmp_path / "data"))
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[:2] == ["[]", "True"]
