"""staff console: the digest opt-out, and where the ranker put a proposal

Revision ID: 0009_staff_console
Revises: 0008
Create Date: 2026-12-02 01:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009_staff_console'
down_revision = '0009_indexes'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('staff_digest_opt_out', sa.Boolean(), nullable=False,
                      server_default=sa.false())
        )
    with op.batch_alter_table('matches', schema=None) as batch_op:
        # Older ranker proposals have neither: the reports count them as "not recorded".
        batch_op.add_column(sa.Column('rank_position', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('weights_version', sa.Integer(), nullable=True))


def downgrade():
    with op.batch_alter_table('matches', schema=None) as batch_op:
        batch_op.drop_column('weights_version')
        batch_op.drop_column('rank_position')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('staff_digest_opt_out')
