"""person sort key in Kazakh alphabetical order

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29 06:01:42.164758
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel  # noqa: F401  (autogenerate writes sqlmodel.sql.sqltypes.AutoString)
from alembic import op

from db.collation import person_sort_key

revision: str = '0002'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # server_default lets the table rebuild copy existing rows; they get their key right after
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sort_key', sqlmodel.sql.sqltypes.AutoString(),
                                      nullable=False, server_default=""))
        batch_op.create_index(batch_op.f('ix_person_sort_key'), ['sort_key'], unique=False)
    connection = op.get_bind()
    rows = connection.execute(sa.text("SELECT id, surname, name, patronymic FROM person"))
    keys = [{"id": r.id, "key": person_sort_key(r.surname, r.name, r.patronymic)} for r in rows]
    if keys:
        connection.execute(sa.text("UPDATE person SET sort_key = :key WHERE id = :id"), keys)


def downgrade() -> None:
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_person_sort_key'))
        batch_op.drop_column('sort_key')
