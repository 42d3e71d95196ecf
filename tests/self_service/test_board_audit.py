"""The board skills audit: the grid shows exactly what a board lacks against what a board like
it needs, a role drafted from the gaps asks for them, and a term ending is flagged in time."""

from __future__ import annotations

import html
import re
from datetime import date, timedelta

import pytest

from trustee_match.extensions import db
from trustee_match.matches.schedule import run_schedule
from trustee_match.models import BoardMember, Cause, IncomeBand, Need, NeedStatus

from ..conftest import login, outbox_for, post_form
from ..factories import CharityFactory, CharityUserFactory, skill

GAPS = ["Digital strategy", "Cybersecurity", "Data protection and GDPR", "Audit and assurance"]


@pytest.fixture
def charity(app):
    """A youth charity with over £1m income whose board covers all but four needed skills."""
    charity = CharityFactory(name="Canal Boat Trust", income_band=IncomeBand.FROM_1M_TO_10M)
    youth = db.select(Cause).where(Cause.slug == "children-young-people")
    charity.causes = [db.session.scalar(youth)]
    CharityUserFactory(email="chair@canal.org", charity=charity)
    db.session.add_all([
        BoardMember(
            charity_id=charity.id,
            name="Alice Moss",
            skills=[skill(s) for s in ("governance", "finance-accounting", "legal", "strategy")],
        ),
        BoardMember(
            charity_id=charity.id,
            skills=[
                skill(s)
                for s in (
                    "risk-management", "safeguarding", "hr-people", "fundraising", "youth-work",
                    "chairing",
                )
            ],
        ),
    ])
    db.session.commit()
    return charity


def _grid(page: str, kind: str) -> list[str]:
    rows = re.findall(rf'<tr class="grid-{kind}">\s*<th scope="row">([^<]+)</th>', page)
    return [html.unescape(r) for r in rows]


def test_the_grid_shows_exactly_the_gaps_of_the_board(client, charity):
    login(client, "chair@canal.org")
    page = client.get("/charity/board").get_data(as_text=True)
    assert _grid(page, "gap") == GAPS
    assert "Children and youth work" in _grid(page, "has")
    assert "Yes: Alice Moss" in page and "A trustee" in page  # the unnamed one
    assert "For your work on children and young people" in page
    assert "For a charity with income over £1 million" in page
    assert "Also on your board: Chairing." in page
    assert "lacks 4 of these 13 skills" in page


def test_a_role_drafted_from_the_gaps_carries_them(client, charity):
    charity.region, charity.town = "North West", "Wigan"
    db.session.commit()
    login(client, "chair@canal.org")
    response = post_form(client, "/charity/board/draft-role", {}, form_path="/charity/board")
    assert response.status_code == 302 and "/edit" in response.location
    need = db.session.scalar(db.select(Need))
    assert need.status == NeedStatus.DRAFT and need.charity_id == charity.id
    assert [s.name for s in need.required_skills] == GAPS
    assert (need.region, need.town) == ("North West", "Wigan")
    assert [c.slug for c in need.causes] == ["children-young-people"]
    form = client.get(response.location).get_data(as_text=True)
    assert "Cybersecurity" in need.description and "checked" in form


def test_adding_trustees_closes_gaps_and_a_full_board_drafts_nothing(client, charity):
    login(client, "chair@canal.org")
    ids = [skill(s).id for s in ("digital-strategy", "cybersecurity", "data-protection", "audit")]
    response = post_form(
        client, "/charity/board/members", {"name": "", "skills": ids, "term_ends_on": ""},
        form_path="/charity/board",
    )
    assert response.status_code == 302
    page = client.get("/charity/board").get_data(as_text=True)
    assert _grid(page, "gap") == [] and "every skill on the list" in page
    refused = post_form(
        client, "/charity/board/draft-role", {}, form_path="/charity/board", follow_redirects=True
    )
    assert "no gap to fill" in refused.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count()).select_from(Need)) == 0


def test_bad_board_entries_are_refused_plainly(client, charity):
    login(client, "chair@canal.org")
    forged = post_form(
        client, "/charity/board/members", {"skills": [99999]}, form_path="/charity/board"
    )
    assert "not on the list" in forged.get_data(as_text=True)
    bad_date = post_form(
        client, "/charity/board/members", {"term_ends_on": "31/02/2027"}, form_path="/charity/board"
    )
    assert bad_date.status_code == 200 and "Not a valid date" in bad_date.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count()).select_from(BoardMember)) == 2


def test_a_member_removes_a_trustee_but_not_another_charitys(client, charity):
    other = CharityFactory()
    theirs = BoardMember(charity_id=other.id, name="Not Yours")
    db.session.add(theirs)
    db.session.commit()
    ours = db.session.scalar(db.select(BoardMember).where(BoardMember.name == "Alice Moss"))
    login(client, "chair@canal.org")
    assert "Not Yours" not in client.get("/charity/board").get_data(as_text=True)
    path = f"/charity/board/members/{theirs.id}/remove"
    assert post_form(client, path, {}, form_path="/charity/board").status_code == 404
    path = f"/charity/board/members/{ours.id}/remove"
    assert post_form(client, path, {}, form_path="/charity/board").status_code == 302
    assert db.session.get(BoardMember, theirs.id) is not None
    assert db.session.get(BoardMember, ours.id) is None


def test_the_charity_is_reminded_once_three_months_before_a_term_ends(charity):
    alice = db.session.scalar(db.select(BoardMember).where(BoardMember.name == "Alice Moss"))
    alice.term_ends_on = date.today() + timedelta(days=120)
    db.session.commit()
    assert run_schedule().terms_ending == 0
    alice.term_ends_on = date.today() + timedelta(days=90)
    db.session.commit()
    assert run_schedule().terms_ending == 1
    assert run_schedule().terms_ending == 0
    [message] = [m for m in outbox_for("chair@canal.org") if m.kind == "board_term_ending"]
    assert "Alice Moss" in message.text_body and "/charity/board" in message.text_body
