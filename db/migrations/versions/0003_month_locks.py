"""month locks and their revisions

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29 06:35:34.447961
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel  # noqa: F401  (autogenerate writes sqlmodel.sql.sqltypes.AutoString)
from alembic import op


revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # New tables only: no existing table is rebuilt, so no rows can be lost on upgrade.
    op.create_table('month_lock',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
    sa.Column('facility_id', sa.Integer(), nullable=False),
    sa.Column('month', sqlmodel.sql.sqltypes.AutoString(length=7), nullable=False),
    sa.Column('locked_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('locked_by', sqlmodel.sql.sqltypes.AutoString(length=50), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['facility_id'], ['facility.id'], name=op.f('fk_month_lock_facility_id_facility')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_month_lock')),
    sa.UniqueConstraint('facility_id', 'month', name='uq_month_lock_facility_month')
    )
    with op.batch_alter_table('month_lock', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_month_lock_facility_id'), ['facility_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_month_lock_uuid'), ['uuid'], unique=True)

    op.create_table('month_revision',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('facility_id', sa.Integer(), nullable=False),
    sa.Column('month', sqlmodel.sql.sqltypes.AutoString(length=7), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['facility_id'], ['facility.id'], name=op.f('fk_month_revision_facility_id_facility'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_month_revision')),
    sa.UniqueConstraint('facility_id', 'month', name='uq_month_revision_facility_month')
    )
    with op.batch_alter_table('month_revision', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_month_revision_facility_id'), ['facility_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('month_revision', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_month_revision_facility_id'))

    op.drop_table('month_revision')
    with op.batch_alter_table('month_lock', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_month_lock_uuid'))
        batch_op.drop_index(batch_op.f('ix_month_lock_facility_id'))

    op.drop_table('month_lock')
