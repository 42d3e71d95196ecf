"""Volunteers who opt in get new roles that suit them by email, with the reasons; never the same
role twice; one click (logged out, or the mail client's RFC 8058 POST) stops them."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from trustee_match.email.backends import OutgoingEmail
from trustee_match.email.sendgrid_backend import SendGridBackend
from trustee_match.extensions import db
from trustee_match.models import AlertFrequency, ChangeKind, SentAlert, User
from trustee_match.ranking.changes import record_change
from trustee_match.ranking.records import candidate_profiles
from trustee_match.services.alerts import send_alerts

from ..conftest import login, outbox_for, post_form
from ..factories import CharityFactory, NeedFactory, VolunteerFactory, give_skills, need_skills

EMAIL = "priya@example.org"


def _role(title: str, charity=None):
    need = NeedFactory(charity=charity or CharityFactory(name="Canal Boat Trust"), title=title)
    need_skills(need, required=("cybersecurity",))
    record_change(ChangeKind.NEED, need.id)  # as publishing does
    db.session.commit()
    return need


@pytest.fixture
def volunteer(app):
    user = VolunteerFactory(email=EMAIL)
    user.volunteer_profile.display_name = "Priya Shah"
    give_skills(user.volunteer_profile, "cybersecurity", "data-protection")
    record_change(ChangeKind.VOLUNTEER, user.id)
    db.session.commit()
    return user


def _opt_in(client, frequency: str, paused_until: str = ""):
    login(client, EMAIL)
    data = {"alert_frequency": frequency, "paused_until": paused_until}
    return post_form(client, "/volunteer/alerts", data)


def _alerts() -> list:
    return [m for m in outbox_for(EMAIL) if m.kind == "role_alert"]


def test_an_opted_in_volunteer_gets_a_new_role_once_with_the_reasons(client, volunteer):
    assert _opt_in(client, "instant").status_code == 302
    _role("Digital trustee for security")
    run = send_alerts(digest=False)
    assert (run.emails, run.roles) == (1, 1)
    [message] = _alerts()
    assert "Digital trustee for security" in message.text_body
    assert "You have" in message.text_body  # the reasons, said to the volunteer
    assert "/volunteer/needs/" in message.text_body

    assert send_alerts(digest=False).emails == 0  # never the same role twice
    second = _role("Cyber trustee")
    assert send_alerts(digest=False).emails == 1
    newest = _alerts()[-1]
    assert "Cyber trustee" in newest.text_body
    assert "Digital trustee for security" not in newest.text_body
    sent = db.session.scalars(db.select(SentAlert.need_id)).all()
    assert sorted(sent) == sorted([second.id, second.id - 1])


def test_alert_emails_carry_one_click_unsubscribe_headers_to_sendgrid(client, volunteer):
    _opt_in(client, "instant")
    _role("Digital trustee")
    send_alerts(digest=False)
    [message] = _alerts()
    assert message.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = message.headers["List-Unsubscribe"]
    assert link.startswith("<http://localhost/links/alerts/unsubscribe/") and link.endswith(">")
    body = SendGridBackend("key", from_email="hello@example.org").build(
        OutgoingEmail.from_row(message)
    ).get()
    assert body["headers"] == message.headers


def test_the_unsubscribe_link_works_logged_out_and_stops_alerts(app, client, volunteer):
    _opt_in(client, "instant")
    _role("Digital trustee")
    send_alerts(digest=False)
    path = _alerts()[0].headers["List-Unsubscribe"].strip("<>").removeprefix("http://localhost")

    stranger = app.test_client()
    page = stranger.get(path)  # a mail scanner opening it changes nothing
    assert page.status_code == 200 and "Stop role alerts?" in page.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, volunteer.id).volunteer_profile.alert_frequency == "instant"

    # The mail client's one-click POST (RFC 8058): no session, no CSRF token.
    done = stranger.post(path, data={"List-Unsubscribe": "One-Click"})
    assert done.status_code == 200 and "won't get role alerts" in done.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, volunteer.id).volunteer_profile.alert_frequency == "off"
    _role("Another security role")
    assert send_alerts(digest=False).emails == 0
    assert stranger.post(path).status_code == 200  # twice is harmless

    assert stranger.get("/links/alerts/unsubscribe/forged").status_code == 404
    assert stranger.post("/links/alerts/unsubscribe/forged").status_code == 404


def test_the_weekly_digest_goes_only_to_weekly_subscribers(app, client, volunteer):
    _opt_in(client, "weekly")
    _role("Digital trustee")
    assert send_alerts(digest=False).emails == 0
    assert send_alerts(digest=True).emails == 1
    assert "weekly round-up" in _alerts()[0].text_body


def test_no_alerts_without_opting_in(client, volunteer):
    _role("Digital trustee")
    assert send_alerts(digest=False).emails == 0
    assert send_alerts(digest=True).emails == 0


def test_a_paused_volunteer_gets_no_proposals_or_alerts_until_the_date(client, volunteer):
    until = date.today() + timedelta(days=30)
    assert _opt_in(client, "instant", until.isoformat()).status_code == 302
    assert volunteer.id not in {p.user_id for p in candidate_profiles()}
    dashboard = client.get("/volunteer/").get_data(as_text=True)
    assert f"Matching is paused until {until.day} {until:%B %Y}" in dashboard
    _role("Digital trustee")
    assert send_alerts(digest=False).emails == 0

    from trustee_match.matches.schedule import run_schedule
    from trustee_match.models.base import utcnow

    assert run_schedule(utcnow() + timedelta(days=31)).pauses_lifted == 1
    assert volunteer.id in {p.user_id for p in candidate_profiles()}


def test_a_pause_date_in_the_past_is_refused(client, volunteer):
    response = _opt_in(client, "instant", "2020-01-01")
    assert response.status_code == 200
    assert "Choose a date after today" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, volunteer.id).volunteer_profile.alert_frequency == "off"


def test_a_forged_frequency_is_refused(client, volunteer):
    response = _opt_in(client, "hourly")
    assert response.status_code == 200 and "Not a valid choice" in response.get_data(as_text=True)


def test_the_cli_prints_its_run_time_and_how_many_it_queued(app, volunteer):
    volunteer.volunteer_profile.alert_frequency = AlertFrequency.INSTANT
    db.session.commit()
    _role("Digital trustee")
    result = app.test_cli_runner().invoke(args=["alerts", "send"])
    assert result.exit_code == 0, result.output
    assert "Queued 1 instant alert emails about 1 new roles in" in result.output
    again = app.test_cli_runner().invoke(args=["alerts", "send"])
    assert "Queued 0 instant alert emails" in again.output


def test_the_dashboard_gives_concrete_hints_to_complete_a_profile(client, volunteer):
    login(client, EMAIL)
    page = client.get("/volunteer/").get_data(as_text=True)
    assert "Add your causes to be matched to more roles." in page
    assert "Add at least 3 skills" in page
    assert "steps done" in page


def test_a_short_bio_is_asked_to_say_more_not_to_be_written(client, volunteer):
    profile = volunteer.volunteer_profile
    login(client, EMAIL)
    profile.bio = ""
    db.session.commit()
    assert "Write a few sentences about yourself" in client.get("/volunteer/").get_data(
        as_text=True
    )
    profile.bio = "I lead security at a bank."
    db.session.commit()
    page = client.get("/volunteer/").get_data(as_text=True)
    assert "Say a little more about yourself" in page
    assert "Write a few sentences about yourself" not in page


def test_a_second_run_does_not_go_further_down_a_roles_candidates(client, volunteer, monkeypatch):
    from trustee_match.services import alerts

    monkeypatch.setattr(alerts, "CANDIDATES_PER_ROLE", 1)
    other = VolunteerFactory(email="second@example.org")
    give_skills(other.volunteer_profile, "cybersecurity")
    for user in (volunteer, other):
        user.volunteer_profile.alert_frequency = AlertFrequency.INSTANT
    db.session.commit()
    _role("Digital trustee")
    assert send_alerts(digest=False).emails == 1
    assert send_alerts(digest=False).emails == 0


def test_many_new_roles_come_in_one_email_counted_and_never_again(client, volunteer):
    _opt_in(client, "weekly")
    charity = CharityFactory(name="Canal Boat Trust")
    for i in range(7):
        _role(f"Security trustee {i}", charity)
    assert send_alerts(digest=True).emails == 1
    [message] = _alerts()
    assert message.subject == "7 new trustee roles that suit you"
    assert message.text_body.count("See the role:") == 5
    assert "And 2 more new roles that suit you" in message.text_body
    assert send_alerts(digest=True).emails == 0


def test_staff_cannot_propose_a_paused_volunteer_by_hand(volunteer):
    from trustee_match.matches.actions import propose_match
    from trustee_match.services.errors import ServiceError

    from ..factories import StaffFactory

    volunteer.volunteer_profile.paused_until = date.today() + timedelta(days=10)
    db.session.commit()
    with pytest.raises(ServiceError, match="paused matching until"):
        propose_match(StaffFactory(), _role("Digital trustee"), volunteer)
