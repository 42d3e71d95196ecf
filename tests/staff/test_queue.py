"""The match queue: filters, names with headlines, states and reasons in words, pages."""

from __future__ import annotations

import re
from datetime import timedelta

from trustee_match.extensions import db
from trustee_match.matches.actions import approve_match, propose_match
from trustee_match.models import Cause, Match
from trustee_match.models.base import utcnow

from ..conftest import login, post_form
from ..factories import CharityFactory, NeedFactory, StaffFactory, VolunteerFactory


def visible(html: str) -> str:
    """The page's words, without tags and attributes (where state values may appear)."""
    return re.sub(r"<[^>]+>", " ", html)


def _client(app, staff):
    client = app.test_client()
    login(client, staff.email)
    return client


def _volunteer(name: str, headline: str):
    volunteer = VolunteerFactory()
    volunteer.volunteer_profile.display_name = name
    volunteer.volunteer_profile.headline = headline
    db.session.commit()
    return volunteer


def test_the_queue_shows_names_with_headlines_not_emails(app):
    staff = StaffFactory()
    volunteer = _volunteer("Priya Shah", "Security lead at a bank")
    propose_match(staff, NeedFactory(), volunteer)
    html = _client(app, staff).get("/staff/matches").get_data(as_text=True)
    assert "Priya Shah" in html and "Security lead at a bank" in html
    assert volunteer.email not in html
    assert "Staff, by hand" in html


def test_each_filter_narrows_the_queue(app):
    staff = StaffFactory()
    health = db.session.scalar(db.select(Cause).order_by(Cause.id))
    leeds = CharityFactory(name="Leeds Youth")
    bristol = CharityFactory(name="Bristol Arts", region="South West")
    a = NeedFactory(charity=leeds, title="Role A")
    a.causes = [health]
    b = NeedFactory(charity=bristol, title="Role B", region="South West")
    m1 = propose_match(staff, a, _volunteer("Ann One", "h"))
    m2 = propose_match(staff, b, _volunteer("Bob Two", "h"))
    m1.score, m1.source = 0.9, "ranker"
    m2.score = 0.3
    m2.created_at = utcnow() - timedelta(days=10)
    db.session.commit()
    client = _client(app, staff)

    def shown(query: str) -> set[str]:
        html = client.get("/staff/matches?state=proposed&" + query).get_data(as_text=True)
        return {name for name in ("Ann One", "Bob Two") if name in html}

    assert shown("") == {"Ann One", "Bob Two"}
    assert shown(f"cause={health.slug}") == {"Ann One"}
    assert shown("region=South+West") == {"Bob Two"}
    assert shown("charity=leeds") == {"Ann One"}
    assert shown("min_score=0.5") == {"Ann One"}
    assert shown("source=ranker") == {"Ann One"}
    assert shown("min_age=7") == {"Bob Two"}
    # Filters stay on when switching tabs.
    html = client.get("/staff/matches?state=proposed&charity=leeds").get_data(as_text=True)
    assert "/staff/matches?state=closed&amp;charity=leeds" in html


def test_a_bad_filter_is_explained_and_nothing_breaks(app):
    staff = StaffFactory()
    client = _client(app, staff)
    response = client.get("/staff/matches?min_score=7&min_age=-1&region=Atlantis")
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Enter a score from 0 to 1." in html
    assert "Enter a number of days from 0 to 3650." in html


def test_the_queue_is_paginated(app):
    staff = StaffFactory()
    need = NeedFactory()
    for _ in range(51):
        db.session.add(Match(need=need, volunteer=VolunteerFactory(), source="ranker"))
    db.session.commit()
    client = _client(app, staff)
    first = client.get("/staff/matches").get_data(as_text=True)
    assert "Page 1 of 2" in first and "51 matches." in first
    assert client.get("/staff/matches?page=2").get_data(as_text=True).count("/staff/matches/") >= 1


def test_history_uses_words_and_the_picked_reason_is_shown_as_picked(app):
    staff = StaffFactory()
    client = _client(app, staff)
    match = propose_match(staff, NeedFactory(), VolunteerFactory())
    path = f"/staff/matches/{match.id}"
    post_form(
        client, f"{path}/reject", {"reason": "conflict_of_interest", "note": ""}, form_path=path
    )
    html = client.get(path).get_data(as_text=True)
    assert "Conflict of interest" in html
    assert "Skills don" not in html.split("<h2>History</h2>")[0].split("Rejected because")[1]
    assert "Rejected by our team" in html
    assert "awaiting_replies" not in visible(html) and " rejected " not in visible(html)
    closed = client.get("/staff/matches?state=closed").get_data(as_text=True)
    assert "Conflict of interest" in closed
    audit = client.get("/staff/audit?action=match_rejected").get_data(as_text=True)
    assert "Reason: Conflict of interest" in audit

    waiting = propose_match(staff, NeedFactory(), VolunteerFactory())
    approve_match(staff, waiting)
    html = client.get(f"/staff/matches/{waiting.id}").get_data(as_text=True)
    assert "Waiting for replies" in html and "awaiting_replies" not in visible(html)


def test_staff_see_when_a_reminder_went(app):
    staff = StaffFactory()
    match = propose_match(staff, NeedFactory(), VolunteerFactory())
    approve_match(staff, match)
    from trustee_match.matches.schedule import process_due_matches

    match.replies_due_at = utcnow() + timedelta(days=1)  # inside the reminder window
    db.session.commit()
    assert process_due_matches().reminded == 1
    client = _client(app, staff)
    html = client.get(f"/staff/matches/{match.id}").get_data(as_text=True)
    assert "Reminder sent" in html
    listing = client.get("/staff/matches?state=awaiting_replies").get_data(as_text=True)
    assert "reminded " in listing
