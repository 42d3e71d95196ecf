"""Every kind of email the app sends, queued by the app's own code from real rows.

The kinds are discovered from templates/email/ (each `<kind>.txt` with a matching `<kind>.html`).
For each kind a sender below makes the app send it as a user's step would: a sign-up, a reset
request, staff verifying a charity, a match moving on. The templates render with the context the
app really passes, under StrictUndefined, so a syntax error, a misspelt name or an attribute the
rows don't have makes the test fail instead of leaving a gap in the email. A kind added to
templates/email/ without a sender here fails loudly too.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import jinja2
from flask import current_app

from trustee_match.extensions import db
from trustee_match.matches import emails as sends
from trustee_match.matches.actions import approve_match, propose_match
from trustee_match.models import (
    AlertFrequency,
    BoardMember,
    CharityStatus,
    Match,
    NeedStatus,
    OutboxMessage,
    User,
)
from trustee_match.models.base import utcnow
from trustee_match.services import (
    accounts,
    alerts,
    board_audit,
    charities,
    colleagues,
    listings,
    staff_digest,
)

from ..conftest import PASSWORD
from ..factories import (
    CharityFactory,
    CharityUserFactory,
    NeedFactory,
    StaffFactory,
    VolunteerFactory,
    give_skills,
    need_skills,
)

TEMPLATES = Path(__file__).resolve().parents[2] / "templates" / "email"


def email_kinds() -> list[str]:
    """Every email kind with both a text and an HTML template."""
    return sorted(
        path.stem
        for path in TEMPLATES.glob("*.txt")
        if not path.name.startswith("_") and path.with_suffix(".html").exists()
    )


@dataclass(frozen=True)
class Rows:
    """The people and the match the emails are about."""

    volunteer: User
    staff: User
    match: Match


def _rows(volunteer_email: str) -> Rows:
    """A volunteer with skills, a charity with two members, an open need and an approved match.

    Approving the match is the app's own step and sends the proposal emails.
    """
    volunteer = VolunteerFactory(email=volunteer_email)
    volunteer.volunteer_profile.display_name = "Priya Shah"
    give_skills(volunteer.volunteer_profile, "cybersecurity", "data-protection")
    charity = CharityFactory()
    CharityUserFactory(charity=charity)
    CharityUserFactory(charity=charity)
    need = NeedFactory(charity=charity)
    need_skills(need, required=("cybersecurity",), desired=("data-protection",))
    staff = StaffFactory()
    reasons = ["Has 1 of 1 required skills: cybersecurity", "Can attend remotely"]
    proposed = propose_match(staff, need, volunteer, reasons=reasons)
    approve_match(staff, proposed)
    return Rows(volunteer=volunteer, staff=staff, match=proposed)


def _pending_charity_with_a_member():
    charity = CharityFactory(status=CharityStatus.PENDING, verified_at=None)
    CharityUserFactory(charity=charity)
    return charity


def _close_by_date(rows: Rows) -> None:
    need = NeedFactory(charity=rows.match.need.charity, closing_date=date.today() - timedelta(1))
    listings.close_past_closing_date()
    assert need.status == NeedStatus.CLOSED


def _role_alert(rows: Rows) -> None:
    rows.volunteer.volunteer_profile.alert_frequency = AlertFrequency.INSTANT
    need_skills(NeedFactory(charity=rows.match.need.charity), required=("cybersecurity",))
    assert alerts.send_alerts(digest=False).emails == 1


def _term_ending(rows: Rows) -> None:
    ends = date.today() + timedelta(days=80)
    db.session.add(BoardMember(charity_id=rows.match.need.charity_id, term_ends_on=ends))
    assert board_audit.remind_terms_ending() == 1


def _ask_still_recruiting(rows: Rows) -> None:
    NeedFactory(charity=rows.match.need.charity, published_at=utcnow() - timedelta(days=61))
    assert listings.ask_still_recruiting() == 1


# What makes the app send each kind. The proposal went out when _rows approved the match.
SENDERS: dict[str, Callable[[Rows], object]] = {
    "verify_email": lambda rows: accounts.register_volunteer(
        display_name="Sam Lee", email="sam.lee@example.org", password=PASSWORD
    ),
    "reset_password": lambda rows: accounts.request_password_reset(rows.volunteer.email),
    # Signing up again with an address that has an account emails its owner instead.
    "account_exists": lambda rows: accounts.register_volunteer(
        display_name="Someone Else", email=rows.volunteer.email, password=PASSWORD
    ),
    "charity_verified": lambda rows: charities.verify_charity(
        rows.staff, _pending_charity_with_a_member()
    ),
    "charity_rejected": lambda rows: charities.reject_charity(
        rows.staff, _pending_charity_with_a_member(), "We could not find it on the register."
    ),
    "match_proposed": lambda rows: None,
    "match_reminder": lambda rows: sends.send_reminder(rows.match),
    "match_introduction": lambda rows: sends.send_introduction(rows.match),
    "match_declined": lambda rows: (
        sends.send_declined(rows.match, sends.VOLUNTEER),
        sends.send_declined(rows.match, sends.CHARITY),
    ),
    "match_expired": lambda rows: sends.send_expired(rows.match),
    "match_withdrawn": lambda rows: sends.send_withdrawn(
        rows.match, (sends.VOLUNTEER, sends.CHARITY)
    ),
    "match_outcome_question": lambda rows: sends.send_outcome_question(rows.match),
    # The approved match in _rows is overdue and reminded, so the digest names it.
    "staff_digest": lambda rows: _overdue_then_digest(rows.match),
    "staff_match_expired": lambda rows: staff_digest.tell_staff_of_expiry(rows.match),
    "role_closed": lambda rows: _close_by_date(rows),
    "board_term_ending": lambda rows: _term_ending(rows),
    "role_alert": lambda rows: _role_alert(rows),
    "colleague_invitation": lambda rows: colleagues.invite_colleague(
        rows.match.need.charity.members[0].user, rows.match.need.charity, "jo@example.org"
    ),
    "role_still_recruiting": lambda rows: _ask_still_recruiting(rows),
}


def _overdue_then_digest(match: Match) -> int:
    match.replies_due_at = utcnow() - timedelta(hours=1)
    match.reminded_at = utcnow()
    db.session.commit()
    return staff_digest.send_daily_digest()


@contextmanager
def strict_templates() -> Iterator[None]:
    """Render with StrictUndefined: using a name or attribute that isn't there raises."""
    env = current_app.jinja_env
    lenient, env.undefined = env.undefined, jinja2.StrictUndefined
    try:
        yield
    finally:
        env.undefined = lenient


def queue_every_kind(volunteer_email: str) -> list[OutboxMessage]:
    """Make the app queue every kind of email (to each side of a match), commit, return them.

    Rendered outside any request, as `flask matches tick` and other commands render theirs.
    """
    kinds = email_kinds()
    missing = sorted(set(kinds) - set(SENDERS))
    if missing:
        raise LookupError(
            f"email kinds with templates but no sender in tests/email/emails.py: {missing}"
        )
    with strict_templates():
        rows = _rows(volunteer_email)
        for kind in kinds:
            SENDERS[kind](rows)
        db.session.commit()
    messages = list(db.session.scalars(db.select(OutboxMessage).order_by(OutboxMessage.id)))
    sent_kinds = {m.kind for m in messages}
    assert sent_kinds == set(kinds), f"kinds the senders did not send: {set(kinds) - sent_kinds}"
    return messages
