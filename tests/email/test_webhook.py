"""SendGrid's Event Webhook: signed batches are recorded once; anything else changes nothing."""

from __future__ import annotations

import base64
import json
import threading
import time

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec

from trustee_match.extensions import db
from trustee_match.models import EmailEvent, OutboxMessage, User
from trustee_match.services.email_events import record_events

from ..factories import UserFactory

URL = "/webhooks/sendgrid"


class SendGridSigner:
    """Signs like SendGrid: ECDSA P-256 over timestamp + raw body, base64 DER signature."""

    def __init__(self) -> None:
        self.private_key = ec.generate_private_key(ec.SECP256R1())
        der = self.private_key.public_key().public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        self.public_key = base64.b64encode(der).decode()  # as SendGrid's settings page shows it

    def headers(self, body: bytes, timestamp: int | None = None) -> dict[str, str]:
        stamp = str(int(time.time()) if timestamp is None else timestamp)
        signature = self.private_key.sign(stamp.encode() + body, ec.ECDSA(hashes.SHA256()))
        return {
            "Content-Type": "application/json",
            "X-Twilio-Email-Event-Webhook-Signature": base64.b64encode(signature).decode(),
            "X-Twilio-Email-Event-Webhook-Timestamp": stamp,
        }


@pytest.fixture
def signer(app) -> SendGridSigner:
    signer = SendGridSigner()
    app.config["SENDGRID_WEBHOOK_PUBLIC_KEY"] = signer.public_key
    return signer


@pytest.fixture
def sent_email(app) -> OutboxMessage:
    user = UserFactory(email="priya.shah@example.org")
    message = OutboxMessage(
        kind="verify_email",
        to_email=user.email,
        user_id=user.id,
        subject="Confirm your email",
        text_body="Hello",
        html_body="<p>Hello</p>",
        provider_message_id="14c5d75ce93",
    )
    db.session.add(message)
    db.session.commit()
    return message


def _event(kind: str, n: int, outbox_id: int | None, timestamp: int = 1_767_000_000, **extra):
    event = {
        "email": "priya.shah@example.org",
        "timestamp": timestamp,
        "event": kind,
        "sg_event_id": f"sg-event-{n}",
        "sg_message_id": "14c5d75ce93.filter0001.16648.5515E0B88.0",
        **extra,
    }
    if outbox_id is not None:
        event["outbox_id"] = str(outbox_id)  # custom args come back as top-level keys
    return event


def _post(client, signer, events, **kw):
    body = events if isinstance(events, bytes) else json.dumps(events).encode()
    return client.post(URL, data=body, headers=signer.headers(body, **kw))


def _events() -> list[tuple[str, int | None]]:
    return [
        (e.event, e.outbox_id)
        for e in db.session.scalars(db.select(EmailEvent).order_by(EmailEvent.sg_event_id))
    ]


def test_a_signed_batch_is_recorded_once_however_often_it_is_posted(client, signer, sent_email):
    batch = [
        _event("processed", 1, sent_email.id, timestamp=1_767_000_000),
        _event("delivered", 2, sent_email.id, timestamp=1_767_000_005),
    ]

    answers = [_post(client, signer, batch) for _ in range(3)]

    assert [a.status_code for a in answers] == [200, 200, 200]
    assert answers[0].json == {"recorded": 2, "duplicates": 0, "ignored": 0}
    assert answers[2].json == {"recorded": 0, "duplicates": 2, "ignored": 0}
    assert _events() == [("processed", sent_email.id), ("delivered", sent_email.id)]
    db.session.refresh(sent_email)
    assert sent_email.delivery_status == "delivered"
    assert sent_email.delivery_status_at.timestamp() == 1_767_000_005


def test_events_out_of_order_leave_the_latest_stage(client, signer, sent_email):
    _post(client, signer, [_event("delivered", 2, sent_email.id, timestamp=1_767_000_005)])
    _post(client, signer, [_event("processed", 1, sent_email.id, timestamp=1_767_000_000)])
    _post(client, signer, [_event("deferred", 3, sent_email.id, timestamp=1_767_000_005)])

    db.session.refresh(sent_email)
    assert sent_email.delivery_status == "delivered"


def test_an_event_without_our_id_is_matched_by_sendgrids_message_id(client, signer, sent_email):
    _post(client, signer, [_event("delivered", 1, outbox_id=None)])

    assert _events() == [("delivered", sent_email.id)]


def test_a_hard_bounce_flags_the_users_address(client, signer, sent_email):
    bounce = _event("bounce", 1, sent_email.id, type="bounce", reason="550 5.1.1 no such user")

    _post(client, signer, [bounce])

    user = db.session.scalar(db.select(User).where(User.email == "priya.shah@example.org"))
    assert user.email_bounced_at is not None
    db.session.refresh(sent_email)
    assert sent_email.delivery_status == "bounce"
    assert db.session.scalar(db.select(EmailEvent.reason)) == "550 5.1.1 no such user"


@pytest.mark.parametrize("kind", ["dropped", "spamreport"])
def test_a_drop_or_spam_report_flags_the_address(client, signer, sent_email, kind):
    _post(client, signer, [_event(kind, 1, sent_email.id, reason="Bounced Address")])

    assert db.session.get(User, sent_email.user_id).email_bounced_at is not None


def test_a_block_or_a_deferral_does_not_flag_the_address(client, signer, sent_email):
    _post(
        client,
        signer,
        [
            _event("bounce", 1, sent_email.id, type="blocked", reason="reputation"),
            _event("deferred", 2, sent_email.id, response="try later"),
        ],
    )

    assert db.session.get(User, sent_email.user_id).email_bounced_at is None
    assert len(_events()) == 2


def test_opens_clicks_and_junk_items_are_ignored(client, signer, sent_email):
    answer = _post(
        client,
        signer,
        [_event("open", 1, sent_email.id), "not an event", {"event": "delivered"}],
    )

    assert answer.json == {"recorded": 0, "duplicates": 0, "ignored": 3}
    assert _events() == []


def _nothing_changed(sent_email: OutboxMessage) -> None:
    db.session.expire_all()
    assert _events() == []
    assert db.session.get(OutboxMessage, sent_email.id).delivery_status is None
    assert db.session.get(User, sent_email.user_id).email_bounced_at is None


def test_a_bad_signature_is_refused(client, signer, sent_email):
    body = json.dumps([_event("bounce", 1, sent_email.id)]).encode()
    headers = SendGridSigner().headers(body)  # signed, but by someone else

    answer = client.post(URL, data=body, headers=headers)

    assert answer.status_code == 403
    _nothing_changed(sent_email)


def test_a_body_changed_after_signing_is_refused(client, signer, sent_email):
    body = json.dumps([_event("delivered", 1, sent_email.id)]).encode()
    headers = signer.headers(body)

    answer = client.post(URL, data=body.replace(b"delivered", b"bounce"), headers=headers)

    assert answer.status_code == 403
    _nothing_changed(sent_email)


@pytest.mark.parametrize(
    "signature", ["", "not base64!", "YWJj", "YWJjZA", "Zm9v" * 30], ids=str.__len__
)
def test_a_malformed_signature_is_refused_not_an_error(client, signer, sent_email, signature):
    body = json.dumps([_event("bounce", 1, sent_email.id)]).encode()
    headers = {**signer.headers(body), "X-Twilio-Email-Event-Webhook-Signature": signature}

    assert client.post(URL, data=body, headers=headers).status_code == 403
    _nothing_changed(sent_email)


@pytest.mark.parametrize("age", [11 * 60, -5 * 60], ids=["stale", "future"])
def test_a_stale_or_future_timestamp_is_refused(client, signer, sent_email, age):
    answer = _post(
        client, signer, [_event("bounce", 1, sent_email.id)], timestamp=int(time.time()) - age
    )

    assert answer.status_code == 403
    _nothing_changed(sent_email)


def test_unsigned_requests_and_an_unset_key_are_refused(app, client, signer, sent_email):
    body = json.dumps([_event("bounce", 1, sent_email.id)]).encode()
    assert client.post(URL, data=body, content_type="application/json").status_code == 403

    app.config["SENDGRID_WEBHOOK_PUBLIC_KEY"] = None
    assert client.post(URL, data=body, headers=signer.headers(body)).status_code == 403
    _nothing_changed(sent_email)


@pytest.mark.parametrize("body", [b"[{not json", b'{"event": "bounce"}', b""])
def test_a_signed_body_that_is_not_a_json_list_is_a_bad_request(client, signer, sent_email, body):
    answer = _post(client, signer, body)

    assert answer.status_code == 400
    _nothing_changed(sent_email)


def test_a_body_that_is_not_utf8_cannot_be_sendgrids(client, signer, sent_email):
    assert _post(client, signer, b"[\xff\xfe]").status_code == 403
    _nothing_changed(sent_email)


def test_the_same_batch_posted_concurrently_is_recorded_once(app, sent_email):
    batch = [_event(kind, n, sent_email.id) for n, kind in enumerate(["processed", "bounce"])]
    results, errors = [], []

    def deliver() -> None:
        try:
            with app.app_context():
                results.append(record_events(batch))
        except Exception as error:  # reported below, not lost in the thread
            errors.append(error)

    threads = [threading.Thread(target=deliver) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    assert sorted(r.recorded for r in results) == [0, 0, 0, 2]
    assert len(_events()) == 2


@pytest.mark.parametrize("depth", [7, 100, 100_000])
def test_a_signed_deeply_nested_body_is_a_bad_request(client, signer, sent_email, depth):
    body = ("[" * depth + "]" * depth).encode()

    answer = _post(client, signer, body)

    assert answer.status_code == 400
    assert answer.json == {"error": "body is nested too deeply"}
    _nothing_changed(sent_email)


def test_a_signed_event_with_a_nul_character_is_a_bad_request(client, signer, sent_email):
    answer = _post(client, signer, [_event("bounce", 1, sent_email.id, reason="bad\u0000news")])

    assert answer.status_code == 400
    assert answer.json == {"error": "body holds a NUL character"}
    _nothing_changed(sent_email)


def test_a_large_batch_is_taken_but_a_body_over_a_megabyte_is_too_large(
    client, signer, sent_email
):
    padding = "x" * 2_000
    batch = [_event("processed", n, sent_email.id, note=padding) for n in range(300)]  # ~650 kB
    assert _post(client, signer, batch).status_code == 200

    body = json.dumps([{"note": "x" * (1024 * 1024)}]).encode()
    assert _post(client, signer, body).status_code == 413
