"""Delivery through SendGrid's v3 mail API, with the official `sendgrid` client."""

from __future__ import annotations

import http.client
import json
import time
from collections.abc import Mapping
from typing import Any

from python_http_client.exceptions import HTTPError
from sendgrid import SendGridAPIClient
from sendgrid.helpers.mail import (
    Category,
    ClickTracking,
    Content,
    CustomArg,
    From,
    Header,
    Mail,
    OpenTracking,
    Personalization,
    Subject,
    To,
    TrackingSettings,
)

from .backends import DeliveryError, OutgoingEmail, SendResult

DEFAULT_TIMEOUT_SECONDS = 10.0
# 408 and 429 are the 4xx answers that mean "not now" rather than "never".
RETRYABLE_4XX = frozenset({408, 429})
MAX_DETAIL = 1000


class SendGridBackend:
    """Send one outbox email per API call; raise `DeliveryError` when SendGrid does not take it.

    The client is built once and shared by every call: it keeps no per-call state as long as
    nobody passes per-request headers (which it would merge into the shared header dict).
    """

    name = "sendgrid"

    def __init__(
        self,
        api_key: str,
        *,
        from_email: str,
        from_name: str | None = None,
        host: str | None = None,
        timeout: float = DEFAULT_TIMEOUT_SECONDS,
    ) -> None:
        kwargs = {"host": host} if host else {}
        self._client = SendGridAPIClient(api_key, **kwargs)
        # The client sets no timeout at all: without one a stalled connection hangs a worker.
        self._client.client.timeout = timeout
        self.from_email = from_email
        self.from_name = from_name
        self.timeout = timeout

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> SendGridBackend:
        """A backend for the app's SENDGRID_* and MAIL_FROM* settings."""
        return cls(
            config["SENDGRID_API_KEY"],
            from_email=config["MAIL_FROM"],
            from_name=config.get("MAIL_FROM_NAME"),
            host=config.get("SENDGRID_HOST"),
            timeout=float(config.get("SENDGRID_TIMEOUT_SECONDS", DEFAULT_TIMEOUT_SECONDS)),
        )

    def build(self, email: OutgoingEmail) -> Mail:
        """The v3 request body for `email`: text/plain before text/html, our id in custom_args."""
        mail = Mail()
        mail.from_email = From(self.from_email, self.from_name)
        mail.subject = Subject(email.subject)
        personalization = Personalization()
        personalization.add_to(To(email.to_email, email.to_name))
        # mail/send has no idempotency key; this comes back on every webhook event instead.
        personalization.add_custom_arg(CustomArg("outbox_id", str(email.outbox_id)))
        mail.add_personalization(personalization)
        mail.add_content(Content("text/plain", email.text_body))
        mail.add_content(Content("text/html", email.html_body))
        mail.add_category(Category(email.kind))
        for name, value in (email.headers or {}).items():
            mail.add_header(Header(name, value))
        # Our links carry signed tokens: SendGrid's click tracking would route them through its
        # redirector (and its logs), and open tracking adds a pixel nobody here reads.
        mail.tracking_settings = TrackingSettings(
            click_tracking=ClickTracking(False, False), open_tracking=OpenTracking(False)
        )
        return mail

    def send(self, email: OutgoingEmail) -> SendResult:
        """Make one mail/send call."""
        mail = self.build(email)
        try:
            response = self._client.send(mail)
        except HTTPError as error:
            raise _http_failure(error) from error
        except TimeoutError as error:
            raise DeliveryError(
                f"no answer within {self.timeout:g}s (SendGrid may have accepted it)",
                retryable=True,
                maybe_accepted=True,
            ) from error
        except (OSError, http.client.HTTPException) as error:
            # URLError (refused, DNS, connect timeout), resets and truncated answers: all
            # transient from here.
            raise DeliveryError(f"connection failed: {error!r}", retryable=True) from error
        return SendResult(
            provider_message_id=response.headers.get("X-Message-Id"),
            status_code=response.status_code,
        )


def _http_failure(error: HTTPError) -> DeliveryError:
    status = int(error.status_code)
    retryable = status in RETRYABLE_4XX or status >= 500
    detail = f"SendGrid answered {status}: {_error_messages(error)}"
    return DeliveryError(
        detail[:MAX_DETAIL],
        retryable=retryable,
        status_code=status,
        retry_after=_retry_after(error.headers) if retryable else None,
    )


def _error_messages(error: HTTPError) -> str:
    """SendGrid's own explanation, e.g. 'The subject is required.'."""
    body = error.body
    body = body.decode("utf-8", "replace") if isinstance(body, bytes) else str(body or "")
    try:
        errors = json.loads(body)["errors"]
        return "; ".join(str(item.get("message")) for item in errors) or body
    except (ValueError, KeyError, TypeError, AttributeError):
        return body or str(error.reason)


def _retry_after(headers: Any) -> float | None:
    """Seconds until SendGrid's rate limit resets, from X-RateLimit-Reset (a Unix time)."""
    if headers is None:
        return None
    reset = headers.get("X-RateLimit-Reset")
    try:
        return max(0.0, float(reset) - time.time()) if reset is not None else None
    except ValueError:
        return None
