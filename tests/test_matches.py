"""The life of a match, walked through the site: approve, reply by link, introduce."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from trustee_match.extensions import db
from trustee_match.matches.actions import approve_match, propose_match
from trustee_match.matches.schedule import process_due_matches
from trustee_match.models import Match, MatchState, MatchTransition, NeedStatus, OneTimeToken
from trustee_match.models.base import utcnow

from .conftest import login, logout, outbox_for, post_form
from .factories import (
    CharityFactory,
    CharityUserFactory,
    NeedFactory,
    StaffFactory,
    VolunteerFactory,
)


@pytest.fixture
def cast(app):
    """A volunteer, a verified charity with one member and an open need, and a staff member."""
    charity = CharityFactory(name="Canal Boat Trust")
    return {
        "volunteer": VolunteerFactory(email="vol@example.org"),
        "member": CharityUserFactory(email="chair@canal.org", charity=charity),
        "staff": StaffFactory(email="staff@example.org"),
        "need": NeedFactory(charity=charity, title="Digital trustee"),
    }


def approved_match(cast) -> Match:
    match = propose_match(cast["staff"], cast["need"], cast["volunteer"], reasons=["Has 2 of 2"])
    approve_match(cast["staff"], match)
    return match


def link(email: str, action: str) -> str:
    """The newest link for `action` in the newest match email to this address."""
    for message in reversed(outbox_for(email)):
        found = re.search(r"https?://[^/\s]+(/respond/\d+/" + action + r"/\S+)", message.text_body)
        if found:
            return found.group(1)
    raise AssertionError(f"no {action} link emailed to {email}")


def state_of(match: Match) -> MatchState:
    db.session.expire_all()
    return db.session.get(Match, match.id).state


def test_whole_flow_contacts_are_shared_only_after_both_accept(client, cast):
    login(client, cast["staff"].email)
    found = client.get("/staff/matches/new?q=vol@example.org").get_data(as_text=True)
    chosen = re.search(r'name="volunteer_id" value="(\d+)"', found).group(1)
    response = post_form(
        client,
        f"/staff/matches/new?q=vol@example.org&need_id={cast['need'].id}",
        {"need_id": cast["need"].id, "volunteer_id": chosen},
    )
    assert response.status_code == 302
    match = db.session.scalar(db.select(Match))
    assert outbox_for("vol@example.org") == []  # a proposal is for staff eyes only
    post_form(
        client, f"/staff/matches/{match.id}/approve", {}, form_path=f"/staff/matches/{match.id}"
    )
    assert state_of(match) == MatchState.AWAITING_REPLIES
    assert [m.kind for m in outbox_for("vol@example.org")] == ["match_proposed"]
    charity_email = outbox_for("chair@canal.org")[-1]
    assert charity_email.kind == "match_proposed"
    assert "vol@example.org" not in charity_email.text_body + charity_email.html_body
    logout(client)

    # The volunteer accepts from the email, logged out: GET shows a page, POST acts.
    accept = link("vol@example.org", "accept")
    page = client.get(accept)
    assert page.status_code == 200 and "Confirm your answer" in page.get_data(as_text=True)
    assert db.session.get(Match, match.id).volunteer_reply is None
    assert post_form(client, accept, {}).status_code == 200
    assert db.session.get(Match, match.id).volunteer_reply.value == "accepted"

    # One step before the introduction, the charity cannot see the volunteer's contacts.
    login(client, "chair@canal.org")
    page = client.get(f"/charity/matches/{match.id}").get_data(as_text=True)
    assert "vol@example.org" not in page and "07700 900123" not in page
    logout(client)

    response = post_form(client, link("chair@canal.org", "accept"), {})
    assert "You're introduced" in response.get_data(as_text=True)
    assert state_of(match) == MatchState.INTRODUCED
    intro_to_charity = outbox_for("chair@canal.org")[-1]
    intro_to_volunteer = outbox_for("vol@example.org")[-1]
    assert intro_to_charity.kind == intro_to_volunteer.kind == "match_introduction"
    assert "vol@example.org" in intro_to_charity.text_body
    assert "07700 900123" in intro_to_charity.text_body
    assert "chair@canal.org" in intro_to_volunteer.text_body

    login(client, "chair@canal.org")
    page = client.get(f"/charity/matches/{match.id}").get_data(as_text=True)
    assert "vol@example.org" in page and "07700 900123" in page
    history = [t.to_state.value for t in db.session.get(Match, match.id).transitions]
    assert history == ["proposed", "approved", "awaiting_replies", "introduced"]


def test_opening_links_never_changes_anything(client, cast):
    match = approved_match(cast)
    for action in ("accept", "decline"):
        for _ in range(3):
            assert client.get(link("vol@example.org", action)).status_code == 200
    db.session.expire_all()
    fresh = db.session.get(Match, match.id)
    assert fresh.state == MatchState.AWAITING_REPLIES and fresh.volunteer_reply is None
    assert (
        db.session.scalar(
            db.select(db.func.count())
            .select_from(OneTimeToken)
            .where(OneTimeToken.used_at.is_not(None))
        )
        == 0
    )


def test_double_clicking_accept_is_idempotent(client, cast):
    match = approved_match(cast)
    accept = link("vol@example.org", "accept")
    first = post_form(client, accept, {})
    second = post_form(client, accept, {}, form_path="/account/login")
    assert first.status_code == 200
    assert second.status_code == 200
    assert "already answered" in second.get_data(as_text=True)
    transitions = db.session.scalar(
        db.select(db.func.count())
        .select_from(MatchTransition)
        .where(MatchTransition.match_id == match.id)
    )
    assert transitions == 3  # proposed, approved, awaiting_replies: nothing more


def test_decline_closes_the_match_and_tells_the_other_side_kindly(client, cast):
    match = approved_match(cast)
    post_form(client, link("chair@canal.org", "decline"), {})
    assert state_of(match) == MatchState.DECLINED
    note = outbox_for("vol@example.org")[-1]
    assert note.kind == "match_declined"
    assert "decided not to go ahead" in note.text_body
    # The volunteer's old links now explain what happened instead of acting.
    page = client.get(link("vol@example.org", "accept"))
    assert "has ended" in page.get_data(as_text=True)


def test_expired_reused_tampered_and_foreign_links_change_nothing(client, cast):
    match = approved_match(cast)
    accept = link("vol@example.org", "accept")

    tampered = accept[:-4] + "AAAA"
    assert client.get(tampered).status_code == 404
    assert post_form(client, tampered, {}, form_path="/account/login").status_code == 404

    other_need = NeedFactory(charity=cast["need"].charity, title="Treasurer role")
    other = propose_match(cast["staff"], other_need, VolunteerFactory())
    approve_match(cast["staff"], other)
    foreign = accept.replace(f"/respond/{match.id}/", f"/respond/{other.id}/")
    assert post_form(client, foreign, {}, form_path="/account/login").status_code == 404

    # A volunteer's decline token replayed as an accept is for another action: invalid.
    decline_token = link("vol@example.org", "decline").rsplit("/", 1)[1]
    swapped = f"/respond/{match.id}/accept/{decline_token}"
    assert post_form(client, swapped, {}, form_path="/account/login").status_code == 404

    token_rows = db.session.scalars(
        db.select(OneTimeToken).where(OneTimeToken.subject_id == match.id)
    )
    for row in token_rows:
        row.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    response = post_form(client, accept, {}, form_path="/account/login")
    assert response.status_code == 410 and "expired" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Match, match.id).volunteer_reply is None


def test_a_link_for_someone_no_longer_in_the_match_is_refused(client, cast):
    match = approved_match(cast)
    accept = link("chair@canal.org", "accept")
    # The member leaves the charity: their link no longer speaks for it.
    membership = cast["member"].memberships[0]
    db.session.delete(membership)
    db.session.commit()
    assert post_form(client, accept, {}, form_path="/account/login").status_code == 404
    assert db.session.get(Match, match.id).charity_reply is None


def test_withdrawn_match_links_show_what_happened(client, cast):
    match = approved_match(cast)
    accept = link("vol@example.org", "accept")
    login(client, cast["staff"].email)
    post_form(
        client, f"/staff/matches/{match.id}/withdraw", {}, form_path=f"/staff/matches/{match.id}"
    )
    logout(client)
    assert state_of(match) == MatchState.WITHDRAWN
    assert outbox_for("vol@example.org")[-1].kind == "match_withdrawn"
    page = post_form(client, accept, {}, form_path="/account/login").get_data(as_text=True)
    assert "withdrawn" in page
    assert db.session.get(Match, match.id).volunteer_reply is None


def test_illegal_transitions_are_refused_with_a_clear_message(client, cast):
    match = propose_match(cast["staff"], cast["need"], cast["volunteer"])
    login(client, cast["staff"].email)
    post_form(
        client,
        f"/staff/matches/{match.id}/reject",
        {"reason": "location"},
        form_path=f"/staff/matches/{match.id}",
    )
    response = post_form(
        client,
        f"/staff/matches/{match.id}/approve",
        {},
        form_path=f"/staff/matches/{match.id}",
        follow_redirects=True,
    )
    assert "rejected by our team, so it can&#39;t be approved" in response.get_data(as_text=True)
    assert state_of(match) == MatchState.REJECTED
    assert outbox_for("vol@example.org") == []


def test_a_volunteer_has_at_most_the_configured_number_of_live_matches(app, cast):
    app.config["MAX_LIVE_MATCHES"] = 2
    for _ in range(2):
        need = NeedFactory(charity=cast["need"].charity)
        approve_match(cast["staff"], propose_match(cast["staff"], need, cast["volunteer"]))
    third = propose_match(cast["staff"], cast["need"], cast["volunteer"])
    with pytest.raises(Exception, match="already has 2 introductions in progress"):
        approve_match(cast["staff"], third)
    assert state_of(third) == MatchState.PROPOSED


def test_reminder_then_expiry_and_staff_see_it_as_stalled(client, cast):
    match = approved_match(cast)
    report = process_due_matches(utcnow() + timedelta(days=12))
    assert report.reminded == 1 and report.expired == 0
    assert outbox_for("vol@example.org")[-1].kind == "match_reminder"
    assert process_due_matches(utcnow() + timedelta(days=12)).reminded == 0  # only once

    report = process_due_matches(utcnow() + timedelta(days=15))
    assert report.expired == 1
    assert state_of(match) == MatchState.EXPIRED
    assert outbox_for("vol@example.org")[-1].kind == "match_expired"
    assert outbox_for("chair@canal.org")[-1].kind == "match_expired"
    login(client, cast["staff"].email)
    # The queue names volunteers (with their headline), not their email address.
    name = match.volunteer.volunteer_profile.display_name
    assert name in client.get("/staff/matches?state=stalled").get_data(as_text=True)


def test_outcome_question_and_one_click_appointment(client, cast):
    match = approved_match(cast)
    post_form(client, link("vol@example.org", "accept"), {})
    post_form(client, link("chair@canal.org", "accept"), {}, form_path="/account/login")
    assert state_of(match) == MatchState.INTRODUCED
    assert process_due_matches(utcnow() + timedelta(days=50)).outcome_asked == 1
    assert outbox_for("vol@example.org")[-1].kind == "match_outcome_question"
    response = post_form(
        client, link("chair@canal.org", "appointed"), {}, form_path="/account/login"
    )
    assert "Thank you" in response.get_data(as_text=True)
    assert state_of(match) == MatchState.APPOINTED
    assert db.session.get(Match, match.id).need.status == NeedStatus.FILLED


def test_replies_from_the_dashboard_when_logged_in(client, cast):
    match = approved_match(cast)
    login(client, "vol@example.org")
    post_form(
        client,
        f"/volunteer/matches/{match.id}/act",
        {"action": "accept"},
        form_path=f"/volunteer/matches/{match.id}",
    )
    logout(client)
    login(client, "chair@canal.org")
    response = post_form(
        client,
        f"/charity/matches/{match.id}/act",
        {"action": "accept"},
        form_path=f"/charity/matches/{match.id}",
        follow_redirects=True,
    )
    assert "You both said yes" in response.get_data(as_text=True)
    assert state_of(match) == MatchState.INTRODUCED


def test_closing_a_need_withdraws_its_open_matches(client, cast):
    match = approved_match(cast)
    login(client, "chair@canal.org")
    post_form(
        client,
        f"/charity/needs/{cast['need'].id}/status",
        {"action": "close"},
        form_path=f"/charity/needs/{cast['need'].id}",
    )
    assert state_of(match) == MatchState.WITHDRAWN
    assert outbox_for("vol@example.org")[-1].kind == "match_withdrawn"


def test_volunteer_can_say_they_are_interested(client, cast):
    login(client, "vol@example.org")
    need = cast["need"]
    post_form(
        client, f"/volunteer/needs/{need.id}/interest", {}, form_path=f"/volunteer/needs/{need.id}"
    )
    match = db.session.scalar(db.select(Match))
    assert match.source == "interest" and match.state == MatchState.PROPOSED
    page = client.get(f"/volunteer/needs/{need.id}").get_data(as_text=True)
    assert "You're connected with this role" in page


def test_staff_can_send_a_failed_email_again_and_are_warned_when_it_may_have_gone(client, cast):
    from trustee_match.models import OutboxMessage, OutboxStatus

    approved_match(cast)
    failed, unsure = outbox_for("vol@example.org")[0], outbox_for("chair@canal.org")[0]
    failed.status = unsure.status = OutboxStatus.FAILED
    failed.attempts = unsure.attempts = 8
    failed.last_error = "400 Bad Request: invalid email address"
    unsure.last_error = "no answer within 10s (SendGrid may have accepted it)"
    db.session.commit()
    login(client, cast["staff"].email)
    page = client.get("/staff/emails").get_data(as_text=True)
    assert page.count("may already have delivered this") == 1
    post_form(client, f"/staff/emails/{failed.id}/requeue", {}, form_path="/staff/emails")
    db.session.expire_all()
    again = db.session.get(OutboxMessage, failed.id)
    assert again.status == OutboxStatus.PENDING and again.attempts == 0
    response = post_form(
        client,
        f"/staff/emails/{failed.id}/requeue",
        {},
        form_path="/staff/emails",
        follow_redirects=True,
    )
    assert "can be sent again" in response.get_data(as_text=True)


def test_charity_dashboard_lists_introductions_waiting_for_its_answer(client, cast):
    match = approved_match(cast)
    login(client, "chair@canal.org")
    page = client.get("/charity/").get_data(as_text=True)
    assert "Waiting for your answer" in page
    assert f"/charity/matches/{match.id}" in page
    assert "vol@example.org" not in page
