"""The charity's needs dashboard counts its candidates and its own replies; both sides record
an outcome from their dashboard; a new role starts from the charity's region and causes."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from trustee_match.extensions import db
from trustee_match.matches.actions import approve_match, propose_match, record_reply
from trustee_match.models import Cause, Match, MatchState, MatchTransition, Reply
from trustee_match.models.base import utcnow

from ..conftest import login, post_form
from ..factories import (
    CharityFactory,
    CharityUserFactory,
    NeedFactory,
    StaffFactory,
    VolunteerFactory,
)


@pytest.fixture
def world(app):
    charity = CharityFactory(name="Canal Boat Trust", region="North West", town="Wigan")
    charity.causes = list(db.session.scalars(db.select(Cause).where(Cause.slug == "heritage")))
    db.session.commit()
    member = CharityUserFactory(email="chair@canal.org", charity=charity)
    need = NeedFactory(charity=charity, title="Digital trustee")
    need.published_at = utcnow() - timedelta(days=12)
    staff = StaffFactory()
    volunteers = [VolunteerFactory(email=f"v{i}@example.org") for i in range(4)]
    matches = [propose_match(staff, need, v) for v in volunteers]
    for match in matches[:3]:
        approve_match(staff, match)
    # The charity answered one after two days and said yes, as did the volunteer: introduced.
    record_reply(volunteers[0], matches[0], Reply.ACCEPTED)
    record_reply(member, matches[0], Reply.ACCEPTED)
    sent = db.session.scalar(
        db.select(MatchTransition).where(
            MatchTransition.match_id == matches[0].id,
            MatchTransition.to_state == MatchState.AWAITING_REPLIES,
        )
    )
    sent.created_at = matches[0].charity_replied_at - timedelta(days=2)
    db.session.commit()
    return {"need": need, "matches": matches, "charity": charity}


def test_the_needs_dashboard_counts_candidates_days_open_and_reply_record(client, world):
    login(client, "chair@canal.org")
    page = client.get("/charity/").get_data(as_text=True)
    row = re.search(r"Digital trustee</a></td>(.*?)</tr>", page, re.S).group(1)
    cells = re.findall(r"<td>(.*?)</td>", row, re.S)
    # Suggested (the unreviewed proposal is not counted), waiting, introduced, open for.
    assert cells[1:5] == ["3", "2", "1", "12 days"]
    assert "You have replied to 1 of the 3 candidates we suggested, usually within 2 days." in page


def test_a_side_records_the_outcome_from_its_dashboard(app, client, world):
    login(client, "chair@canal.org")
    page = client.get("/charity/").get_data(as_text=True)
    assert "How did your introductions go?" in page
    match = world["matches"][0]
    response = post_form(
        client, f"/charity/matches/{match.id}/act", {"action": "appointed"}, form_path="/charity/"
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Match, match.id).state == MatchState.APPOINTED

    volunteer = app.test_client()
    login(volunteer, "v0@example.org")
    assert "How did your introductions go?" not in volunteer.get("/volunteer/").get_data(
        as_text=True
    )  # recorded already: nothing left to ask


def test_the_volunteer_sees_the_outcome_buttons_on_their_dashboard(client, world):
    login(client, "v0@example.org")
    page = client.get("/volunteer/").get_data(as_text=True)
    assert "How did your introductions go?" in page and "Not going ahead" in page


def test_a_new_role_starts_from_the_charitys_region_town_and_causes(client, world):
    login(client, "chair@canal.org")
    page = client.get("/charity/needs/new").get_data(as_text=True)
    region = r'<option selected value="North West">|<option value="North West" selected'
    assert re.search(region, page)
    assert 'value="Wigan"' in page
    heritage = world["charity"].causes[0].id
    assert re.search(rf'value="{heritage}"[^>]*checked|checked[^>]*value="{heritage}"', page)
    assert 'id="skill-filter"' in page and "skills-filter.js" in page
