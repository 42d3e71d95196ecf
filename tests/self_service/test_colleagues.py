"""A charity's members invite colleagues by a signed, expiring, single-use link, remove them,
and choose who gets match emails; the last member can't leave."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from trustee_match.extensions import db
from trustee_match.matches.actions import approve_match, propose_match
from trustee_match.models import CharityInvitation, CharityMember, User
from trustee_match.models.base import utcnow

from ..conftest import PASSWORD, link_in, login, outbox_for, post_form
from ..factories import (
    CharityFactory,
    CharityUserFactory,
    NeedFactory,
    StaffFactory,
    VolunteerFactory,
)

NEW_PASSWORD = "lantern orchard sixty"


@pytest.fixture
def charity(app):
    charity = CharityFactory(name="Canal Boat Trust")
    CharityUserFactory(email="chair@canal.org", charity=charity)
    return charity


def _invite(client, email="new.colleague@canal.org", logged_in=False):
    if not logged_in:
        login(client, "chair@canal.org")
    return post_form(
        client, "/charity/colleagues/invite", {"email": email}, form_path="/charity/colleagues"
    )


def _invite_link(email="new.colleague@canal.org") -> str:
    return link_in(outbox_for(email)[-1], "/links/invitation/")


def _join(client, path, name="Jo Bloggs", form_path=None):
    data = {"contact_name": name, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    return post_form(client, path, data, form_path=form_path)


def test_an_invited_colleague_joins_and_can_log_in(app, client, charity):
    response = _invite(client)
    assert response.status_code == 302
    message = outbox_for("new.colleague@canal.org")[-1]
    assert "Canal Boat Trust" in message.subject
    path = _invite_link()
    assert "new.colleague@canal.org" in client.get("/charity/colleagues").get_data(as_text=True)

    guest = app.test_client()
    page = guest.get(path)
    assert page.status_code == 200 and "Join Canal Boat Trust" in page.get_data(as_text=True)
    done = _join(guest, path)
    assert done.status_code == 200 and "Your account is ready" in done.get_data(as_text=True)
    user = db.session.scalar(db.select(User).where(User.email == "new.colleague@canal.org"))
    assert user.charity.id == charity.id and user.email_verified

    colleague = app.test_client()
    assert login(colleague, "new.colleague@canal.org", NEW_PASSWORD).status_code == 302
    assert "Canal Boat Trust" in colleague.get("/charity/").get_data(as_text=True)


def test_an_invite_link_used_twice_is_refused(app, client, charity):
    _invite(client)
    path = _invite_link()
    first, second = app.test_client(), app.test_client()
    assert _join(first, path).status_code == 200
    again = second.get(path)
    assert again.status_code == 410 and "already been used" in again.get_data(as_text=True)
    # A used link shows no form: the token comes from another page, as a replay's would.
    replay = _join(second, path, name="Someone Else", form_path="/account/login")
    assert replay.status_code == 410
    assert db.session.scalar(db.select(db.func.count()).select_from(CharityMember)) == 2


def test_an_expired_invite_link_is_refused(app, client, charity):
    _invite(client)
    path = _invite_link()
    invitation = db.session.scalar(db.select(CharityInvitation))
    invitation.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    guest = app.test_client()
    page = guest.get(path)
    assert page.status_code == 410 and "expired" in page.get_data(as_text=True)
    assert "csrf_token" not in page.get_data(as_text=True)  # no form to fill in


def test_a_forged_invite_link_and_a_taken_address_are_refused(app, client, charity):
    assert app.test_client().get("/links/invitation/forged").status_code == 404
    VolunteerFactory(email="taken@example.org")
    _invite(client, "taken@example.org")
    page = app.test_client().get(_invite_link("taken@example.org"))
    assert page.status_code == 409 and "already has an account" in page.get_data(as_text=True)


def test_bad_invitations_are_refused_with_a_message(client, charity):
    response = _invite(client, "not-an-email")
    assert "Enter an email address like" in response.get_data(as_text=True)
    response = _invite(client, "chair@canal.org", logged_in=True)
    assert "already one of your colleagues" in response.get_data(as_text=True)
    assert outbox_for("chair@canal.org") == []


def test_the_last_member_cannot_leave(client, charity):
    login(client, "chair@canal.org")
    page = client.get("/charity/colleagues").get_data(as_text=True)
    assert "The last member can't leave" in page
    member = charity.members[0]
    response = post_form(
        client, f"/charity/colleagues/{member.id}/remove", {}, form_path="/charity/colleagues",
        follow_redirects=True,
    )
    assert "you can&#39;t leave" in response.get_data(as_text=True)
    assert db.session.get(CharityMember, member.id) is not None


def test_a_member_removes_a_colleague_who_can_then_no_longer_log_in(app, client, charity):
    CharityUserFactory(email="treasurer@canal.org", charity=charity)
    other = db.session.scalar(
        db.select(CharityMember).join(CharityMember.user).where(User.email == "treasurer@canal.org")
    )
    login(client, "chair@canal.org")
    response = post_form(
        client, f"/charity/colleagues/{other.id}/remove", {}, form_path="/charity/colleagues",
        follow_redirects=True,
    )
    assert "no longer a member" in response.get_data(as_text=True)
    gone = app.test_client()
    assert login(gone, "treasurer@canal.org", PASSWORD).status_code != 302


def test_a_member_of_another_charity_cannot_be_removed(client, charity):
    stranger = CharityUserFactory(email="member@moor.org")
    member = stranger.memberships[0]
    login(client, "chair@canal.org")
    response = post_form(
        client, f"/charity/colleagues/{member.id}/remove", {}, form_path="/charity/colleagues"
    )
    assert response.status_code == 404
    assert db.session.get(CharityMember, member.id) is not None


def test_only_chosen_members_get_match_emails_and_someone_always_does(client, charity):
    CharityUserFactory(email="treasurer@canal.org", charity=charity)
    _chair, treasurer = sorted(charity.members, key=lambda m: m.id)
    login(client, "chair@canal.org")
    none = post_form(
        client, "/charity/colleagues/match-emails", {}, form_path="/charity/colleagues"
    )
    assert "Choose at least one person" in none.get_data(as_text=True)
    response = post_form(
        client, "/charity/colleagues/match-emails", {"members": [treasurer.id]},
        form_path="/charity/colleagues",
    )
    assert response.status_code == 302
    forged = post_form(
        client, "/charity/colleagues/match-emails", {"members": [treasurer.id, 999]},
        form_path="/charity/colleagues",
    )
    assert "not on the list" in forged.get_data(as_text=True)

    match = propose_match(StaffFactory(), NeedFactory(charity=charity), VolunteerFactory())
    approve_match(StaffFactory(), match)
    assert [m.kind for m in outbox_for("treasurer@canal.org")] == ["match_proposed"]
    assert outbox_for("chair@canal.org") == []
    links = re.findall(r"/respond/\S+", outbox_for("treasurer@canal.org")[0].text_body)
    assert links
