"""The outbox worker: what happens to a queued email for each answer SendGrid can give."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest

from config import ProductionConfig
from trustee_match import create_app
from trustee_match.email.backends import LocalMailboxBackend
from trustee_match.email.retry import RetryPolicy
from trustee_match.email.sendgrid_backend import SendGridBackend
from trustee_match.email.worker import backend_for, claim_next, deliver_due
from trustee_match.extensions import db
from trustee_match.models import OutboxMessage, OutboxStatus
from trustee_match.models.base import utcnow
from trustee_match.services.outbox_admin import messages_with_status

from .conftest import free_port, use_sendgrid
from .relay import ACCEPT_THEN_TIMEOUT


def _queue(n: int = 1, **fields) -> list[int]:
    """Queue `n` emails directly, committed like a finished request would leave them."""
    rows = [
        OutboxMessage(
            kind="verify_email",
            to_email=f"person{i}@example.org",
            subject="Confirm your email for TrusteeMatch",
            text_body="Hello,\n\nPlease confirm your email.\n",
            html_body="<p>Hello,</p><p>Please confirm your email.</p>",
            **fields,
        )
        for i in range(n)
    ]
    db.session.add_all(rows)
    db.session.commit()
    return [row.id for row in rows]


def _row(outbox_id: int) -> OutboxMessage:
    db.session.expire_all()
    return db.session.get(OutboxMessage, outbox_id)


def _make_due(outbox_id: int) -> None:
    """Skip the wait before the next attempt."""
    _row(outbox_id).next_attempt_at = utcnow()
    db.session.commit()


# Waits long enough that one deliver_due call makes one attempt per email.
PATIENT = {"OUTBOX_BACKOFF_BASE_SECONDS": 60, "OUTBOX_BACKOFF_MAX_SECONDS": 60}


def test_a_sent_email_keeps_sendgrids_message_id(app, relay):
    use_sendgrid(app, relay.url)
    [outbox_id] = _queue()

    counts = deliver_due(backend_for(app))

    row = _row(outbox_id)
    assert counts.sent == 1
    assert row.status == OutboxStatus.SENT
    assert row.provider_message_id.startswith("relay")
    assert (row.attempts, row.provider_calls, row.claimed_until) == (1, 1, None)
    assert row.sent_at is not None


@pytest.mark.parametrize("status", [400, 401, 403, 413])
def test_a_refused_email_is_parked_at_once_with_the_reason(app, relay, status):
    use_sendgrid(app, relay.url)
    relay.plan = lambda _id: status
    [outbox_id] = _queue()

    counts = deliver_due(backend_for(app))

    row = _row(outbox_id)
    assert (counts.failed, row.status, row.attempts) == (1, OutboxStatus.FAILED, 1)
    assert row.last_error.startswith(f"SendGrid answered {status}")
    assert messages_with_status(OutboxStatus.FAILED) == [row]


@pytest.mark.parametrize("status", [429, 500, 502, 503])
def test_a_transient_error_is_retried_later_then_sent(app, relay, status):
    use_sendgrid(app, relay.url, **PATIENT)
    relay.plan = lambda _id: status
    [outbox_id] = _queue()

    first = deliver_due(backend_for(app))

    row = _row(outbox_id)
    assert (first.retrying, row.status, row.attempts) == (1, OutboxStatus.PENDING, 1)
    assert f"SendGrid answered {status}" in row.last_error
    assert utcnow() < row.next_attempt_at <= utcnow() + timedelta(seconds=60)
    assert deliver_due(backend_for(app)).claimed == 0, "retried before its time"

    _make_due(outbox_id)
    relay.plan = lambda _id: "ok"
    deliver_due(backend_for(app))

    row = _row(outbox_id)
    assert (row.status, row.attempts, row.provider_calls, row.last_error) == (
        OutboxStatus.SENT,
        2,
        2,
        None,
    )


def test_a_rate_limited_email_waits_until_the_limit_resets(app, relay):
    use_sendgrid(app, relay.url, OUTBOX_BACKOFF_BASE_SECONDS=1, OUTBOX_BACKOFF_MAX_SECONDS=3600)
    relay.plan = lambda _id: 429
    relay.answer_headers = {"X-RateLimit-Reset": str(int(time.time()) + 120)}
    [outbox_id] = _queue()

    deliver_due(backend_for(app))

    wait = (_row(outbox_id).next_attempt_at - utcnow()).total_seconds()
    assert 115 < wait <= 122


def test_a_timeout_after_sendgrid_accepted_is_retried_and_counted(app, relay):
    # A timeout long enough that the second, healthy answer beats it on a busy machine.
    use_sendgrid(app, relay.url, SENDGRID_TIMEOUT_SECONDS=1.5, **PATIENT)
    relay.client_timeout, relay.stall_seconds = 1.5, 3.0
    faults = iter([ACCEPT_THEN_TIMEOUT, "ok"])
    relay.plan = lambda _id: next(faults)
    [outbox_id] = _queue()

    deliver_due(backend_for(app))
    assert "no answer within 1.5s" in _row(outbox_id).last_error
    _make_due(outbox_id)
    deliver_due(backend_for(app))

    relay.wait_until_idle()
    row = _row(outbox_id)
    assert (row.status, row.provider_calls) == (OutboxStatus.SENT, 2)
    assert relay.tally.accepted[outbox_id] == 2, "the duplicate the counter warns about"


def test_an_unreachable_sendgrid_is_retried(app):
    use_sendgrid(app, f"http://127.0.0.1:{free_port()}", **PATIENT)
    [outbox_id] = _queue()

    counts = deliver_due(backend_for(app))

    row = _row(outbox_id)
    assert (counts.retrying, row.status) == (1, OutboxStatus.PENDING)
    assert row.last_error.startswith("connection failed")


def test_an_email_is_parked_after_the_last_attempt(app, relay):
    use_sendgrid(app, relay.url, OUTBOX_MAX_ATTEMPTS=3, OUTBOX_BACKOFF_MAX_SECONDS=0)
    relay.plan = lambda _id: 503
    [outbox_id] = _queue()

    for _ in range(5):
        deliver_due(backend_for(app))

    row = _row(outbox_id)
    assert (row.status, row.attempts, row.provider_calls) == (OutboxStatus.FAILED, 3, 3)
    assert row.last_error.startswith("gave up after 3 attempts; last error: SendGrid answered 503")


def _lapse(outbox_id: int) -> None:
    """The claiming worker died: its lease runs out."""
    _row(outbox_id).claimed_until = utcnow() - timedelta(seconds=1)
    db.session.commit()


def _with_webhook(app, resend_after: int = 60) -> None:
    app.config.update(
        SENDGRID_WEBHOOK_PUBLIC_KEY="a key", OUTBOX_UNCONFIRMED_RESEND_SECONDS=resend_after
    )


def test_a_crashed_workers_email_is_not_sent_again_blindly_when_its_lease_lapses(app):
    _with_webhook(app)
    [outbox_id] = _queue()
    policy = RetryPolicy(lease=60)
    claim = claim_next(policy)  # ... and the worker dies, before or after SendGrid took it
    assert claim is not None and claim.email.outbox_id == outbox_id
    assert claim_next(policy) is None, "claimed twice while the lease holds"

    _lapse(outbox_id)
    counts = deliver_due(LocalMailboxBackend())

    row = _row(outbox_id)
    assert (counts.claimed, row.status, row.provider_calls) == (0, OutboxStatus.UNCONFIRMED, 1)
    assert "may or may not have been sent" in row.last_error
    assert utcnow() + timedelta(seconds=50) < row.next_attempt_at, "waits for SendGrid's word"
    assert messages_with_status(OutboxStatus.UNCONFIRMED) == [row]


def test_an_unconfirmed_email_sendgrid_reports_on_is_marked_sent_without_a_second_call(app):
    from trustee_match.services.email_events import record_events

    _with_webhook(app, resend_after=1)
    [outbox_id] = _queue()
    claim_next(RetryPolicy(lease=60))
    _lapse(outbox_id)
    deliver_due(LocalMailboxBackend())

    record_events(
        [
            {
                "sg_event_id": "ev-1",
                "event": "processed",
                "outbox_id": str(outbox_id),
                "sg_message_id": "abc123.filter0001",
                "email": "person0@example.org",
                "timestamp": int(time.time()),
            }
        ]
    )
    _row(outbox_id).next_attempt_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    counts = deliver_due(LocalMailboxBackend())

    row = _row(outbox_id)
    assert (counts.claimed, row.status, row.provider_calls) == (0, OutboxStatus.SENT, 1)
    assert (row.provider_message_id, row.last_error) == ("abc123", None)


def test_an_event_that_arrives_before_the_lease_lapses_settles_the_row_as_sent(app):
    from trustee_match.services.email_events import record_events

    _with_webhook(app)
    [outbox_id] = _queue()
    claim_next(RetryPolicy(lease=60))
    record_events(
        [
            {
                "sg_event_id": "ev-2",
                "event": "delivered",
                "outbox_id": str(outbox_id),
                "timestamp": int(time.time()),
            }
        ]
    )
    _lapse(outbox_id)

    deliver_due(LocalMailboxBackend())

    row = _row(outbox_id)
    assert (row.status, row.provider_calls, row.delivery_status) == (
        OutboxStatus.SENT,
        1,
        "delivered",
    )


def test_an_unconfirmed_email_with_no_event_is_sent_again_after_the_wait(app):
    _with_webhook(app, resend_after=60)
    [outbox_id] = _queue()
    claim_next(RetryPolicy(lease=60))
    _lapse(outbox_id)
    deliver_due(LocalMailboxBackend())
    _row(outbox_id).next_attempt_at = utcnow() - timedelta(seconds=1)  # an hour on, no event
    db.session.commit()

    deliver_due(LocalMailboxBackend())

    row = _row(outbox_id)
    assert (row.status, row.attempts, row.provider_calls) == (OutboxStatus.SENT, 2, 2)


def test_without_the_webhook_an_unconfirmed_email_waits_for_staff(app, client):
    from ..conftest import login, post_form
    from ..factories import StaffFactory

    [outbox_id] = _queue()
    claim_next(RetryPolicy(lease=60))
    _lapse(outbox_id)
    for _ in range(2):
        deliver_due(LocalMailboxBackend())
        _row(outbox_id).next_attempt_at = utcnow() - timedelta(days=1)
        db.session.commit()
    assert _row(outbox_id).status == OutboxStatus.UNCONFIRMED

    StaffFactory(email="staff@example.org")
    login(client, "staff@example.org")
    page = client.get("/staff/emails?status=unconfirmed").get_data(as_text=True)
    assert "person0@example.org" in page and "could send it twice" in page
    post_form(
        client,
        f"/staff/emails/{outbox_id}/requeue",
        {},
        form_path="/staff/emails?status=unconfirmed",
    )
    deliver_due(LocalMailboxBackend())
    assert _row(outbox_id).status == OutboxStatus.SENT


def test_an_unconfirmed_email_with_no_attempts_left_is_parked_not_sent_again(app):
    _with_webhook(app, resend_after=1)
    app.config["OUTBOX_MAX_ATTEMPTS"] = 1
    [outbox_id] = _queue()
    claim_next(RetryPolicy.from_config(app.config))
    _lapse(outbox_id)
    deliver_due(LocalMailboxBackend())
    _row(outbox_id).next_attempt_at = utcnow() - timedelta(seconds=1)
    db.session.commit()

    counts = deliver_due(LocalMailboxBackend())

    row = _row(outbox_id)
    assert (counts.claimed, row.status, row.provider_calls) == (0, OutboxStatus.FAILED, 1)
    assert "may or may not have been sent" in row.last_error


def test_a_worker_whose_lease_lapsed_cannot_overwrite_the_new_owner(app, relay):
    from trustee_match.email.worker import _failure, _write

    use_sendgrid(app, relay.url)
    _with_webhook(app, resend_after=1)
    [outbox_id] = _queue()
    stale = claim_next(RetryPolicy(lease=60))
    _lapse(outbox_id)
    deliver_due(backend_for(app))  # marks it unconfirmed
    _row(outbox_id).next_attempt_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    deliver_due(backend_for(app))  # no event came: a second worker sends it

    _write(_failure(stale, RetryPolicy(), "SendGrid answered 503: late", True, None))

    row = _row(outbox_id)
    assert (row.status, row.attempts, row.last_error) == (OutboxStatus.SENT, 2, None)


def test_a_late_answer_is_still_written_after_the_row_was_marked_unconfirmed(app, relay):
    from trustee_match.email.worker import _attempt, _write

    use_sendgrid(app, relay.url)
    [outbox_id] = _queue()
    claim = claim_next(RetryPolicy(lease=60))
    outcome = _attempt(backend_for(app), claim, RetryPolicy())  # ... then the database is lost
    _lapse(outbox_id)
    deliver_due(backend_for(app))
    assert _row(outbox_id).status == OutboxStatus.UNCONFIRMED

    _write(outcome)  # the worker is back and writes what SendGrid said

    row = _row(outbox_id)
    assert (row.status, row.provider_calls, relay.tally.accepted[outbox_id]) == (
        OutboxStatus.SENT,
        1,
        1,
    )


def test_the_worker_uses_sendgrid_only_when_a_key_is_set(app):
    assert isinstance(backend_for(app), LocalMailboxBackend)
    app.config["SENDGRID_API_KEY"] = "SG.key"
    backend = backend_for(app)
    assert isinstance(backend, SendGridBackend)
    assert backend._client.client.timeout == 10.0


def test_production_without_a_key_refuses_to_mark_emails_sent(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "sqlite://")
    monkeypatch.setenv("SECRET_KEY", "x")
    production = create_app(ProductionConfig)

    with pytest.raises(RuntimeError, match="SENDGRID_API_KEY"):
        backend_for(production)


def test_retry_waits_grow_with_full_jitter_and_respect_the_rate_limit_reset():
    policy = RetryPolicy(backoff_base=10, backoff_max=300)

    waits = [policy.delay(3).total_seconds() for _ in range(200)]
    assert 0 <= min(waits) < 10 and 30 < max(waits) <= 40
    assert all(100 <= policy.delay(1, retry_after=100).total_seconds() <= 110 for _ in range(50))
    assert policy.delay(20, retry_after=10_000).total_seconds() == 300


def test_flask_outbox_work_once_drains_the_outbox(app, relay):
    use_sendgrid(app, relay.url)
    _queue(3)

    result = app.test_cli_runner().invoke(args=["outbox", "work", "--once"])

    assert result.exit_code == 0, result.output
    assert "Delivered 3 emails via sendgrid; 0 to retry later, 0 failed." in result.output


@pytest.fixture
def lose_the_database():
    """Makes the next `times` statements containing `statement_part` fail as a dropped link;
    the link comes back after the test."""
    from sqlalchemy import event
    from sqlalchemy.exc import OperationalError

    listeners = []

    def lose(statement_part: str, times: int) -> dict:
        left = {"n": times}

        def drop(conn, cursor, statement, parameters, context, executemany) -> None:
            if statement_part in statement and left["n"] > 0:
                left["n"] -= 1
                raise OperationalError(
                    statement, None, Exception("server closed the connection unexpectedly")
                )

        event.listen(db.engine, "before_cursor_execute", drop)
        listeners.append(drop)
        return left

    yield lose
    for drop in listeners:
        event.remove(db.engine, "before_cursor_execute", drop)


def test_a_lost_database_holds_the_answer_backs_off_capped_and_writes_it_once_back(
    app, relay, caplog, lose_the_database
):
    from trustee_match.email.worker import OutboxWorker

    use_sendgrid(app, relay.url, OUTBOX_RECONNECT_BASE_SECONDS=1, OUTBOX_RECONNECT_MAX_SECONDS=4)
    [outbox_id] = _queue()
    # SendGrid takes it; recording that fails 5 times.
    lose_the_database("provider_message_id=", times=5)
    sleeps: list[float] = []
    worker = OutboxWorker(app, backend_for(app), sleep=sleeps.append)

    total = worker.run(once=True)

    row = _row(outbox_id)
    assert (total.sent, row.status, row.provider_calls) == (1, OutboxStatus.SENT, 1)
    assert relay.tally.accepted[outbox_id] == 1
    assert worker.reconnects == 5 and worker.unrecorded == []
    for wait, ceiling in zip(sleeps, [1, 2, 4, 4, 4], strict=True):
        assert ceiling / 2 <= wait <= ceiling
    lines = [r.getMessage() for r in caplog.records if "lost the database" in r.getMessage()]
    assert len(lines) == 5
    assert "server closed the connection unexpectedly" in lines[0]
    assert "1 result(s) held" in lines[0]


def test_flask_outbox_work_once_gives_up_when_the_database_stays_away(app, lose_the_database):
    from sqlalchemy.exc import OperationalError

    from trustee_match.email.worker import OutboxWorker

    _queue()
    outage = lose_the_database("FROM outbox", times=100)
    worker = OutboxWorker(app, LocalMailboxBackend(), sleep=lambda _s: None)

    with pytest.raises(OperationalError):
        worker.run(once=True)
    outage["n"] = 0  # the database is back (for the test's own clean-up)
    assert worker.reconnects == 5


def test_with_the_webhook_a_timed_out_send_waits_for_sendgrids_word_instead_of_resending(
    app, relay
):
    from trustee_match.services.email_events import record_events

    use_sendgrid(app, relay.url, SENDGRID_TIMEOUT_SECONDS=1.5)
    _with_webhook(app, resend_after=60)
    relay.client_timeout, relay.stall_seconds = 1.5, 3.0
    relay.plan = lambda _id: ACCEPT_THEN_TIMEOUT
    [outbox_id] = _queue()

    deliver_due(backend_for(app))
    row = _row(outbox_id)
    assert (row.status, row.provider_calls) == (OutboxStatus.UNCONFIRMED, 1)
    assert "no answer within 1.5s" in row.last_error
    record_events(
        [
            {
                "sg_event_id": "ev-3",
                "event": "processed",
                "outbox_id": str(outbox_id),
                "timestamp": int(time.time()),
            }
        ]
    )
    _row(outbox_id).next_attempt_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    deliver_due(backend_for(app))

    relay.wait_until_idle()
    row = _row(outbox_id)
    assert (row.status, row.provider_calls) == (OutboxStatus.SENT, 1)
    assert relay.tally.accepted[outbox_id] == 1, "sent once, not twice"
