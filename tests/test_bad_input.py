"""Bad input gets a clear message on the form and changes nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest

from trustee_match.extensions import db
from trustee_match.models import Charity, OneTimeToken, Role, User
from trustee_match.models.base import utcnow

from .conftest import PASSWORD, link_in, login, outbox_for, post_form
from .factories import VolunteerFactory, skill


def _signup(client, **overrides):
    data = {
        "display_name": "Sam Lee",
        "email": "sam@example.org",
        "password": PASSWORD,
        "confirm": PASSWORD,
        **overrides,
    }
    return post_form(client, "/account/signup/volunteer", data)


def _charity_signup(client, **overrides):
    data = {
        "contact_name": "Jo",
        "email": "jo@charity.org",
        "password": PASSWORD,
        "confirm": PASSWORD,
        "charity_name": "Jo's Charity",
        "region": "London",
        **overrides,
    }
    return post_form(client, "/account/signup/charity", data)


def _users() -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(User))


def test_duplicate_email_in_any_case_makes_no_second_account(client):
    # Sign-up no longer says an address is taken (see tests/test_passwords.py for what it does).
    VolunteerFactory(email="sam@example.org")
    response = _signup(client, email="  SAM@Example.ORG ")
    assert response.status_code == 302
    assert _users() == 1


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short", "at least 8 characters"),
        ("x" * 129, "at most 128 characters"),
        ("password123", "too easy to guess"),
        ("aaaaaaaaaaaa", "too easy to guess"),
    ],
)
def test_weak_or_too_long_password_is_refused(client, password, message):
    response = _signup(client, password=password, confirm=password)
    assert message in response.get_data(as_text=True)
    assert _users() == 0


def test_mismatched_password_confirmation_is_refused(client):
    response = _signup(client, confirm=PASSWORD + "!")
    assert "not the same" in response.get_data(as_text=True)
    assert _users() == 0


@pytest.mark.parametrize("number", ["123", "12345678", "SC12345", "NI123456", "1234-567"])
def test_invalid_regulator_number_is_refused(client, number):
    response = _charity_signup(client, regulator_number=number)
    page = response.get_data(as_text=True)
    assert "as the regulator writes it" in page
    assert db.session.scalar(db.select(db.func.count()).select_from(Charity)) == 0
    assert _users() == 0


@pytest.mark.parametrize("number", ["1123456", "212345", "SC012345", "nic100001", "sc 012345"])
def test_valid_regulator_numbers_of_all_three_regulators_are_accepted(client, number):
    response = _charity_signup(client, regulator_number=number)
    assert response.status_code == 302, response.get_data(as_text=True)
    stored = db.session.scalar(db.select(Charity)).regulator_number
    assert stored == number.replace(" ", "").upper()


def test_unregistered_charity_must_say_why(client):
    data = {
        "contact_name": "Jo",
        "email": "jo@cic.org",
        "password": PASSWORD,
        "confirm": PASSWORD,
        "charity_name": "Jo's CIC",
        "not_registered": "y",
        "region": "London",
    }
    page = post_form(client, "/account/signup/charity", data).get_data(as_text=True)
    assert "Tell us why the organisation is not registered" in page
    data["not_registered_reason"] = "We are a Community Interest Company"
    assert post_form(client, "/account/signup/charity", data).status_code == 302


def test_forged_role_in_the_post_is_ignored(client):
    response = _signup(client, role="staff")
    assert response.status_code == 302
    assert db.session.scalar(db.select(User)).role == Role.VOLUNTEER


def test_missing_csrf_token_gets_400_and_changes_nothing(client):
    response = client.post(
        "/account/signup/volunteer",
        data={
            "display_name": "X",
            "email": "x@example.org",
            "password": PASSWORD,
            "confirm": PASSWORD,
        },
    )
    assert response.status_code == 400
    assert "This form has expired" in response.get_data(as_text=True)
    assert _users() == 0


def _profile_data(**overrides):
    data = {
        "display_name": "Alex",
        "headline": "Data lead",
        "bio": "I like data.",
        "skills": [str(skill("data-analytics").id)],
        "region": "London",
        "hours_per_month": "8",
        "board_experience": "none",
    }
    data.update(overrides)
    return data


@pytest.fixture
def volunteer_client(client):
    volunteer = VolunteerFactory()
    login(client, volunteer.email)
    return client, volunteer


@pytest.mark.parametrize("hours", ["0", "41", "-3", "eight", "2.5"])
def test_hours_out_of_range_are_refused(volunteer_client, hours):
    client, volunteer = volunteer_client
    before = volunteer.volunteer_profile.hours_per_month
    response = post_form(client, "/volunteer/profile", _profile_data(hours_per_month=hours))
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "hours" in page and "There is a problem" in page
    db.session.refresh(volunteer.volunteer_profile)
    assert volunteer.volunteer_profile.hours_per_month == before


def test_a_100kb_bio_is_refused_and_the_old_one_kept(volunteer_client):
    client, volunteer = volunteer_client
    response = post_form(client, "/volunteer/profile", _profile_data(bio="x" * 100_000))
    assert "Keep this under 4000 characters" in response.get_data(as_text=True)
    db.session.refresh(volunteer.volunteer_profile)
    assert volunteer.volunteer_profile.bio.startswith("I lead a data team")


def test_html_in_text_fields_is_shown_escaped(volunteer_client):
    client, _ = volunteer_client
    response = post_form(
        client, "/volunteer/profile", _profile_data(headline="<script>alert('x')</script>")
    )
    assert response.status_code == 302
    page = client.get("/volunteer/profile").get_data(as_text=True)
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert" in page


def test_unknown_skill_id_in_a_forged_form_is_refused(volunteer_client):
    client, volunteer = volunteer_client
    response = post_form(client, "/volunteer/profile", _profile_data(skills=["999999"]))
    assert "not on the list" in response.get_data(as_text=True)
    db.session.refresh(volunteer.volunteer_profile)
    assert volunteer.volunteer_profile.skills == []


def test_reused_verification_link_shows_a_kind_page_and_changes_nothing(client):
    _signup(client)
    link = link_in(outbox_for("sam@example.org")[0], "/account/verify/")
    assert client.get(link).status_code == 302
    user = db.session.scalar(db.select(User))
    verified_at = user.email_verified_at
    response = client.get(link)
    assert response.status_code == 400
    assert "already been used" in response.get_data(as_text=True)
    db.session.refresh(user)
    assert user.email_verified_at == verified_at


def test_expired_verification_link_shows_a_kind_page_and_changes_nothing(client):
    _signup(client)
    link = link_in(outbox_for("sam@example.org")[0], "/account/verify/")
    token = db.session.scalar(db.select(OneTimeToken))
    token.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    response = client.get(link)
    assert response.status_code == 400
    assert "has expired" in response.get_data(as_text=True)
    assert not db.session.scalar(db.select(User)).email_verified


def test_tampered_verification_link_is_refused(client):
    _signup(client)
    link = link_in(outbox_for("sam@example.org")[0], "/account/verify/")
    response = client.get(link[:-3] + "abc")
    assert response.status_code == 400
    assert "isn't valid" in response.get_data(as_text=True)
    assert not db.session.scalar(db.select(User)).email_verified


@pytest.mark.parametrize(
    "target",
    ["https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)"],
)
def test_next_only_goes_to_paths_on_this_site(client, target):
    volunteer = VolunteerFactory()
    token_page = "/account/login?next=" + target
    response = post_form(
        client,
        "/account/login?next=" + target,
        {"email": volunteer.email, "password": PASSWORD},
        form_path=token_page,
    )
    assert response.status_code == 302
    assert response.location == "/volunteer/"


def test_next_to_a_local_path_is_followed(client):
    volunteer = VolunteerFactory()
    response = post_form(
        client,
        "/account/login?next=/volunteer/needs",
        {"email": volunteer.email, "password": PASSWORD},
        form_path="/account/login",
    )
    assert response.location == "/volunteer/needs"


def test_login_does_not_say_whether_an_email_is_registered(client):
    VolunteerFactory(email="known@example.org")
    wrong_password = login(client, "known@example.org", "not the password at all")
    unknown = login(client, "unknown@example.org", "not the password at all")
    assert "do not match an account" in wrong_password.get_data(as_text=True)
    assert "do not match an account" in unknown.get_data(as_text=True)


def test_forgot_password_answers_the_same_for_known_and_unknown_emails(client):
    VolunteerFactory(email="known@example.org")
    known = post_form(client, "/account/forgot-password", {"email": "known@example.org"})
    unknown = post_form(client, "/account/forgot-password", {"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert known.location == unknown.location
    assert len(outbox_for("known@example.org")) == 1
    assert outbox_for("nobody@example.org") == []


def test_reset_link_works_once_and_ends_other_sessions(app, client):
    volunteer = VolunteerFactory(email="known@example.org")
    other_device = app.test_client()
    login(other_device, volunteer.email)
    assert other_device.get("/volunteer/").status_code == 200

    post_form(client, "/account/forgot-password", {"email": "known@example.org"})
    link = link_in(outbox_for("known@example.org")[0], "/account/reset-password/")
    new_password = "a brand new passphrase"
    response = post_form(client, link, {"password": new_password, "confirm": new_password})
    assert response.status_code == 302

    assert other_device.get("/volunteer/").status_code == 302  # logged out
    assert client.get(link).status_code == 400  # used
    assert login(client, volunteer.email, new_password).location == "/volunteer/"


def test_changing_password_ends_other_sessions_but_keeps_this_one(app, client):
    volunteer = VolunteerFactory()
    other_device = app.test_client()
    login(other_device, volunteer.email)
    login(client, volunteer.email)
    new_password = "another good passphrase"
    response = post_form(
        client,
        "/account/password",
        {"current_password": PASSWORD, "password": new_password, "confirm": new_password},
    )
    assert response.status_code == 302
    assert client.get("/volunteer/").status_code == 200
    assert other_device.get("/volunteer/").status_code == 302


def test_wrong_current_password_does_not_change_it(client):
    volunteer = VolunteerFactory()
    login(client, volunteer.email)
    response = post_form(
        client,
        "/account/password",
        {
            "current_password": "wrong one here",
            "password": "a new and good passphrase",
            "confirm": "a new and good passphrase",
        },
    )
    assert "current password is not right" in response.get_data(as_text=True)
    db.session.refresh(volunteer)
    assert volunteer.check_password(PASSWORD)


def test_deactivated_user_cannot_log_in(client):
    volunteer = VolunteerFactory(active=False)
    response = login(client, volunteer.email)
    assert "do not match an account" in response.get_data(as_text=True)
