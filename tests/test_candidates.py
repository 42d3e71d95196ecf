"""A need's live candidates, as staff see them: best first with reasons, filters, flags, the
ones who can't meet the role last and marked, and proposing from the page."""

from __future__ import annotations

import html
import re

import pytest

from trustee_match.extensions import db
from trustee_match.matches.actions import approve_match, propose_match, record_reply
from trustee_match.models import Match, MatchState, NeedStatus, Reply, SkillLevel
from trustee_match.models.base import utcnow

from .conftest import login, outbox_for, post_form
from .factories import (
    CharityFactory,
    CharityUserFactory,
    NeedFactory,
    StaffFactory,
    VolunteerFactory,
    give_skills,
    need_skills,
)

YORKSHIRE = "Yorkshire and the Humber"


def volunteer(name: str, *skills: str, level=SkillLevel.PRACTITIONER, **profile):
    first, last = name.lower().split()
    user = VolunteerFactory(email=f"{first}.{last}@example.org")
    p = user.volunteer_profile
    p.display_name = name
    for key, value in {"region": YORKSHIRE, "hours_per_month": 8, **profile}.items():
        setattr(p, key, value)
    db.session.commit()
    give_skills(p, *skills, level=level)
    return user


@pytest.fixture
def world(app):
    """An in-person data role in Leeds, and volunteers who fit it well, less well, or can't."""
    staff = StaffFactory(email="staff@example.org")
    charity = CharityFactory(name="Leeds Food Share")
    CharityUserFactory(email="chair@foodshare.org", charity=charity)
    need = NeedFactory(
        charity=charity,
        title="Data trustee",
        description="Help our board use data well: data governance, analytics and reporting.",
        region=YORKSHIRE,
        remote_ok=False,
        hours_per_month=6,
    )
    need_skills(need, required=("data-analytics", "data-governance"))
    people = {
        "best": volunteer(
            "Priya Best",
            "data-analytics",
            "data-governance",
            level=SkillLevel.EXPERT,
            headline="Head of data governance and analytics at a housing charity",
            bio="I run data analytics and data governance for a charity.",
            hours_per_month=10,
        ),
        "far": volunteer(
            "Nia Faraway",
            "data-analytics",
            "data-governance",
            level=SkillLevel.EXPERT,
            headline="Data governance and analytics lead",
            bio="Data analytics and data governance are my work.",
            region="North West",
            hours_per_month=10,
        ),
        "bounced": volunteer(
            "Bo Bounced",
            "data-analytics",
            headline="Analyst",
            remote_ok=False,
            email_bounced_at=None,
        ),
        "busy": volunteer("Cal Busy", "data-analytics", headline="Data analyst"),
        "declined": volunteer("Dee Declined", "data-governance", headline="Records manager"),
        "short": volunteer(
            "Sol Short", "data-analytics", headline="Data analyst", hours_per_month=2
        ),
    }
    people["bounced"].email_bounced_at = utcnow()
    db.session.commit()
    others = [NeedFactory(charity=charity, title=f"Other role {i}") for i in range(4)]
    for other in others[:3]:
        approve_match(staff, propose_match(staff, other, people["busy"]))
    refused = propose_match(staff, others[3], people["declined"])
    approve_match(staff, refused)
    record_reply(people["declined"], refused, Reply.DECLINED)
    return {"staff": staff, "need": need, "people": people}


def cards(page: str) -> list[tuple[str, str]]:
    """(name, text of the card) for each candidate, in page order."""
    found = []
    for chunk in page.split('<li class="card candidate">')[1:]:
        name = re.search(r'<h3 class="candidate-name">([^<]+)</h3>', chunk).group(1)
        text = html.unescape(re.sub(r"<[^>]+>", " ", chunk.split("</li>\n</ol>")[0]))
        found.append((name, " ".join(text.split())))
    return found


def names(page: str) -> list[str]:
    return [name for name, _ in cards(page)]


@pytest.fixture
def staff_client(client, world):
    login(client, world["staff"].email)
    return client


def candidates_page(client, world, query: str = "") -> str:
    response = client.get(f"/staff/needs/{world['need'].id}/candidates{query}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_best_candidate_comes_first_with_reasons_and_no_email_labels(staff_client, world):
    page = candidates_page(staff_client, world)
    first_name, first_text = cards(page)[0]
    assert first_name == "Priya Best"
    assert "Head of data governance and analytics at a housing charity" in first_text
    assert "Data and analytics" in first_text and "Data governance" in first_text  # reasons
    assert "priya.best@example.org" not in page  # people are shown by name, never by email


def test_someone_who_cannot_attend_in_person_is_shown_after_everyone_who_can(staff_client, world):
    page = candidates_page(staff_client, world)
    can, cannot = page.split("<h2>Can't meet what the role asks</h2>")
    assert names(can)[0] == "Priya Best" and "Nia Faraway" not in names(can)
    marked = dict(cards(cannot))
    assert sorted(marked) == ["Nia Faraway", "Sol Short"]
    assert "Can't attend in person: lives in the North West" in marked["Nia Faraway"]
    assert re.search(
        r"Offers (2|two) hours a month; the role asks for (6|six)", marked["Sol Short"]
    )
    # Nia's skills score her above most who can come, yet she is listed after all of them.
    order = names(page)
    assert order[-2:] == [name for name in order if name in marked]


def test_filters_narrow_the_list(staff_client, world):
    assert names(candidates_page(staff_client, world, "?region=North+West")) == ["Nia Faraway"]
    with_governance = names(candidates_page(staff_client, world, "?skill=data-governance"))
    assert sorted(with_governance) == ["Dee Declined", "Nia Faraway", "Priya Best"]
    at_least_ten = names(candidates_page(staff_client, world, "?min_hours=10"))
    assert sorted(at_least_ten) == ["Nia Faraway", "Priya Best"]
    remote = names(candidates_page(staff_client, world, "?remote=y"))
    assert "Bo Bounced" not in remote and "Priya Best" in remote
    both = names(candidates_page(staff_client, world, f"?region={YORKSHIRE}&min_hours=10"))
    assert both == ["Priya Best"]


def test_a_bad_filter_is_explained_and_ignored(staff_client, world):
    page = candidates_page(staff_client, world, "?min_hours=lots&region=Atlantis")
    assert "Enter a number of hours from 1 to 200." in page or "Not a valid integer" in page
    assert "Priya Best" in page  # the list is still there, unfiltered


def test_flags_show_a_bounced_email_a_volunteer_at_their_cap_and_one_who_declined(
    staff_client, world
):
    shown = dict(cards(candidates_page(staff_client, world)))
    assert "Email bounced" in shown["Bo Bounced"]
    assert "3 introductions in progress: at their limit" in shown["Cal Busy"]
    assert "Propose and approve" not in shown["Cal Busy"]  # approval would be refused
    assert "Propose" in shown["Cal Busy"]
    assert "Declined an introduction before" in shown["Dee Declined"]
    assert "Email bounced" not in shown["Priya Best"]
    assert "at their limit" not in shown["Priya Best"]


def test_proposing_from_the_page_makes_one_proposal_with_reasons_and_never_two(staff_client, world):
    need, priya = world["need"], world["people"]["best"]
    path = f"/staff/needs/{need.id}/candidates/{priya.id}"
    form_path = f"/staff/needs/{need.id}/candidates"
    first = post_form(staff_client, path, {}, form_path=form_path, follow_redirects=True)
    assert "Priya Best is proposed" in first.get_data(as_text=True)
    second = post_form(staff_client, path, {}, form_path=form_path, follow_redirects=True)
    assert "already been put forward" in second.get_data(as_text=True)
    matches = db.session.scalars(
        db.select(Match).where(Match.need_id == need.id, Match.volunteer_id == priya.id)
    ).all()
    assert len(matches) == 1
    assert matches[0].state == MatchState.PROPOSED and matches[0].reasons
    assert matches[0].score is not None
    assert outbox_for("priya.best@example.org") == []  # a proposal is for staff eyes only
    card = dict(cards(second.get_data(as_text=True)))["Priya Best"]
    assert "Already matched with this role: proposed" in card


def test_propose_and_approve_emails_both_sides(staff_client, world):
    need, priya = world["need"], world["people"]["best"]
    response = post_form(
        staff_client,
        f"/staff/needs/{need.id}/candidates/{priya.id}",
        {"then": "approve"},
        form_path=f"/staff/needs/{need.id}/candidates",
        follow_redirects=True,
    )
    assert "proposed and approved" in response.get_data(as_text=True)
    match = db.session.scalar(db.select(Match).where(Match.volunteer_id == priya.id))
    assert match.state == MatchState.AWAITING_REPLIES
    assert [m.kind for m in outbox_for("priya.best@example.org")] == ["match_proposed"]
    assert outbox_for("chair@foodshare.org")[-1].kind == "match_proposed"


def test_approving_someone_at_their_cap_leaves_a_proposal_and_says_why(staff_client, world):
    need, cal = world["need"], world["people"]["busy"]
    response = post_form(
        staff_client,
        f"/staff/needs/{need.id}/candidates/{cal.id}",
        {"then": "approve"},
        form_path=f"/staff/needs/{need.id}/candidates",
        follow_redirects=True,
    )
    text = response.get_data(as_text=True)
    assert "Cal Busy is proposed, but not approved" in text and "the most we allow" in text
    match = db.session.scalar(
        db.select(Match).where(Match.need_id == need.id, Match.volunteer_id == cal.id)
    )
    assert match.state == MatchState.PROPOSED


def test_a_closed_role_lists_candidates_but_offers_no_proposing(staff_client, world):
    need = world["need"]
    need.status = NeedStatus.CLOSED
    db.session.commit()
    page = candidates_page(staff_client, world)
    assert "This role is not open" in page
    assert "Priya Best" in page and "Propose and approve" not in page
    response = post_form(
        staff_client,
        f"/staff/needs/{need.id}/candidates/{world['people']['best'].id}",
        {},
        form_path=f"/staff/needs/{need.id}/candidates",
        follow_redirects=True,
    )
    assert "not open" in response.get_data(as_text=True)
    assert (
        db.session.scalar(
            db.select(db.func.count()).select_from(Match).where(Match.need_id == need.id)
        )
        == 0
    )


def test_show_more_asks_for_a_longer_list(staff_client, world):
    for i in range(21):
        volunteer(f"Extra Person{i}", "data-analytics", headline="Analyst")
    page = candidates_page(staff_client, world)
    assert len(cards(page)) == 20
    assert "Show 50 candidates" in page
    longer = candidates_page(staff_client, world, "?k=50")
    assert len(cards(longer)) == 27 and "Show 100" not in longer
    assert len(cards(candidates_page(staff_client, world, "?k=7"))) == 20  # only 20, 50, 100


def test_a_proposal_needs_its_csrf_token(staff_client, world):
    need, priya = world["need"], world["people"]["best"]
    response = staff_client.post(f"/staff/needs/{need.id}/candidates/{priya.id}")
    assert response.status_code == 400
    assert (
        db.session.scalar(
            db.select(db.func.count()).select_from(Match).where(Match.need_id == need.id)
        )
        == 0
    )
