"""text embeddings for the ranker's semantic signal

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 01:50:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'text_embeddings',
        sa.Column('kind', sa.Enum('volunteer', 'need', name='embeddingkind', native_enum=False,
                                  length=16), nullable=False),
        sa.Column('object_id', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('model', sa.String(length=64), nullable=False),
        sa.Column('text_key', sa.String(length=40), nullable=False),
        sa.Column('vector', sa.LargeBinary(), nullable=False),
        sa.Column('mentions', sa.JSON(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('kind', 'object_id'),
    )


def downgrade():
    op.drop_table('text_embeddings')
