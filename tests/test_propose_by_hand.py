"""Proposing by hand: staff search for a volunteer and a role instead of scrolling lists of
thousands."""

from __future__ import annotations

import re

import pytest

from trustee_match.extensions import db
from trustee_match.models import Match, MatchState, NeedStatus

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
    assert "Grace Hopper" not in page and "Search for the volunteer and the role" in page
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
        "/staff/matches/new?q=grace&role=digital",
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
    path = f"/staff/matches/new?need_id={need.id}"  # where the form posts, role chosen
    response = post_form(staff_client, path, {"need_id": need.id})
    assert "Choose a volunteer from the search results." in response.get_data(as_text=True)
    missing = post_form(staff_client, path, {"need_id": need.id, "volunteer_id": 99999})
    assert "Choose a volunteer from the search results." in missing.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count()).select_from(Match)) == 0


@pytest.mark.parametrize("query", ["a" * 1_000_000, "grace\x00", "\x00"])
def test_a_huge_or_nul_byte_search_is_refused_plainly(staff_client, query):
    named("Grace Hopper")
    response = staff_client.get("/staff/matches/new", query_string={"q": query})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    # A 1 MB query gets the form's own error; a control character in a query string is refused
    # before any view runs (request_guard), with the plain 400 page.
    plain = "There is a problem" if "\x00" not in query else "Something was wrong with that request"
    assert plain in page and "Grace Hopper" not in page


def test_coming_from_a_roles_candidates_the_role_is_already_chosen(staff_client):
    named("Grace Hopper")
    need = NeedFactory(title="Digital trustee")
    NeedFactory(title="Treasurer")
    page = staff_client.get(f"/staff/matches/new?q=grace&need_id={need.id}").get_data(as_text=True)
    roles = re.findall(r'<option[^>]*value="(\d+)"[^>]*>([^<]+)</option>', page)
    assert [title.split(" (")[0] for _, title in roles] == ["Digital trustee"]
    assert "Choose a different role" in page
    assert 'name="role"' not in page  # no role search when the role is chosen


def roles_offered(client, role: str) -> list[str]:
    page = client.get("/staff/matches/new", query_string={"q": "grace", "role": role})
    assert page.status_code == 200
    found = re.findall(
        r'<option[^>]*value="\d+"[^>]*>([^<]+)</option>', page.get_data(as_text=True)
    )
    return [title.replace("&#39;", "'") for title in found]


def test_the_role_is_found_by_its_title_or_charity_and_only_open_ones(staff_client):
    named("Grace Hopper")
    canal = NeedFactory(title="Digital trustee", charity__name="Canal Friends").charity
    NeedFactory(title="Treasurer", charity=canal)
    NeedFactory(title="Digital lead", charity__name="Hill Walkers")
    NeedFactory(title="Digital adviser", status=NeedStatus.CLOSED)
    assert roles_offered(staff_client, "DIGITAL") == [
        "Digital lead (Hill Walkers)",
        "Digital trustee (Canal Friends)",
    ]
    assert roles_offered(staff_client, "canal") == [
        "Digital trustee (Canal Friends)",
        "Treasurer (Canal Friends)",
    ]
    assert roles_offered(staff_client, "%") == []  # a wildcard is just a character
    nothing = staff_client.get("/staff/matches/new?q=grace&role=zebra").get_data(as_text=True)
    assert "No open role matches “zebra”" in nothing and "<select" not in nothing


def test_without_a_role_search_no_role_is_offered_and_the_page_says_what_to_do(staff_client):
    named("Grace Hopper")
    NeedFactory(title="Digital trustee")
    page = staff_client.get("/staff/matches/new?q=grace").get_data(as_text=True)
    assert "Grace Hopper" in page and "<select" not in page
    assert "Now find the role: search for it above" in page


def test_a_broad_role_search_offers_the_first_twenty_and_says_to_narrow_it(staff_client):
    named("Grace Hopper")
    for i in range(23):
        NeedFactory(title=f"Trustee {i:02d}")
    offered = roles_offered(staff_client, "trustee")
    assert len(offered) == 20 and offered[0].startswith("Trustee 00")
    page = staff_client.get("/staff/matches/new?q=grace&role=trustee").get_data(as_text=True)
    assert "These are the first 20 open roles that match “trustee”, and there are more" in page


@pytest.mark.parametrize("role", ["a" * 1_000_000, "x" * 101])
def test_a_huge_role_search_is_refused_plainly(staff_client, role):
    named("Grace Hopper")
    response = staff_client.get("/staff/matches/new", query_string={"q": "grace", "role": role})
    assert response.status_code == 400
    assert "Search for at most 100 characters." in response.get_data(as_text=True)


def test_a_closed_or_made_up_role_is_refused(staff_client):
    grace = named("Grace Hopper")
    closed = NeedFactory(title="Digital trustee", status=NeedStatus.CLOSED)
    for need_id in (closed.id, 99999, "x", 2**63, -1):
        response = post_form(
            staff_client,
            "/staff/matches/new?q=grace&role=digital",
            {"need_id": need_id, "volunteer_id": grace.id},
        )
        assert response.status_code == 200
        page = response.get_data(as_text=True)
        assert "Choose one of the open roles the search finds." in page and 'id="need_id"' in page
    assert db.session.scalar(db.select(db.func.count()).select_from(Match)) == 0


@pytest.mark.parametrize("need_id", [2**63, -1, 0])
def test_a_role_number_no_table_could_hold_in_the_link_is_ignored(staff_client, need_id):
    named("Grace Hopper")
    response = staff_client.get(f"/staff/matches/new?q=grace&need_id={need_id}")
    assert response.status_code == 200
    assert 'name="role"' in response.get_data(as_text=True)  # asks for the role instead
