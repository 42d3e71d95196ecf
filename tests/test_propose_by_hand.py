"""Proposing by hand: staff search for a volunteer instead of scrolling a list of thousands."""

from __future__ import annotations

import re

import pytest

from trustee_match.extensions import db
from trustee_match.models import Match, MatchState

from .conftest import login, post_form
from .factories import NeedFactory, StaffFactory, VolunteerFactory, give_skills


def named(name: str, headline: str = "Analyst", *skills: str):
    first, last = name.lower().split()
    user = VolunteerFactory(email=f"{first}.{last}@example.org")
    user.volunteer_profile.display_name = name
    user.volunteer_profile.headline = headline
    db.session.commit()
    give_skills(user.volunteer_profile, *skills)
    return user


@pytest.fixture
def staff_client(client, app):
    login(client, StaffFactory(email="staff@example.org").email)
    return client


def found(client, query: str) -> list[str]:
    """The volunteers offered to choose from, by name, for a search."""
    response = client.get("/staff/matches/new", query_string={"q": query})
    assert response.status_code == 200
    return re.findall(
        r'<label for="volunteer-\d+">([^<]+)</label>', response.get_data(as_text=True)
    )


def test_search_finds_a_volunteer_by_name_email_headline_or_skill(staff_client):
    named("Grace Hopper", "Retired naval officer", "software-engineering")
    named("Ada Lovelace", "Analytical engine programmer", "cybersecurity")
    assert found(staff_client, "grace") == ["Grace Hopper"]
    assert found(staff_client, "LOVELACE") == ["Ada Lovelace"]  # any case
    assert found(staff_client, "ada.lovelace@example") == ["Ada Lovelace"]
    assert found(staff_client, "naval") == ["Grace Hopper"]
    assert found(staff_client, "cybersec") == ["Ada Lovelace"]  # a ticked skill's name
    assert found(staff_client, "nobody of that name") == []


def test_an_empty_search_lists_no_one_and_a_wildcard_is_just_a_character(staff_client):
    named("Grace Hopper")
    page = staff_client.get("/staff/matches/new").get_data(as_text=True)
    assert "Grace Hopper" not in page and "Search for the volunteer first" in page
    assert found(staff_client, "%") == [] and found(staff_client, "_") == []


def test_results_come_twenty_to_a_page(staff_client):
    for i in range(25):
        named(f"Sam Person{i:02d}")
    first = found(staff_client, "sam")
    assert len(first) == 20
    page = staff_client.get("/staff/matches/new?q=sam").get_data(as_text=True)
    assert "25 volunteers found: page 1 of 2" in page
    second = staff_client.get("/staff/matches/new?q=sam&page=2").get_data(as_text=True)
    rest = re.findall(r'<label for="volunteer-\d+">([^<]+)</label>', second)
    assert len(rest) == 5 and not set(rest) & set(first)


def test_choosing_a_result_proposes_that_volunteer(staff_client):
    grace = named("Grace Hopper")
    need = NeedFactory(title="Digital trustee")
    response = post_form(
        staff_client,
        "/staff/matches/new?q=grace",
        {"need_id": need.id, "volunteer_id": grace.id},
    )
    assert response.status_code == 302
    match = db.session.scalar(db.select(Match))
    assert (match.volunteer_id, match.need_id, match.state) == (
        grace.id,
        need.id,
        MatchState.PROPOSED,
    )


def test_proposing_without_choosing_a_volunteer_says_so(staff_client):
    need = NeedFactory()
    response = post_form(staff_client, "/staff/matches/new", {"need_id": need.id})
    assert "Choose a volunteer from the search results." in response.get_data(as_text=True)
    missing = post_form(
        staff_client, "/staff/matches/new", {"need_id": need.id, "volunteer_id": 99999}
    )
    assert "Choose a volunteer from the search results." in missing.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count()).select_from(Match)) == 0


@pytest.mark.parametrize("query", ["a" * 1_000_000, "grace\x00", "\x00"])
def test_a_huge_or_nul_byte_search_is_refused_plainly(staff_client, query):
    named("Grace Hopper")
    response = staff_client.get("/staff/matches/new", query_string={"q": query})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "There is a problem" in page and "Grace Hopper" not in page


def test_coming_from_a_roles_candidates_the_role_is_already_chosen(staff_client):
    named("Grace Hopper")
    need = NeedFactory(title="Digital trustee")
    NeedFactory(title="Treasurer")
    page = staff_client.get(f"/staff/matches/new?q=grace&need_id={need.id}").get_data(as_text=True)
    roles = re.findall(r'<option[^>]*value="(\d+)"[^>]*>([^<]+)</option>', page)
    assert [title.split(" (")[0] for _, title in roles] == ["Digital trustee"]
    assert "Choose a different role" in page
    everyone = staff_client.get("/staff/matches/new?q=grace").get_data(as_text=True)
    assert "Treasurer" in everyone and "Digital trustee" in everyone
