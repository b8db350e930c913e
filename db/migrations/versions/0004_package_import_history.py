"""package import history

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29 07:42:06.426168
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel  # noqa: F401  (autogenerate writes sqlmodel.sql.sqltypes.AutoString)
from alembic import op


revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A new table only: no existing table is rebuilt, so no rows can be lost on upgrade.
    op.create_table('package_import',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
    sa.Column('facility_id', sa.Integer(), nullable=True),
    sa.Column('month', sqlmodel.sql.sqltypes.AutoString(length=7), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=True),
    sa.Column('file_name', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.Column('sha256', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('imported_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('imported_by', sqlmodel.sql.sqltypes.AutoString(length=50), nullable=False),
    sa.Column('result', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('message', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.ForeignKeyConstraint(['facility_id'], ['facility.id'], name=op.f('fk_package_import_facility_id_facility')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_package_import'))
    )
    with op.batch_alter_table('package_import', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_package_import_facility_id'), ['facility_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_package_import_uuid'), ['uuid'], unique=True)



def downgrade() -> None:
    with op.batch_alter_table('package_import', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_package_import_uuid'))
        batch_op.drop_index(batch_op.f('ix_package_import_facility_id'))

    op.drop_table('package_import')
