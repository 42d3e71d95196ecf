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


def test_a_crashed_workers_email_is_claimed_again_once_its_lease_lapses(app):
    [outbox_id] = _queue()
    policy = RetryPolicy(lease=60)
    claim = claim_next(policy)  # ... and the worker dies before sending
    assert claim is not None and claim.email.outbox_id == outbox_id

    assert claim_next(policy) is None, "claimed twice while the lease holds"
    _row(outbox_id).claimed_until = utcnow() - timedelta(seconds=1)
    db.session.commit()
    deliver_due(LocalMailboxBackend())

    row = _row(outbox_id)
    assert (row.status, row.attempts, row.provider_calls) == (OutboxStatus.SENT, 2, 2)


def test_a_lapsed_claim_on_the_last_attempt_is_parked_not_sent_again(app):
    app.config["OUTBOX_MAX_ATTEMPTS"] = 1
    [outbox_id] = _queue()
    claim_next(RetryPolicy.from_config(app.config))
    _row(outbox_id).claimed_until = utcnow() - timedelta(seconds=1)
    db.session.commit()

    counts = deliver_due(LocalMailboxBackend())

    row = _row(outbox_id)
    assert (counts.claimed, row.status, row.provider_calls) == (0, OutboxStatus.FAILED, 1)
    assert "may or may not have been sent" in row.last_error


def test_a_worker_whose_lease_lapsed_cannot_overwrite_the_new_owner(app, relay):
    use_sendgrid(app, relay.url)
    [outbox_id] = _queue()
    stale = claim_next(RetryPolicy(lease=60))
    _row(outbox_id).claimed_until = utcnow() - timedelta(seconds=1)
    db.session.commit()
    deliver_due(backend_for(app))  # a second worker takes it over and sends it

    from trustee_match.email.worker import _record_failure

    _record_failure(stale, RetryPolicy(), "SendGrid answered 503: late", True, None)

    row = _row(outbox_id)
    assert (row.status, row.attempts, row.last_error) == (OutboxStatus.SENT, 2, None)


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
