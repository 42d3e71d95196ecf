"""Every email the app sends is a request SendGrid's mail API accepts (checked by Prism)."""

from __future__ import annotations

import jinja2
import pytest

from trustee_match.email.backends import DeliveryError, OutgoingEmail
from trustee_match.email.sendgrid_backend import SendGridBackend
from trustee_match.email.worker import deliver_due
from trustee_match.extensions import db
from trustee_match.models import OutboxMessage, OutboxStatus

from . import emails
from .conftest import use_sendgrid
from .emails import email_kinds, queue_every_kind


def _backend(host: str, **overrides) -> SendGridBackend:
    settings = {"from_email": "hello@trusteematch.org.uk", "from_name": "TrusteeMatch"}
    return SendGridBackend("SG.test-key", host=host, **{**settings, **overrides})


def _email(**overrides) -> OutgoingEmail:
    fields = {
        "outbox_id": 7,
        "kind": "verify_email",
        "to_email": "priya.shah@example.org",
        "to_name": "Priya Shah",
        "subject": "Confirm your email for TrusteeMatch",
        "text_body": "Hello Priya,\n\nPlease confirm your email.\n",
        "html_body": "<p>Hello Priya,</p><p>Please confirm your email.</p>",
    }
    return OutgoingEmail(**{**fields, **overrides})


def test_the_app_has_emails_to_check():
    assert {"verify_email", "reset_password"} <= set(email_kinds())


def test_every_kind_of_email_is_accepted_by_sendgrids_mail_api(app, prism_url):
    messages = queue_every_kind("priya.shah@example.org")
    backend = _backend(prism_url)

    answers = {m.kind: backend.send(OutgoingEmail.from_row(m)).status_code for m in messages}

    print(f"\nemail kinds sent to the SendGrid mock: {sorted(answers)}")
    assert answers == dict.fromkeys(email_kinds(), 202)


def test_every_email_greets_its_reader_and_names_the_charity_or_the_site(app):
    messages = queue_every_kind("priya.shah@example.org")

    for message in messages:
        assert message.text_body.lstrip().startswith("Hello "), message.kind
        assert "TrusteeMatch" in message.text_body, message.kind
        assert "<html" in message.html_body, message.kind
    volunteer_emails = [m for m in messages if m.to_email == "priya.shah@example.org"]
    assert "Hello Priya Shah," in volunteer_emails[0].text_body


BROKEN_TEMPLATES = {
    "a syntax error": "{% if side == 'volunteer' %}Hello {{ name }}",
    "a misspelt attribute": "Hello {{ name }}, about {{ need.titel }}",
    "a name the app does not pass": "Hello {{ name }}, see {{ dashbord }}",
    "an unknown filter": "Reply by {{ match.replies_due_at | no_such_filter }}",
}


@pytest.mark.parametrize("broken", BROKEN_TEMPLATES.values(), ids=BROKEN_TEMPLATES.keys())
def test_a_broken_email_template_fails_the_contract_test(app, broken):
    app.jinja_env.loader = jinja2.ChoiceLoader(
        [jinja2.DictLoader({"email/match_reminder.txt": broken}), app.jinja_env.loader]
    )

    with pytest.raises(jinja2.TemplateError):
        queue_every_kind("priya.shah@example.org")


def test_a_new_kind_of_email_without_a_sender_fails_loudly(app, monkeypatch):
    monkeypatch.setattr(emails, "email_kinds", lambda: [*email_kinds(), "match_paused"])

    with pytest.raises(LookupError, match="match_paused"):
        emails.queue_every_kind("priya.shah@example.org")


def test_every_kind_of_email_is_sent_by_the_worker(app, prism_url):
    use_sendgrid(app, prism_url)
    messages = queue_every_kind("priya.shah@example.org")

    counts = deliver_due(_backend(prism_url))

    assert (counts.sent, counts.retrying, counts.failed) == (len(messages), 0, 0)
    statuses = db.session.scalars(db.select(OutboxMessage.status)).all()
    assert set(statuses) == {OutboxStatus.SENT}


@pytest.mark.parametrize(
    "broken",
    [
        {"subject": ""},
        {"to_email": "not an address"},
        {"text_body": ""},
    ],
    ids=["empty subject", "malformed address", "empty text"],
)
def test_a_body_sendgrid_would_refuse_is_refused_and_not_retried(app, prism_url, broken):
    with pytest.raises(DeliveryError) as refused:
        _backend(prism_url).send(_email(**broken))

    assert refused.value.status_code == 400
    assert not refused.value.retryable
    assert refused.value.detail.startswith("SendGrid answered 400")


def test_a_missing_api_key_is_refused(app, prism_url):
    backend = _backend(prism_url)
    backend._client.client.request_headers.pop("Authorization")

    with pytest.raises(DeliveryError) as refused:
        backend.send(_email())

    assert (refused.value.status_code, refused.value.retryable) == (401, False)


def test_the_request_carries_our_id_sender_recipient_and_text_before_html(app, relay):
    _backend(relay.url).send(_email(outbox_id=123))

    [body] = relay.tally.bodies
    assert body["from"] == {"email": "hello@trusteematch.org.uk", "name": "TrusteeMatch"}
    assert body["personalizations"] == [
        {
            "to": [{"email": "priya.shah@example.org", "name": "Priya Shah"}],
            "custom_args": {"outbox_id": "123"},
        }
    ]
    assert [part["type"] for part in body["content"]] == ["text/plain", "text/html"]
    assert body["tracking_settings"]["click_tracking"]["enable"] is False


def test_a_recipient_without_a_name_is_sent_without_one(app, relay):
    _backend(relay.url).send(_email(to_name=None))

    assert relay.tally.bodies[0]["personalizations"][0]["to"] == [
        {"email": "priya.shah@example.org"}
    ]
