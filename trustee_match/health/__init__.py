"""`/healthz`: what a load balancer needs to know about this process and what it depends on.

Each check answers in one cheap query (or none) and says only figures and plain states, no
personal data; the page needs no login and is never cached. 200 when every check passes, 503
when any fails, so a balancer takes the process out of rotation and a monitor can say why.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import datetime

from alembic.script import ScriptDirectory
from flask import Blueprint, Flask, current_app, jsonify
from sqlalchemy import func, select, text
from werkzeug.wrappers import Response

from ..extensions import db
from ..models import OutboxMessage, OutboxStatus
from ..models.base import utcnow

log = logging.getLogger(__name__)

bp = Blueprint("health", __name__)


@dataclass(frozen=True)
class Check:
    ok: bool
    detail: dict


def _seconds_since(moment: datetime | None, now: datetime) -> float | None:
    return None if moment is None else round(max(0.0, (now - moment).total_seconds()), 1)


def _script_heads(app: Flask) -> set[str]:
    # The migration files do not change while a process runs: read them once.
    heads = app.extensions.get("health_migration_heads")
    if heads is None:
        migrate = app.extensions["migrate"]
        config = migrate.migrate.get_config(migrate.directory)
        heads = set(ScriptDirectory.from_config(config).get_heads())
        app.extensions["health_migration_heads"] = heads
    return heads


def check_database() -> Check:
    started = time.perf_counter()
    db.session.execute(text("SELECT 1"))
    return Check(True, {"ok": True, "ms": round((time.perf_counter() - started) * 1000, 1)})


def check_migrations() -> Check:
    heads = _script_heads(current_app._get_current_object())  # type: ignore[attr-defined]
    try:
        # A savepoint: a missing table must not spoil the session for the checks after it.
        with db.session.begin_nested():
            applied = set(db.session.scalars(text("SELECT version_num FROM alembic_version")))
    except Exception:
        applied = set()
    ok = applied == heads
    return Check(ok, {"ok": ok, "at_head": ok, "applied": sorted(applied), "head": sorted(heads)})


def check_outbox(now: datetime) -> Check:
    """How long the oldest email that is due has waited: a stalled outbox worker shows here."""
    oldest_due = db.session.scalar(
        select(func.min(OutboxMessage.next_attempt_at)).where(
            OutboxMessage.status == OutboxStatus.PENDING, OutboxMessage.next_attempt_at <= now
        )
    )
    age = _seconds_since(oldest_due, now)
    limit = current_app.config["HEALTH_OUTBOX_MAX_AGE_SECONDS"]
    ok = age is None or age <= limit
    return Check(ok, {"ok": ok, "backlog_age_seconds": age or 0.0, "limit_seconds": limit})


def check_ranker_index() -> Check:
    """This process's ranker index: how old, and whether it still reads the change log. A
    process that has not built it yet is healthy (it builds on first use)."""
    from ..ranking.live_index import live_index

    holder = live_index()
    status = holder.status()
    if status.built_at is None:
        return Check(True, {"ok": True, "built": False, "rebuilding": status.rebuilding})
    stale_after = max(1.0, float(current_app.config["RANKER_SYNC_SECONDS"]))
    synced_ago = status.synced_seconds_ago
    if synced_ago is None or synced_ago >= stale_after:
        holder.sync()  # what the next page would do; if it fails, so would that page
        synced_ago = holder.status().synced_seconds_ago
    return Check(
        True,
        {
            "ok": True,
            "built": True,
            "age_seconds": _seconds_since(status.built_at, utcnow()),
            "synced_seconds_ago": synced_ago,
            "volunteers": status.volunteers,
            "needs": status.needs,
            "rebuilding": status.rebuilding,
        },
    )


@bp.route("/healthz")
def healthz() -> Response:
    now = utcnow()
    checks: dict[str, Check] = {}
    try:
        checks["database"] = check_database()
    except Exception as error:
        db.session.rollback()
        log.warning("health: database unreachable: %s", type(error).__name__)
        checks["database"] = Check(False, {"ok": False, "error": "unreachable"})
    if checks["database"].ok:
        for name, run in (
            ("migrations", check_migrations),
            ("outbox", lambda: check_outbox(now)),
            ("ranker_index", check_ranker_index),
        ):
            try:
                checks[name] = run()
            except Exception as error:
                db.session.rollback()
                log.warning("health: %s check failed: %s", name, type(error).__name__)
                checks[name] = Check(False, {"ok": False, "error": "check failed"})
    db.session.rollback()  # end the read transaction; nothing here writes
    healthy = all(check.ok for check in checks.values())
    response = jsonify(
        status="ok" if healthy else "unhealthy",
        checks={name: check.detail for name, check in checks.items()},
    )
    response.status_code = 200 if healthy else 503
    response.headers["Cache-Control"] = "no-store"
    return response
