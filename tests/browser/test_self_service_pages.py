"""The self-service pages opened from emailed links pass axe-core's WCAG 2.2 A/AA rules at both
widths, like the main pages (test_accessibility.py); so do the board audit with a board listed
and the colleagues page with an invitation out."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from trustee_match.extensions import db
from trustee_match.models import BoardMember, Need, NeedStatus, OutboxMessage, Skill, User
from trustee_match.models.base import utcnow
from trustee_match.services import alerts, colleagues, listings

from .test_accessibility import WIDTHS, log_in, violations_at_each_width

pytestmark = pytest.mark.browser


def _link(kind: str, prefix: str) -> str:
    pattern = r"https?://[^/\s]+(" + re.escape(prefix) + r"[^\s]*)"
    for message in db.session.scalars(db.select(OutboxMessage).where(OutboxMessage.kind == kind)):
        if found := re.search(pattern, message.text_body):
            return found[1]
    raise AssertionError(f"no {prefix} link in any {kind} email")


def _emailed_pages() -> list[str]:
    """Links as the app emails them, for the demo charity and volunteer."""
    member = db.session.scalar(db.select(User).where(User.email == "charity@example.org"))
    charity = member.charity
    skills = list(db.session.scalars(db.select(Skill).order_by(Skill.position).limit(3)))
    db.session.add(BoardMember(charity_id=charity.id, name="Ann Lee", skills=skills))
    colleagues.invite_colleague(member, charity, "new.colleague@example.org")
    need = db.session.scalar(
        db.select(Need).where(Need.charity_id == charity.id, Need.status == NeedStatus.OPEN)
    )
    need.published_at = utcnow() - timedelta(days=61)
    db.session.commit()
    listings.ask_still_recruiting()
    volunteer = db.session.scalar(db.select(User).where(User.email == "volunteer@example.org"))
    return [
        _link("colleague_invitation", "/links/invitation/"),
        _link("role_still_recruiting", f"/links/role/{need.id}/close/"),
        _link("role_still_recruiting", f"/links/role/{need.id}/keep-open/"),
        f"/links/alerts/unsubscribe/{alerts.unsubscribe_token(volunteer)}",
    ]


def test_self_service_pages_have_no_wcag_violations(live_server, browser, axe_script):
    problems = []
    page = browser.new_page(viewport={"width": WIDTHS[0], "height": 900}, bypass_csp=True)
    for path in _emailed_pages():
        response = page.goto(live_server + path)
        assert response.status == 200, f"{path} answered {response.status}"
        problems += violations_at_each_width(page, axe_script, path)
    log_in(page, live_server, "charity@example.org")
    for path in ("/charity/board", "/charity/colleagues", "/charity/"):
        assert page.goto(live_server + path).status == 200
        problems += violations_at_each_width(page, axe_script, path)
    page.close()
    assert problems == []
