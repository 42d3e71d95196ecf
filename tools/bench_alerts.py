"""Role alerts at scale: `make bench-alerts`.

Seeds (once) 20,000 volunteers and 500 new open roles in a PostgreSQL database of its own
(BENCH_ALERTS_DATABASE_URL, default trustee_bench_alerts on 127.0.0.1; never the tests'
`test`), opts every volunteer in to instant alerts, forgets earlier runs' alerts, then runs the
alert job twice as `flask alerts send` does. Prints each run's time and how many emails it
queued (the second run must queue none), and as the last line one JSON object.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, delete, func, select, text, update  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/trustee_bench_alerts"
VOLUNTEERS = 20_000
NEW_ROLES = 500


def _say(message: str) -> None:
    print(message, flush=True)


def _ensure_database(url: str) -> None:
    parsed = make_url(url)
    if parsed.get_backend_name() != "postgresql":
        return
    if parsed.database in {"test", None}:
        raise SystemExit("bench-alerts needs a database of its own, not the tests' 'test'")
    admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        found = conn.scalar(
            text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": parsed.database}
        )
        if not found:
            conn.execute(text(f'CREATE DATABASE "{parsed.database}"'))
    admin.dispose()


def _app(url: str):
    from config import Config
    from trustee_match import create_app

    class BenchConfig(Config):
        SQLALCHEMY_DATABASE_URI = url
        SECRET_KEY = "bench-only"  # noqa: S105
        RATELIMIT_ENABLED = False
        RUN_OUTBOX_WORKER_IN_PROCESS = False
        SERVER_NAME = "localhost"

    return create_app(BenchConfig)


def _prepare(app) -> dict:
    """Seed once; then every volunteer wants instant alerts, 500 roles are new, none sent."""
    from flask_migrate import upgrade

    from trustee_match.extensions import db
    from trustee_match.models import (
        AlertFrequency,
        Charity,
        CharityStatus,
        Need,
        NeedStatus,
        OutboxMessage,
        SentAlert,
        VolunteerProfile,
    )
    from trustee_match.models.base import utcnow
    from trustee_match.seed.demo import is_empty_database, seed_demo
    from trustee_match.services.taxonomy import load_taxonomy

    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))
        load_taxonomy()
        if is_empty_database():
            _say(f"Seeding {VOLUNTEERS} volunteers and {NEW_ROLES} roles (once, a few minutes)...")
            started = time.perf_counter()
            seed_demo(
                progress=lambda line: _say(f"  {line}"),
                volunteers=VOLUNTEERS,
                charities=120,
                needs=NEW_ROLES,
            )
            _say(f"  seeded in {time.perf_counter() - started:.0f} s")
        session = db.session
        session.execute(update(Charity).values(status=CharityStatus.VERIFIED))
        session.execute(
            update(Need).values(status=NeedStatus.OPEN, published_at=utcnow(), closing_date=None)
        )
        session.execute(
            update(VolunteerProfile).values(
                alert_frequency=AlertFrequency.INSTANT, paused_until=None
            )
        )
        session.execute(delete(SentAlert))
        session.execute(delete(OutboxMessage).where(OutboxMessage.kind == "role_alert"))
        session.commit()
        counts = {
            "volunteers": session.scalar(select(func.count()).select_from(VolunteerProfile)),
            "new_roles": session.scalar(select(func.count()).select_from(Need)),
        }
        db.session.remove()
    return counts


def _run(app) -> tuple[int, int, float]:
    from trustee_match.extensions import db
    from trustee_match.services.alerts import send_alerts

    with app.app_context():
        started = time.perf_counter()
        run = send_alerts(digest=False)
        elapsed = time.perf_counter() - started
        db.session.remove()
    return run.emails, run.roles, elapsed


def main() -> None:
    url = os.environ.get("BENCH_ALERTS_DATABASE_URL", DEFAULT_URL)
    _ensure_database(url)
    app = _app(url)
    counts = _prepare(app)
    _say(f"{counts['volunteers']} volunteers opted in, {counts['new_roles']} new roles")
    # The first run also builds this process's ranker index, as a worker's first tick would.
    first = _run(app)
    _say(f"run 1: queued {first[0]} emails about {first[1]} new roles in {first[2]:.1f} s")
    second = _run(app)
    _say(f"run 2: queued {second[0]} emails in {second[2]:.1f} s (must be 0)")
    result = {
        **counts,
        "run1_emails": first[0],
        "run1_seconds": round(first[2], 1),
        "run2_emails": second[0],
        "run2_seconds": round(second[2], 1),
    }
    print(json.dumps(result))
    if second[0] != 0:
        raise SystemExit("the second run queued emails: alerts repeated a role")


if __name__ == "__main__":
    main()
