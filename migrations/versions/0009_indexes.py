"""indexes for every list's filter and sort; ranker runs get a kind (learning runs in the worker)

Revision ID: 0009_indexes
Revises: 0008
Create Date: 2026-12-02 01:10:00

Each index is there because EXPLAIN on the 20,000-volunteer data showed a page reading a whole
table or sorting all of it (docs/performance.md). On PostgreSQL they are built without CONCURRENTLY:
the tables are small enough (seconds at this scale) and a migration runs in one transaction.
"""
from alembic import op
import sqlalchemy as sa


revision = '0009_indexes'
down_revision = '0009_second_factor'
branch_labels = None
depends_on = None

INDEXES = [
    ('needs', 'ix_needs_status_published_at', ['status', 'published_at', 'id']),
    ('needs', 'ix_needs_charity_id_created_at', ['charity_id', 'created_at']),
    ('need_skills', 'ix_need_skills_skill_id_need_id', ['skill_id', 'need_id']),
    ('need_causes', 'ix_need_causes_cause_id_need_id', ['cause_id', 'need_id']),
    ('matches', 'ix_matches_volunteer_id_updated_at', ['volunteer_id', 'updated_at']),
    ('matches', 'ix_matches_state_created_at', ['state', 'created_at']),
    ('matches', 'ix_matches_state_updated_at', ['state', 'updated_at']),
    ('matches', 'ix_matches_source_created_at', ['source', 'created_at']),
    ('users', 'ix_users_created_at', ['created_at', 'id']),
    ('charities', 'ix_charities_status_created_at', ['status', 'created_at']),
]


def upgrade():
    with op.batch_alter_table('ranker_runs', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                'kind',
                sa.Enum('propose', 'learn', name='runkind', native_enum=False, length=16),
                server_default='propose',
                nullable=False,
            )
        )
        batch_op.create_index('ix_ranker_runs_kind_id', ['kind', 'id'], unique=False)
    for table, name, columns in INDEXES:
        op.create_index(name, table, columns, unique=False)


def downgrade():
    for table, name, _columns in reversed(INDEXES):
        op.drop_index(name, table_name=table)
    with op.batch_alter_table('ranker_runs', schema=None) as batch_op:
        batch_op.drop_index('ix_ranker_runs_kind_id')
        batch_op.drop_column('kind')
