"""GDPR rights: download your data, delete your account, staff on request, retention, notice."""

from __future__ import annotations

import json
from datetime import timedelta

from sqlalchemy import select, update

from trustee_match.extensions import db
from trustee_match.matches.actions import approve_match, propose_match, record_reply
from trustee_match.models import (
    AuditEntry,
    Cause,
    CharityMember,
    Match,
    MatchState,
    OutboxMessage,
    Reply,
    User,
)
from trustee_match.models.base import utcnow

from .conftest import login, outbox_for, post_form
from .factories import (
    CharityFactory,
    CharityUserFactory,
    NeedFactory,
    StaffFactory,
    VolunteerFactory,
    give_skills,
)


def _world():
    charity = CharityFactory(name="Canal Boat Trust")
    member = CharityUserFactory(email="member@canal.org", charity=charity)
    staff = StaffFactory(email="staff@example.org")
    volunteer = VolunteerFactory(email="ada@example.org")
    volunteer.volunteer_profile.display_name = "Ada Lovelace"
    volunteer.volunteer_profile.causes.append(db.session.scalars(select(Cause)).first())
    give_skills(volunteer.volunteer_profile, "cybersecurity")
    other = VolunteerFactory(email="grace@example.org")
    other.volunteer_profile.display_name = "Grace Hopper"
    db.session.commit()
    need = NeedFactory(charity=charity, title="Data trustee")
    match = propose_match(staff, need, volunteer, volunteer_reasons=["You know data well"])
    approve_match(staff, match)
    other_match = propose_match(staff, NeedFactory(charity=charity, title="Other role"), other)
    approve_match(staff, other_match)
    return {
        "charity": charity,
        "member": member,
        "staff": staff,
        "volunteer": volunteer,
        "other": other,
        "match": match,
        "need": need,
    }


def _everything_stored() -> str:
    """Every outbox row's address, name and words, as one string to search."""
    db.session.expire_all()
    rows = db.session.scalars(select(OutboxMessage)).all()
    return "\n".join(f"{r.to_email} {r.to_name} {r.text_body} {r.html_body}" for r in rows)


def test_a_volunteer_downloads_their_own_data_and_nobody_elses(app, client):
    w = _world()
    login(client, "ada@example.org")

    page = client.get("/account/data").get_data(as_text=True)
    assert "Download your data" in page and "Delete your account" in page
    response = client.get("/account/data/download")

    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert response.headers["Cache-Control"] == "no-store"
    data = json.loads(response.get_data(as_text=True))
    assert data["account"]["email"] == "ada@example.org"
    profile = data["volunteer_profile"]
    assert profile["display_name"] == "Ada Lovelace" and profile["phone"] == "07700 900123"
    assert [s["skill"] for s in profile["skills"]] == [
        w["volunteer"].volunteer_profile.skills[0].skill.name
    ]
    assert len(profile["causes"]) == 1
    [match] = data["matches"]
    assert (match["role"], match["charity"], match["status"]) == (
        "Data trustee",
        "Canal Boat Trust",
        "waiting for replies",
    )
    assert [h["status"] for h in match["history"]] == [
        "proposed",
        "approved",
        "waiting for replies",
    ]
    assert match["why_we_suggested_it"] == ["You know data well"]
    assert "score" not in json.dumps(match)
    subjects = [e["subject"] for e in data["emails_sent_to_you"]]
    assert subjects and all(e["text"] for e in data["emails_sent_to_you"])
    text = response.get_data(as_text=True)
    for someone_else in ("grace@example.org", "Grace Hopper", "member@canal.org", "Other role"):
        assert someone_else not in text


def test_a_charity_member_downloads_their_membership_and_the_charitys_matches(app, client):
    _world()
    login(client, "member@canal.org")

    data = client.get("/account/data/download").get_json()

    assert data["charity_memberships"][0]["charity"] == "Canal Boat Trust"
    assert data["charity_memberships"][0]["your_name"] == "Sam Charity"
    assert {m["volunteer"] for m in data["matches"]} == {"Ada", "Grace"}
    assert data["volunteer_profile"] is None
    text = json.dumps(data)
    assert "ada@example.org" not in text and "07700" not in text  # not introduced yet


def test_deleting_an_account_needs_the_password_and_the_tick(app, client):
    _world()
    login(client, "ada@example.org")
    page = client.get("/account/delete").get_data(as_text=True)
    assert "This cannot be undone" in page and "charities are told" in page

    wrong = post_form(client, "/account/delete", {"password": "not it", "confirm": "y"})
    unticked = post_form(client, "/account/delete", {"password": "correct horse battery"})

    assert "That password is not right." in wrong.get_data(as_text=True)
    assert "Tick the box to confirm" in unticked.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.scalar(select(User).where(User.email == "ada@example.org")).active


def test_a_deleted_volunteer_cannot_log_in_the_charity_is_told_and_no_email_keeps_them(app, client):
    w = _world()
    assert "ada@example.org" in _everything_stored()
    assert "Ada" in _everything_stored()
    volunteer_id = w["volunteer"].id
    login(client, "ada@example.org")

    response = post_form(
        client, "/account/delete", {"password": "correct horse battery", "confirm": "y"}
    )

    assert response.status_code == 302
    home = client.get("/", follow_redirects=True).get_data(as_text=True)
    assert "Your account has been deleted." in home and "Log out" not in home
    assert client.get("/account/data").status_code == 302  # logged out
    again = login(client, "ada@example.org")
    assert again.status_code == 200 and "/volunteer" not in (again.location or "")
    # The charity member is told the introduction is off, by the usual withdrawal email.
    [told] = [m for m in outbox_for("member@canal.org") if m.kind == "match_withdrawn"]
    assert "has been withdrawn" in told.text_body and "Data trustee" in told.text_body
    db.session.expire_all()
    assert db.session.get(Match, w["match"].id).state == MatchState.WITHDRAWN
    stored = _everything_stored()
    assert "ada@example.org" not in stored and "Ada Lovelace" not in stored
    assert outbox_for("ada@example.org") == []
    user = db.session.get(User, volunteer_id)
    profile = user.volunteer_profile
    assert (user.active, user.password_hash, profile.phone, profile.bio, profile.skills) == (
        False,
        None,
        None,
        "",
        [],
    )
    [entry] = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "account_deleted")
    ).all()
    assert entry.detail == {"by": "self", "role": "volunteer"}
    # The other volunteer's data is untouched.
    assert outbox_for("grace@example.org")


def test_the_last_member_of_a_charity_cannot_delete_their_account_until_someone_joins(app, client):
    w = _world()
    login(client, "member@canal.org")
    form = {"password": "correct horse battery", "confirm": "y"}

    refused = post_form(client, "/account/delete", form)

    assert "only member of Canal Boat Trust" in refused.get_data(as_text=True)
    CharityUserFactory(email="second@canal.org", charity=w["charity"])
    done = post_form(client, "/account/delete", form)
    assert done.status_code == 302
    db.session.expire_all()
    members = db.session.scalars(select(CharityMember)).all()
    assert [m.user.email for m in members] == ["second@canal.org"]
    assert db.session.get(Match, w["match"].id).state == MatchState.AWAITING_REPLIES


def test_staff_export_and_delete_an_account_on_request_and_both_are_audited(app, client):
    w = _world()
    login(client, "staff@example.org")
    users = client.get("/staff/users").get_data(as_text=True)
    assert "Download data" in users and "Delete account" in users

    exported = post_form(
        client, f"/staff/users/{w['volunteer'].id}/export", {}, form_path="/staff/users"
    )
    deleted = post_form(
        client,
        f"/staff/users/{w['volunteer'].id}/delete",
        {},
        form_path="/staff/users",
        follow_redirects=True,
    )
    refused = post_form(
        client,
        f"/staff/users/{w['member'].id}/delete",
        {},
        form_path="/staff/users",
        follow_redirects=True,
    )

    assert exported.get_json()["account"]["email"] == "ada@example.org"
    assert "The account of ada@example.org is deleted." in deleted.get_data(as_text=True)
    assert "only member of Canal Boat Trust" in refused.get_data(as_text=True)
    actions = db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    actions = [a for a in actions if a != "volunteer_contact_viewed"]  # the People page's views
    assert actions[-3:] == ["user_data_exported", "match_withdrawn", "account_deleted"]
    entry = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "account_deleted")
    ).one()
    assert (entry.actor_id, entry.detail["by"]) == (w["staff"].id, "staff")
    assert "ada@example.org" not in _everything_stored()
    # The volunteer is not emailed about the withdrawal of their own match; the charity is.
    assert any(m.kind == "match_withdrawn" for m in outbox_for("member@canal.org"))


def _closed_match(w, state: MatchState, days_ago: int, title: str) -> Match:
    volunteer = VolunteerFactory()
    match = Match(
        need=NeedFactory(charity=w["charity"], title=title),
        volunteer=volunteer,
        state=state,
        volunteer_reasons=["You know data well"],
    )
    db.session.add(match)
    db.session.commit()
    db.session.execute(
        update(Match)
        .where(Match.id == match.id)
        .values(updated_at=utcnow() - timedelta(days=days_ago))
    )
    db.session.commit()
    return match


def test_privacy_purge_anonymises_only_old_declined_and_expired_matches(app):
    w = _world()
    app.config["PRIVACY_RETENTION_DAYS"] = 365
    old_declined = _closed_match(w, MatchState.DECLINED, 400, "Old declined")
    old_expired = _closed_match(w, MatchState.EXPIRED, 366, "Old expired")
    recent = _closed_match(w, MatchState.DECLINED, 100, "Recent declined")
    withdrawn = _closed_match(w, MatchState.WITHDRAWN, 400, "Old withdrawn")
    appointed = _closed_match(w, MatchState.APPOINTED, 400, "Old appointed")
    before = {m.id: m.volunteer_id for m in (old_declined, old_expired, recent, withdrawn)}
    before[appointed.id] = appointed.volunteer_id

    result = app.test_cli_runner().invoke(args=["privacy", "purge"])

    assert result.exit_code == 0, result.output
    assert "Anonymised 2 declined or expired matches older than 365 days." in result.output
    db.session.expire_all()
    for match in (old_declined, old_expired):
        match = db.session.get(Match, match.id)
        assert match.volunteer_id != before[match.id]
        assert match.volunteer.volunteer_profile.display_name == "Former volunteer"
        assert not match.volunteer.active and match.volunteer_reasons == []
    assert old_declined.volunteer_id != old_expired.volunteer_id  # not linkable to each other
    for match in (recent, withdrawn, appointed):
        match = db.session.get(Match, match.id)
        assert match.volunteer_id == before[match.id]
        assert match.volunteer_reasons == ["You know data well"]
    again = app.test_cli_runner().invoke(args=["privacy", "purge"])
    assert "Anonymised 0 declined" in again.output


def test_a_declined_match_past_retention_reads_as_a_former_volunteer_to_the_charity(app, client):
    w = _world()
    record_reply(w["member"], w["match"], Reply.DECLINED)
    db.session.execute(
        update(Match)
        .where(Match.id == w["match"].id)
        .values(updated_at=utcnow() - timedelta(days=400))
    )
    db.session.commit()
    app.test_cli_runner().invoke(args=["privacy", "purge"])

    login(client, "member@canal.org")
    page = client.get(f"/charity/matches/{w['match'].id}").get_data(as_text=True)
    exported = client.get("/account/data/download").get_json()["matches"]

    assert "Ada" not in page and "Former" in page
    assert [m["volunteer"] for m in exported if m["role"] == "Data trustee"] == ["Former"]


def test_the_privacy_notice_is_linked_from_every_footer_and_says_what_is_kept(app, client):
    app.config["PRIVACY_RETENTION_DAYS"] = 200
    home = client.get("/").get_data(as_text=True)
    assert 'href="/privacy"' in home.split("<footer")[1]

    page = client.get("/privacy").get_data(as_text=True)

    for words in ("What we keep and why", "How long we keep it", "Your rights", "200 days"):
        assert words in page
    login_page = client.get("/account/login").get_data(as_text=True)
    assert 'href="/privacy"' in login_page.split("<footer")[1]
