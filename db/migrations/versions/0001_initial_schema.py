"""initial schema

Revision ID: 0001
Revises: 
Create Date: 2026-11-29 05:31:31.649620
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel  # noqa: F401  (autogenerate writes sqlmodel.sql.sqltypes.AutoString)
from alembic import op


revision: str = '0001'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


AUDIT_TRIGGERS = {
    "audit_entry_no_update": "BEFORE UPDATE ON audit_entry",
    "audit_entry_no_delete": "BEFORE DELETE ON audit_entry",
}


def upgrade() -> None:
    op.create_table('app_user',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
    sa.Column('login', sqlmodel.sql.sqltypes.AutoString(length=50), nullable=False),
    sa.Column('full_name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('position', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('role', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('password_hash', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('must_change_password', sa.Boolean(), nullable=False),
    sa.Column('failed_logins', sa.Integer(), nullable=False),
    sa.Column('locked_until', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_app_user'))
    )
    with op.batch_alter_table('app_user', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_app_user_login'), ['login'], unique=True)
        batch_op.create_index(batch_op.f('ix_app_user_uuid'), ['uuid'], unique=True)

    op.create_table('audit_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('user_login', sqlmodel.sql.sqltypes.AutoString(length=50), nullable=False),
    sa.Column('action', sqlmodel.sql.sqltypes.AutoString(length=30), nullable=False),
    sa.Column('table_name', sqlmodel.sql.sqltypes.AutoString(length=50), nullable=False),
    sa.Column('record_uuid', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
    sa.Column('changes', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('details', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_entry'))
    )
    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_entry_action'), ['action'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_entry_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_entry_record_uuid'), ['record_uuid'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_entry_user_login'), ['user_login'], unique=False)

    op.create_table('database_setting',
    sa.Column('key', sqlmodel.sql.sqltypes.AutoString(length=50), nullable=False),
    sa.Column('value', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_database_setting'))
    )
    op.create_table('facility',
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('facility_type', sqlmodel.sql.sqltypes.AutoString(length=30), nullable=False),
    sa.Column('region', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
    sa.Column('code', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('retired', sa.Boolean(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_facility'))
    )
    with op.batch_alter_table('facility', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_facility_code'), ['code'], unique=True)
        batch_op.create_index(batch_op.f('ix_facility_uuid'), ['uuid'], unique=True)

    op.create_table('reference_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
    sa.Column('list_name', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('code', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('name_ru', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('name_kk', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.Column('retired', sa.Boolean(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reference_item')),
    sa.UniqueConstraint('list_name', 'code', name='uq_reference_item_list_code')
    )
    with op.batch_alter_table('reference_item', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reference_item_list_name'), ['list_name'], unique=False)
        batch_op.create_index(batch_op.f('ix_reference_item_uuid'), ['uuid'], unique=True)

    op.create_table('event',
    sa.Column('event_time', sa.Time(), nullable=True),
    sa.Column('place_kind', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('facility_id', sa.Integer(), nullable=False),
    sa.Column('event_date', sa.Date(), nullable=False),
    sa.Column('place_facility_id', sa.Integer(), nullable=True),
    sa.Column('place_text', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('kind_id', sa.Integer(), nullable=False),
    sa.Column('responsible', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('speakers', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('count_serving', sa.Integer(), nullable=False),
    sa.Column('count_released', sa.Integer(), nullable=False),
    sa.Column('count_community', sa.Integer(), nullable=False),
    sa.Column('materials_count', sa.Integer(), nullable=False),
    sa.Column('materials', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('wants_to_volunteer', sa.Integer(), nullable=False),
    sa.Column('notes', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
    sa.Column('search_key', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['facility_id'], ['facility.id'], name=op.f('fk_event_facility_id_facility')),
    sa.ForeignKeyConstraint(['kind_id'], ['reference_item.id'], name=op.f('fk_event_kind_id_reference_item')),
    sa.ForeignKeyConstraint(['place_facility_id'], ['facility.id'], name=op.f('fk_event_place_facility_id_facility')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_event'))
    )
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_event_date'), ['event_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_event_facility_id'), ['facility_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_event_kind_id'), ['kind_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_event_place_facility_id'), ['place_facility_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_event_uuid'), ['uuid'], unique=True)

    op.create_table('person',
    sa.Column('surname', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('patronymic', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('birth_date', sa.Date(), nullable=True),
    sa.Column('sex', sqlmodel.sql.sqltypes.AutoString(length=1), nullable=True),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('release_date', sa.Date(), nullable=True),
    sa.Column('phone', sqlmodel.sql.sqltypes.AutoString(length=30), nullable=False),
    sa.Column('district', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('notes', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
    sa.Column('iin', sqlmodel.sql.sqltypes.AutoString(length=12), nullable=True),
    sa.Column('facility_id', sa.Integer(), nullable=True),
    sa.Column('search_key', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['facility_id'], ['facility.id'], name=op.f('fk_person_facility_id_facility')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_person'))
    )
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_person_facility_id'), ['facility_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_person_iin'), ['iin'], unique=True)
        batch_op.create_index(batch_op.f('ix_person_search_key'), ['search_key'], unique=False)
        batch_op.create_index(batch_op.f('ix_person_uuid'), ['uuid'], unique=True)

    op.create_table('event_agency',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('agency_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['agency_id'], ['reference_item.id'], name=op.f('fk_event_agency_agency_id_reference_item')),
    sa.ForeignKeyConstraint(['event_id'], ['event.id'], name=op.f('fk_event_agency_event_id_event'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_event_agency')),
    sa.UniqueConstraint('event_id', 'agency_id', name='uq_event_agency_pair')
    )
    with op.batch_alter_table('event_agency', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_agency_agency_id'), ['agency_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_event_agency_event_id'), ['event_id'], unique=False)

    op.create_table('event_attendee',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('category', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['event.id'], name=op.f('fk_event_attendee_event_id_event'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_event_attendee_person_id_person')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_event_attendee')),
    sa.UniqueConstraint('event_id', 'person_id', name='uq_event_attendee_pair')
    )
    with op.batch_alter_table('event_attendee', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_attendee_event_id'), ['event_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_event_attendee_person_id'), ['person_id'], unique=False)

    op.create_table('event_topic',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('topic_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['event.id'], name=op.f('fk_event_topic_event_id_event'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['topic_id'], ['reference_item.id'], name=op.f('fk_event_topic_topic_id_reference_item')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_event_topic')),
    sa.UniqueConstraint('event_id', 'topic_id', name='uq_event_topic_pair')
    )
    with op.batch_alter_table('event_topic', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_topic_event_id'), ['event_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_event_topic_topic_id'), ['topic_id'], unique=False)

    op.create_table('outcome',
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=30), nullable=False),
    sa.Column('article_id', sa.Integer(), nullable=True),
    sa.Column('notes', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('outcome_date', sa.Date(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['article_id'], ['reference_item.id'], name=op.f('fk_outcome_article_id_reference_item')),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_outcome_person_id_person')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outcome'))
    )
    with op.batch_alter_table('outcome', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outcome_outcome_date'), ['outcome_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_outcome_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_outcome_uuid'), ['uuid'], unique=True)

    op.create_table('person_article',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('article_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['article_id'], ['reference_item.id'], name=op.f('fk_person_article_article_id_reference_item')),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_person_article_person_id_person'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_person_article')),
    sa.UniqueConstraint('person_id', 'article_id', name='uq_person_article_pair')
    )
    with op.batch_alter_table('person_article', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_person_article_article_id'), ['article_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_person_article_person_id'), ['person_id'], unique=False)

    op.create_table('volunteer',
    sa.Column('enrolled_on', sa.Date(), nullable=False),
    sa.Column('consent_number', sqlmodel.sql.sqltypes.AutoString(length=50), nullable=False),
    sa.Column('consent_date', sa.Date(), nullable=True),
    sa.Column('coordinator', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('exit_date', sa.Date(), nullable=True),
    sa.Column('exit_reason', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('notes', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('facility_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['facility_id'], ['facility.id'], name=op.f('fk_volunteer_facility_id_facility')),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_volunteer_person_id_person')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_volunteer'))
    )
    with op.batch_alter_table('volunteer', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_volunteer_facility_id'), ['facility_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_volunteer_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_volunteer_uuid'), ['uuid'], unique=True)

    op.create_table('participation',
    sa.Column('role', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('hours', sa.Float(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
    sa.Column('volunteer_id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['event.id'], name=op.f('fk_participation_event_id_event')),
    sa.ForeignKeyConstraint(['volunteer_id'], ['volunteer.id'], name=op.f('fk_participation_volunteer_id_volunteer')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_participation')),
    sa.UniqueConstraint('volunteer_id', 'event_id', name='uq_participation_volunteer_event')
    )
    with op.batch_alter_table('participation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_participation_event_id'), ['event_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_participation_uuid'), ['uuid'], unique=True)
        batch_op.create_index(batch_op.f('ix_participation_volunteer_id'), ['volunteer_id'], unique=False)


    # The audit trail is append-only, whoever writes to the file.
    for name, when in AUDIT_TRIGGERS.items():
        op.execute(f"CREATE TRIGGER {name} {when} BEGIN "
                   "SELECT RAISE(ABORT, 'audit_entry is append-only'); END")


def downgrade() -> None:
    for name in AUDIT_TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    with op.batch_alter_table('participation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_participation_volunteer_id'))
        batch_op.drop_index(batch_op.f('ix_participation_uuid'))
        batch_op.drop_index(batch_op.f('ix_participation_event_id'))

    op.drop_table('participation')
    with op.batch_alter_table('volunteer', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_volunteer_uuid'))
        batch_op.drop_index(batch_op.f('ix_volunteer_person_id'))
        batch_op.drop_index(batch_op.f('ix_volunteer_facility_id'))

    op.drop_table('volunteer')
    with op.batch_alter_table('person_article', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_person_article_person_id'))
        batch_op.drop_index(batch_op.f('ix_person_article_article_id'))

    op.drop_table('person_article')
    with op.batch_alter_table('outcome', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outcome_uuid'))
        batch_op.drop_index(batch_op.f('ix_outcome_person_id'))
        batch_op.drop_index(batch_op.f('ix_outcome_outcome_date'))

    op.drop_table('outcome')
    with op.batch_alter_table('event_topic', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_event_topic_topic_id'))
        batch_op.drop_index(batch_op.f('ix_event_topic_event_id'))

    op.drop_table('event_topic')
    with op.batch_alter_table('event_attendee', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_event_attendee_person_id'))
        batch_op.drop_index(batch_op.f('ix_event_attendee_event_id'))

    op.drop_table('event_attendee')
    with op.batch_alter_table('event_agency', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_event_agency_event_id'))
        batch_op.drop_index(batch_op.f('ix_event_agency_agency_id'))

    op.drop_table('event_agency')
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_person_uuid'))
        batch_op.drop_index(batch_op.f('ix_person_search_key'))
        batch_op.drop_index(batch_op.f('ix_person_iin'))
        batch_op.drop_index(batch_op.f('ix_person_facility_id'))

    op.drop_table('person')
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_event_uuid'))
        batch_op.drop_index(batch_op.f('ix_event_place_facility_id'))
        batch_op.drop_index(batch_op.f('ix_event_kind_id'))
        batch_op.drop_index(batch_op.f('ix_event_facility_id'))
        batch_op.drop_index(batch_op.f('ix_event_event_date'))

    op.drop_table('event')
    with op.batch_alter_table('reference_item', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reference_item_uuid'))
        batch_op.drop_index(batch_op.f('ix_reference_item_list_name'))

    op.drop_table('reference_item')
    with op.batch_alter_table('facility', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_facility_uuid'))
        batch_op.drop_index(batch_op.f('ix_facility_code'))

    op.drop_table('facility')
    op.drop_table('database_setting')
    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_entry_user_login'))
        batch_op.drop_index(batch_op.f('ix_audit_entry_record_uuid'))
        batch_op.drop_index(batch_op.f('ix_audit_entry_at'))
        batch_op.drop_index(batch_op.f('ix_audit_entry_action'))

    op.drop_table('audit_entry')
    with op.batch_alter_table('app_user', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_app_user_uuid'))
        batch_op.drop_index(batch_op.f('ix_app_user_login'))

    op.drop_table('app_user')
