"""Reading the audit log for the staff page: filters and the choices they offer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import Select, select
from sqlalchemy.orm import joinedload

from ..extensions import db
from ..models import AuditEntry, Role, User


@dataclass(frozen=True)
class AuditFilters:
    actor: str = ""  # a user id, "system" (no actor), or "" (anyone)
    action: str = ""
    target_type: str = ""
    target_id: int | None = None
    since: date | None = None
    until: date | None = None


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def audit_query(filters: AuditFilters) -> Select:
    """Entries matching the filters, newest first, with who did each; to paginate."""
    query = select(AuditEntry).options(joinedload(AuditEntry.actor))
    if filters.actor == "system":
        query = query.where(AuditEntry.actor_id.is_(None))
    elif filters.actor.isdigit():
        query = query.where(AuditEntry.actor_id == int(filters.actor))
    if filters.action:
        query = query.where(AuditEntry.action == filters.action)
    if filters.target_type:
        query = query.where(AuditEntry.target_type == filters.target_type)
    if filters.target_id is not None:
        query = query.where(AuditEntry.target_id == filters.target_id)
    if filters.since:
        query = query.where(AuditEntry.created_at >= _day_start(filters.since))
    if filters.until:
        query = query.where(AuditEntry.created_at < _day_start(filters.until + timedelta(days=1)))
    return query.order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())


def audit_choices() -> tuple[list[tuple[str, str]], list[str]]:
    """(staff to choose from as (id, email), the actions the log holds): two queries."""
    staff = db.session.execute(
        select(User.id, User.email).where(User.role == Role.STAFF).order_by(User.email)
    ).all()
    actions = db.session.scalars(
        select(AuditEntry.action).distinct().order_by(AuditEntry.action)
    ).all()
    return [(str(i), email) for i, email in staff], list(actions)
