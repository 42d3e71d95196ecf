"""trigram indexes for the staff's searches (names, headlines, emails, role titles, charities),
and open roles by title

Revision ID: 0010_search_indexes
Revises: 0009_self_service
"""

from alembic import op

revision = "0010_search_indexes"
down_revision = "0009_self_service"
branch_labels = None
depends_on = None

# (index, table, expression): what trustee_match/models declares with trigram_index().
INDEXES = (
    ("ix_volunteer_profiles_name_trgm", "volunteer_profiles", "lower(display_name)"),
    ("ix_volunteer_profiles_headline_trgm", "volunteer_profiles", "lower(headline)"),
    ("ix_users_email_trgm", "users", "email"),
    ("ix_needs_title_trgm", "needs", "lower(title)"),
    ("ix_charities_name_trgm", "charities", "lower(name)"),
)


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return  # SQLite (development) searches without them
    # pg_trgm is a trusted extension (PostgreSQL 13+): the database's owner may create it.
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, table, expression in INDEXES:
        op.execute(f"CREATE INDEX {name} ON {table} USING gin ({expression} gin_trgm_ops)")
    op.execute(
        "CREATE INDEX ix_needs_open_by_title ON needs (lower(title), id) WHERE status = 'open'"
    )


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP INDEX IF EXISTS ix_needs_open_by_title")
    for name, _table, _expression in INDEXES:
        op.execute(f"DROP INDEX IF EXISTS {name}")
    # The extension stays: something else in the database may use it.
