"""Each side reads where a match stands in one plain sentence, right for every state."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from trustee_match.extensions import db
from trustee_match.matches.actions import approve_match, propose_match
from trustee_match.matches.describe import describe
from trustee_match.models import MatchState, Reply

from ..conftest import login
from ..factories import (
    CharityFactory,
    CharityUserFactory,
    NeedFactory,
    StaffFactory,
    VolunteerFactory,
)

S = MatchState
DUE = datetime(2027, 3, 3, 12, 0, tzinfo=UTC)

# (state, volunteer's reply, charity's reply, source) -> (volunteer reads, charity reads)
CASES = {
    (S.PROPOSED, None, None, "interest"): (
        "You said you're interested: our team will look at it soon",
        "Our team is looking at this suggestion",
    ),
    (S.PROPOSED, None, None, "ranker"): (
        "Our team is looking at this suggestion",
        "Our team is looking at this suggestion",
    ),
    (S.REJECTED, None, None, "interest"): (
        "Our team decided not to take this one further",
        "Our team decided not to take this one further",
    ),
    (S.APPROVED, None, None, "staff"): (
        "Our team suggested you: an email asking for your reply is on its way",
        "Our team suggested this volunteer: an email asking for your reply is on its way",
    ),
    (S.AWAITING_REPLIES, None, None, "staff"): (
        "Waiting for your reply (and the charity's), due 3 March 2027",
        "Waiting for your reply (and Priya's), due 3 March 2027",
    ),
    (S.AWAITING_REPLIES, Reply.ACCEPTED, None, "staff"): (
        "You said yes: waiting for the charity's reply, due 3 March 2027",
        "Priya said yes: waiting for your reply, due 3 March 2027",
    ),
    (S.AWAITING_REPLIES, None, Reply.ACCEPTED, "staff"): (
        "The charity said yes: waiting for your reply, due 3 March 2027",
        "You said yes: waiting for Priya's reply, due 3 March 2027",
    ),
    (S.INTRODUCED, Reply.ACCEPTED, Reply.ACCEPTED, "staff"): (
        "Introduced: you both said yes and have each other's contact details",
        "Introduced: you both said yes and have each other's contact details",
    ),
    (S.APPOINTED, Reply.ACCEPTED, Reply.ACCEPTED, "staff"): (
        "You were appointed as a trustee. Congratulations",
        "Appointed to your board. Congratulations",
    ),
    (S.NOT_PROCEEDING, Reply.ACCEPTED, Reply.ACCEPTED, "staff"): (
        "You met, and it isn't going ahead",
        "You met, and it isn't going ahead",
    ),
    (S.DECLINED, Reply.DECLINED, None, "staff"): (
        "You said no, thank you, so this one won't go ahead",
        "Priya decided not to go ahead with this one",
    ),
    (S.DECLINED, Reply.ACCEPTED, Reply.DECLINED, "staff"): (
        "The charity decided not to go ahead with this one",
        "You said no, thank you, so this one won't go ahead",
    ),
    (S.EXPIRED, None, None, "staff"): (
        "Lapsed: the time to reply ran out",
        "Lapsed: the time to reply ran out",
    ),
    (S.WITHDRAWN, None, None, "staff"): (
        "Withdrawn: no reply is needed",
        "Withdrawn: no reply is needed",
    ),
}


@pytest.fixture
def match(app):
    charity = CharityFactory(name="Canal Boat Trust")
    CharityUserFactory(email="chair@canal.org", charity=charity)
    volunteer = VolunteerFactory(email="priya@example.org")
    volunteer.volunteer_profile.display_name = "Priya Shah"
    return propose_match(StaffFactory(), NeedFactory(charity=charity), volunteer)


def test_every_state_has_a_sentence_for_each_side():
    assert {state for state, *_ in CASES} == set(MatchState)


@pytest.mark.parametrize(("case", "expected"), list(CASES.items()), ids=lambda c: str(c))
def test_each_side_reads_the_right_sentence(match, case, expected):
    state, volunteer_reply, charity_reply, source = case
    match.state, match.source, match.replies_due_at = state, source, DUE
    match.volunteer_reply, match.charity_reply = volunteer_reply, charity_reply
    assert (describe(match, "volunteer"), describe(match, "charity")) == expected
    # Plain words: no internal names such as awaiting_replies.
    assert not any("_" in sentence for sentence in expected)


def test_an_unknown_side_is_refused(match):
    with pytest.raises(ValueError):
        describe(match, "staff")


def test_volunteer_sees_their_interest_and_its_state_in_their_introductions(client, match):
    match.source = "interest"
    db.session.commit()
    login(client, "priya@example.org")
    html = client.get("/volunteer/matches").get_data(as_text=True)
    assert "You said you&#39;re interested" in html
    assert "our team will look at it soon" in html


def test_both_sides_read_the_waiting_sentence_on_the_match_page(app, match):
    approve_match(StaffFactory(), match)
    due = f"{match.replies_due_at.day} {match.replies_due_at:%B %Y}"
    volunteer, member = app.test_client(), app.test_client()
    login(volunteer, "priya@example.org")
    login(member, "chair@canal.org")
    page = volunteer.get(f"/volunteer/matches/{match.id}").get_data(as_text=True)
    assert f"Waiting for your reply (and the charity&#39;s), due {due}" in page
    page = member.get(f"/charity/matches/{match.id}").get_data(as_text=True)
    assert f"Waiting for your reply (and Priya&#39;s), due {due}" in page
    listing = member.get("/charity/matches").get_data(as_text=True)
    assert f"Waiting for your reply (and Priya&#39;s), due {due}" in listing


def test_a_volunteer_never_sees_another_volunteers_match(app, match):
    approve_match(StaffFactory(), match)
    VolunteerFactory(email="other@example.org")
    other = app.test_client()
    login(other, "other@example.org")
    assert other.get(f"/volunteer/matches/{match.id}").status_code == 404
    assert "Canal Boat Trust" not in other.get("/volunteer/matches").get_data(as_text=True)
    assert other.get("/charity/matches").status_code == 403
