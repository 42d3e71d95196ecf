"""Hostile input gets a plain answer, never a server error: control characters, numbers too big
for the database, forged blank choices."""

from __future__ import annotations

import pytest

from trustee_match.extensions import db
from trustee_match.models import Charity, User

from .conftest import PASSWORD, login, post_form
from .factories import CharityUserFactory, NeedFactory, StaffFactory, VolunteerFactory, skill

CONTROL = "hidden control characters"


def _users() -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(User))


@pytest.mark.parametrize("field", ["email", "password"])
def test_a_nul_byte_at_login_is_a_form_message(client, field):
    volunteer = VolunteerFactory()
    data = {"email": volunteer.email, "password": PASSWORD, field: "a\x00b"}
    response = post_form(client, "/account/login", data)
    assert response.status_code == 200
    assert CONTROL in response.get_data(as_text=True)


@pytest.mark.parametrize("value", ["Sam\x00", "Sam\x1b[31m", "Sam\nLee", "Sam\x85"])
def test_control_characters_in_a_name_at_sign_up_are_refused(client, value):
    data = {"display_name": value, "email": "sam@example.org", "password": PASSWORD}
    response = post_form(client, "/account/signup/volunteer", {**data, "confirm": PASSWORD})
    assert response.status_code == 200
    assert CONTROL in response.get_data(as_text=True)
    assert _users() == 0


def _profile(**overrides):
    return {
        "display_name": "Alex",
        "headline": "Data lead",
        "bio": "I like data.",
        "skills": [str(skill("data-analytics").id)],
        "region": "London",
        "hours_per_month": "8",
        "board_experience": "none",
        **overrides,
    }


def test_a_nul_byte_in_a_profile_is_refused_and_the_old_profile_kept(client):
    volunteer = VolunteerFactory()
    login(client, volunteer.email)
    response = post_form(client, "/volunteer/profile", _profile(bio="Data\x00 lead"))
    assert response.status_code == 200
    assert CONTROL in response.get_data(as_text=True)
    db.session.refresh(volunteer.volunteer_profile)
    assert volunteer.volunteer_profile.bio.startswith("I lead a data team")


def test_line_breaks_and_tabs_in_a_bio_are_kept(client):
    volunteer = VolunteerFactory()
    login(client, volunteer.email)
    bio = "I lead a data team.\r\n\r\n\tI want to help."
    assert post_form(client, "/volunteer/profile", _profile(bio=bio)).status_code == 302
    db.session.refresh(volunteer.volunteer_profile)
    assert "I want to help." in volunteer.volunteer_profile.bio


@pytest.mark.parametrize("level_key", ["level-²", "level-" + "9" * 5000])
def test_a_forged_skill_level_key_is_ignored(client, level_key):
    volunteer = VolunteerFactory()
    login(client, volunteer.email)
    response = post_form(client, "/volunteer/profile", _profile(**{level_key: "expert"}))
    assert response.status_code == 302


def test_a_nul_byte_in_the_charity_profile_is_refused(client):
    member = CharityUserFactory()
    login(client, member.email)
    data = {"name": "Canal\x00 Trust", "region": "London"}
    response = post_form(client, "/charity/profile", data)
    assert response.status_code == 200
    assert CONTROL in response.get_data(as_text=True)
    assert db.session.get(Charity, member.charity.id).name.startswith("Riverside")


def test_a_nul_byte_in_a_need_is_refused(client):
    member = CharityUserFactory()
    need = NeedFactory(charity=member.charity)
    login(client, member.email)
    data = {
        "title": "Digital trustee",
        "description": "Help us\x00",
        "required_skills": [str(skill("data-analytics").id)],
        "region": "London",
        "hours_per_month": "6",
    }
    response = post_form(client, f"/charity/needs/{need.id}/edit", data)
    assert response.status_code == 200
    assert CONTROL in response.get_data(as_text=True)


@pytest.mark.parametrize("band", ["   ", "\u00a0"])
def test_a_blank_looking_income_band_is_a_form_error(client, band):
    member = CharityUserFactory()
    login(client, member.email)
    response = post_form(
        client, "/charity/profile", {"name": "Canal Trust", "region": "London", "income_band": band}
    )
    assert response.status_code == 200
    assert "Choose one of the options on the list" in response.get_data(as_text=True)
    assert db.session.get(Charity, member.charity.id).name.startswith("Riverside")


@pytest.mark.parametrize("query", ["q=%00", "q=a%1Bb", "next=%00", "%00=1"])
def test_control_characters_in_a_query_string_are_a_bad_request(client, query):
    login(client, StaffFactory().email)
    response = client.get("/staff/users?" + query)
    assert response.status_code == 400
    assert "Something was wrong with that request" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "page", [str(2**31), str(2**63), "9" * 30, "1_000_000_000_000", "١٢٣٤٥٦٧٨٩٠١٢"]
)
@pytest.mark.parametrize(("role", "path"), [("staff", "/staff/users"), ("vol", "/volunteer/needs")])
def test_a_page_number_beyond_any_page_is_not_found(client, page, role, path):
    user = StaffFactory() if role == "staff" else VolunteerFactory()
    login(client, user.email)
    assert client.get(f"{path}?page=1").status_code == 200
    response = client.get(f"{path}?page={page}")
    assert response.status_code == 404
    assert "Page not found" in response.get_data(as_text=True)


@pytest.mark.parametrize("number", [str(2**31), str(2**63), "9" * 30])
def test_an_id_in_a_path_beyond_any_id_is_not_found(client, number):
    login(client, StaffFactory().email)
    for path in (f"/staff/charities/{number}", f"/staff/matches/{number}"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert "Page not found" in response.get_data(as_text=True)


def test_a_control_character_in_a_path_is_not_found(client):
    assert client.get("/account/verify/abc%00def").status_code == 404
    assert client.get("/respond/1/accept/%1B").status_code == 404
