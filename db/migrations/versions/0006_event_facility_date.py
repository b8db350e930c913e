"""event: one index on (facility_id, event_date) instead of facility_id alone

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29 09:00:00

Reports and lists read a facility's events of a period: with an index on the facility alone,
SQLite read every event the facility ever held (ten years of them) to keep one month's. The
composite index reads the period's range only, and still serves lookups by facility alone.
"""
from collections.abc import Sequence

from alembic import op

revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Index changes only: no table is rebuilt, so no rows can be lost on upgrade.
    op.create_index('ix_event_facility_id_event_date', 'event', ['facility_id', 'event_date'])
    op.drop_index('ix_event_facility_id', table_name='event')


def downgrade() -> None:
    op.create_index('ix_event_facility_id', 'event', ['facility_id'])
    op.drop_index('ix_event_facility_id_event_date', table_name='event')
