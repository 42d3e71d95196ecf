"""/healthz: what a load balancer reads; 200 while healthy, 503 with the failing check."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import text

from trustee_match.email import queue_email
from trustee_match.extensions import db
from trustee_match.models import OutboxMessage
from trustee_match.models.base import utcnow

from .factories import VolunteerFactory


def test_a_healthy_site_answers_200_with_every_check_and_no_cache(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    body = response.json
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "migrations", "outbox", "ranker_index"}
    assert body["checks"]["migrations"]["at_head"] is True
    assert body["checks"]["outbox"]["backlog_age_seconds"] == 0.0
    assert body["checks"]["ranker_index"]["built"] is False


def test_health_needs_no_login_and_shows_no_personal_data(client):
    volunteer = VolunteerFactory(email="priya.shah@example.org")
    queue_email("verify_email", volunteer, subject="Confirm", name="Priya", link="http://x/y")
    db.session.commit()
    text_of_page = client.get("/healthz").get_data(as_text=True)
    assert "priya" not in text_of_page.lower()
    assert "example.org" not in text_of_page


def test_an_outbox_stuck_for_too_long_makes_it_unhealthy(app, client):
    volunteer = VolunteerFactory()
    queue_email("verify_email", volunteer, subject="Confirm", name="Priya", link="http://x/y")
    db.session.commit()
    message = db.session.scalar(db.select(OutboxMessage))
    message.next_attempt_at = utcnow() - timedelta(hours=1)
    db.session.commit()
    response = client.get("/healthz")
    assert response.status_code == 503
    outbox = response.json["checks"]["outbox"]
    assert outbox["ok"] is False
    assert outbox["backlog_age_seconds"] >= 3600
    # An email whose next try is still ahead (a retry backing off) is not a backlog.
    message.next_attempt_at = utcnow() + timedelta(minutes=5)
    db.session.commit()
    assert client.get("/healthz").status_code == 200


def test_a_database_behind_the_migrations_is_unhealthy(client):
    [(version,)] = db.session.execute(text("SELECT version_num FROM alembic_version")).all()
    db.session.execute(text("UPDATE alembic_version SET version_num = '0001_initial_schema'"))
    db.session.commit()
    try:
        response = client.get("/healthz")
        assert response.status_code == 503
        assert response.json["status"] == "unhealthy"
        assert response.json["checks"]["migrations"]["at_head"] is False
    finally:
        db.session.execute(text("UPDATE alembic_version SET version_num = :v"), {"v": version})
        db.session.commit()


def test_an_unreachable_database_is_unhealthy_not_an_error_page(app, client, monkeypatch):
    from trustee_match import health

    def down():
        raise ConnectionError("connection refused")

    monkeypatch.setattr(health, "check_database", down)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json["checks"] == {"database": {"ok": False, "error": "unreachable"}}


def test_a_built_ranker_index_reports_its_age(app, client):
    from trustee_match.ranking.live_index import live_index

    live_index().get()
    index = client.get("/healthz").json["checks"]["ranker_index"]
    assert index["built"] is True
    assert index["age_seconds"] >= 0
    assert index["synced_seconds_ago"] is not None
