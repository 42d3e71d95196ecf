"""Escalation: the daily staff digest (opt-out per person, once a day, a CLI command and the
tick), reminders staff can see, and an expired match telling staff."""

from __future__ import annotations

import os
import threading
from datetime import timedelta

import pytest
from sqlalchemy import delete

from trustee_match.db_locks import only_one
from trustee_match.extensions import db
from trustee_match.matches.actions import approve_match, propose_match
from trustee_match.matches.schedule import process_due_matches, run_schedule
from trustee_match.models import AuditEntry, CharityStatus, OutboxMessage
from trustee_match.models.base import utcnow
from trustee_match.services.staff_digest import send_daily_digest

from ..conftest import login, outbox_for, post_form
from ..factories import CharityFactory, NeedFactory, StaffFactory, VolunteerFactory


def _kinds(email: str) -> list[str]:
    return [m.kind for m in outbox_for(email)]


def _overdue_match(staff):
    volunteer = VolunteerFactory()
    volunteer.volunteer_profile.display_name = "Priya Shah"
    match = propose_match(staff, NeedFactory(title="Data trustee"), volunteer)
    approve_match(staff, match)
    match.replies_due_at = utcnow() - timedelta(hours=2)
    match.reminded_at = utcnow() - timedelta(hours=5)
    db.session.commit()
    return match


def test_the_digest_goes_once_a_day_to_staff_who_take_it(app):
    ann = StaffFactory(email="ann@staff.org")
    StaffFactory(email="bob@staff.org", staff_digest_opt_out=True)
    StaffFactory(email="cat@staff.org", active=False)
    CharityFactory(name="Waiting Trust", status=CharityStatus.PENDING, verified_at=None)
    match = _overdue_match(ann)

    assert send_daily_digest() == 1
    [digest] = [m for m in outbox_for("ann@staff.org") if m.kind == "staff_digest"]
    assert "Charities to verify: 1" in digest.text_body
    assert "Waiting Trust, waiting 0 days" in digest.text_body
    assert "Replies overdue: 1" in digest.text_body
    assert "Reminders sent in the last day:" in digest.text_body
    assert "Priya Shah for Data trustee" in digest.text_body
    assert f"/staff/matches/{match.id}" in digest.text_body
    assert "/staff/digest" in digest.text_body  # how to stop it
    assert "staff_digest" not in _kinds("bob@staff.org") + _kinds("cat@staff.org")
    # Again the same day: nothing more.
    assert send_daily_digest() == 0
    assert _kinds("ann@staff.org").count("staff_digest") == 1
    # The next day it goes again.
    assert send_daily_digest(utcnow() + timedelta(days=1)) == 1


def test_no_digest_on_a_day_with_nothing_to_do(app):
    StaffFactory(email="ann@staff.org")
    assert send_daily_digest() == 0
    assert outbox_for("ann@staff.org") == []


def test_the_cli_command_sends_it_and_says_so(app):
    StaffFactory(email="ann@staff.org")
    CharityFactory(status=CharityStatus.PENDING, verified_at=None)
    runner = app.test_cli_runner()
    first = runner.invoke(args=["staff", "digest"])
    assert first.exit_code == 0
    assert "Queued today's staff digest to 1 staff." in first.output
    again = runner.invoke(args=["staff", "digest"])
    assert "already been queued" in again.output
    assert _kinds("ann@staff.org") == ["staff_digest"]


def test_the_scheduled_tick_sends_the_digest_once_a_day(app):
    StaffFactory(email="ann@staff.org")
    CharityFactory(status=CharityStatus.PENDING, verified_at=None)
    assert run_schedule().digests_sent == 1
    assert run_schedule().digests_sent == 0


def test_an_expired_match_tells_staff_not_only_the_sides(app):
    ann = StaffFactory(email="ann@staff.org")
    StaffFactory(email="bob@staff.org", staff_digest_opt_out=True)
    match = _overdue_match(ann)
    report = process_due_matches()
    assert report.expired == 1
    [note] = [m for m in outbox_for("ann@staff.org") if m.kind == "staff_match_expired"]
    assert "Priya Shah for Data trustee" in note.text_body
    assert note.match_id == match.id
    assert "staff_match_expired" not in _kinds("bob@staff.org")
    assert "match_expired" in _kinds(match.volunteer.email)
    # Staff see it in the match's emails, and in the next digest.
    client = app.test_client()
    login(client, ann.email)
    html = client.get(f"/staff/matches/{match.id}").get_data(as_text=True)
    assert "Lapsed: Priya Shah for Data trustee" in html
    assert "Expired in the last day" in client.get("/staff/digest").get_data(as_text=True)


def test_a_staff_member_opts_out_and_in_again_and_it_is_audited(app):
    ann = StaffFactory(email="ann@staff.org")
    client = app.test_client()
    login(client, ann.email)
    page = client.get("/staff/digest").get_data(as_text=True)
    assert '<input checked id="take_digest"' in page  # everyone starts taking it
    done = post_form(client, "/staff/digest", {}, follow_redirects=True)  # unticked
    assert "You will no longer get the daily digest" in done.get_data(as_text=True)
    db.session.refresh(ann)
    assert ann.staff_digest_opt_out is True
    assert '<input id="take_digest"' in client.get("/staff/digest").get_data(as_text=True)
    CharityFactory(status=CharityStatus.PENDING, verified_at=None)
    assert send_daily_digest() == 0  # nobody takes it now
    post_form(client, "/staff/digest", {"take_digest": "y"})
    db.session.refresh(ann)
    assert ann.staff_digest_opt_out is False
    actions = db.session.scalars(db.select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions == ["digest_opted_out", "digest_opted_in"]


on_postgresql = pytest.mark.skipif(
    not (os.environ.get("TEST_DATABASE_URL") or "").startswith("postgres"),
    reason="the lock between processes is PostgreSQL's (SQLite is the one-process dev database)",
)


@on_postgresql
def test_a_tick_while_another_runs_does_nothing_and_says_so(app):
    StaffFactory(email="ann@staff.org")
    CharityFactory(status=CharityStatus.PENDING, verified_at=None)
    _overdue_match(StaffFactory())
    with only_one("matches-tick") as mine:  # the other tick, in another process
        assert mine
        report = run_schedule()
        output = app.test_cli_runner().invoke(args=["matches", "tick"]).output
    assert report.already_running and (report.digests_sent, report.expired) == (0, 0)
    assert "Another tick is running now: this one did nothing." in output
    assert outbox_for("ann@staff.org") == []
    # Once it has finished, the next tick runs: the digest to both staff, the match expired.
    after = run_schedule()
    assert (after.digests_sent, after.expired) == (2, 1)
    assert "staff_digest" in _kinds("ann@staff.org")


@on_postgresql
def test_two_digests_at_the_same_moment_queue_one(app):
    StaffFactory(email="ann@staff.org")
    CharityFactory(status=CharityStatus.PENDING, verified_at=None)
    for _ in range(5):
        barrier = threading.Barrier(2)
        queued = [0, 0]

        def send(i: int, barrier=barrier, queued=queued) -> None:
            with app.app_context():
                barrier.wait()
                try:
                    queued[i] = send_daily_digest()
                finally:
                    db.session.remove()

        threads = [threading.Thread(target=send, args=(i,)) for i in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        assert sorted(queued) == [0, 1]
        assert _kinds("ann@staff.org") == ["staff_digest"]
        db.session.execute(delete(OutboxMessage))
        db.session.commit()
