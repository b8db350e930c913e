"""person search: an FTS5 trigram index over person.search_key

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29 09:00:00

A name fragment was found by `search_key LIKE '%fragment%'`, which reads every person: about
0.3 s on a region's ten years (100,000 persons). The trigram index finds a fragment of three
characters or more through the index. It holds trigrams only ("external content"): the text
stays in person.search_key, and three triggers keep the index in step with the table.

A later migration that rebuilds the person table (batch mode: create, copy, drop, rename) drops
these triggers with the old table: it must create them again (`create_triggers`) and rebuild
the index (`rebuild`).
"""
from collections.abc import Sequence

from alembic import op

revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TRIGGERS = {
    "person_search_ai": "AFTER INSERT ON person BEGIN "
                        "INSERT INTO person_search(rowid, search_key) "
                        "VALUES (new.id, new.search_key); END",
    "person_search_ad": "AFTER DELETE ON person BEGIN "
                        "INSERT INTO person_search(person_search, rowid, search_key) "
                        "VALUES ('delete', old.id, old.search_key); END",
    "person_search_au": "AFTER UPDATE OF id, search_key ON person BEGIN "
                        "INSERT INTO person_search(person_search, rowid, search_key) "
                        "VALUES ('delete', old.id, old.search_key); "
                        "INSERT INTO person_search(rowid, search_key) "
                        "VALUES (new.id, new.search_key); END",
}


def create_triggers() -> None:
    for name, body in TRIGGERS.items():
        op.execute(f"CREATE TRIGGER {name} {body}")


def rebuild() -> None:
    """Index every existing person (an upgraded database has many)."""
    op.execute("INSERT INTO person_search(person_search) VALUES ('rebuild')")


def upgrade() -> None:
    op.execute("CREATE VIRTUAL TABLE person_search USING fts5(search_key, content='person', "
               "content_rowid='id', tokenize='trigram')")
    create_triggers()
    rebuild()


def downgrade() -> None:
    for name in TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.execute("DROP TABLE IF EXISTS person_search")
