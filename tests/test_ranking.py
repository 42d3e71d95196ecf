"""The ranker proposes volunteers for open needs from the database, with reasons, for staff."""

from __future__ import annotations

import pytest

from trustee_match.extensions import db
from trustee_match.matches.actions import approve_match, propose_match
from trustee_match.models import Match, MatchState
from trustee_match.ranking.proposals import propose_with_ranker
from trustee_match.ranking.run_worker import work_on_next_run
from trustee_match.services.errors import NotAllowed

from .conftest import login, post_form
from .factories import (
    CharityFactory,
    NeedFactory,
    StaffFactory,
    VolunteerFactory,
    give_skills,
    need_skills,
)


@pytest.fixture
def people(app):
    security = VolunteerFactory(email="sec@example.org")
    security.volunteer_profile.headline = "Head of information security at a bank"
    give_skills(security.volunteer_profile, "cybersecurity", "data-protection")
    finance = VolunteerFactory(email="money@example.org")
    finance.volunteer_profile.headline = "Chartered accountant"
    give_skills(finance.volunteer_profile, "finance-accounting")
    away = VolunteerFactory(email="away@example.org")
    give_skills(away.volunteer_profile, "cybersecurity", "data-protection")
    away.volunteer_profile.available = False
    db.session.commit()
    need = NeedFactory(
        charity=CharityFactory(),
        title="Trustee with cybersecurity expertise",
        description="Help our board understand cyber risk and data protection.",
    )
    need_skills(need, required=("cybersecurity",), desired=("data-protection",))
    return {"security": security, "finance": finance, "away": away, "need": need}


def _proposals() -> list[Match]:
    return list(db.session.scalars(db.select(Match).order_by(Match.score.desc())))


def test_ranker_proposes_the_best_fit_first_with_reasons(people):
    report = propose_with_ranker(StaffFactory(), k=5)
    matches = _proposals()
    assert report.proposed == len(matches) == 2  # the unavailable volunteer is not proposed
    best = matches[0]
    assert best.volunteer_id == people["security"].id
    assert best.source == "ranker" and best.state == MatchState.PROPOSED
    assert 0 <= matches[1].score < best.score <= 1
    assert any("cybersecurity" in reason.lower() for reason in best.reasons)
    assert set(best.breakdown) >= {"skills_required", "text"}


def test_ranker_skips_pairs_already_matched_and_volunteers_at_their_cap(app, people):
    staff = StaffFactory()
    propose_match(staff, people["need"], people["security"])  # already put forward
    app.config["MAX_LIVE_MATCHES"] = 1
    other = NeedFactory(charity=people["need"].charity)
    approve_match(staff, propose_match(staff, other, people["finance"]))  # finance is at cap
    propose_with_ranker(staff, k=5)
    ranker_pairs = {
        (m.need_id, m.volunteer_id)
        for m in db.session.scalars(db.select(Match).where(Match.source == "ranker"))
    }
    # Only the security volunteer, for the other need, is still free to propose.
    assert ranker_pairs == {(other.id, people["security"].id)}


def test_only_staff_may_run_the_ranker(people):
    with pytest.raises(NotAllowed):
        propose_with_ranker(people["security"])


def test_staff_see_ranker_proposals_with_score_and_reasons(client, people):
    staff = StaffFactory()
    login(client, staff.email)
    response = post_form(
        client, "/staff/matches/rank", {}, form_path="/staff/matches", follow_redirects=True
    )
    # The button queues a run; a worker process (`flask matches work`) does it.
    assert "The ranker run is queued" in response.get_data(as_text=True)
    work_on_next_run()
    queue = client.get("/staff/matches?state=proposed").get_data(as_text=True)
    assert "2 new, 0 kept, 0 replaced, 0 withdrawn for roles no longer open" in queue
    assert "1 open role ranked against 2 volunteers" in queue
    assert people["security"].volunteer_profile.display_name in queue  # named, not emailed
    best = _proposals()[0]
    page = client.get(f"/staff/matches/{best.id}").get_data(as_text=True)
    assert f"score {best.score:.2f}" in page
    assert best.reasons[0] in page.replace("&#39;", "'")


def test_cli_runs_the_ranker_as_a_staff_member(app, people):
    StaffFactory(email="ops@example.org")
    result = app.test_cli_runner().invoke(args=["matches", "propose", "--as", "ops@example.org"])
    assert result.exit_code == 0, result.output
    assert "2 proposals for 1 open needs from 2 volunteers" in result.output


def test_volunteer_dashboard_suggests_suitable_roles_with_reasons(client, people):
    other = NeedFactory(charity=people["need"].charity, title="Treasurer for a food bank")
    need_skills(other, required=("finance-accounting",))
    people["security"].volunteer_profile.region = "Yorkshire and the Humber"
    db.session.commit()
    login(client, "sec@example.org")
    page = client.get("/volunteer/").get_data(as_text=True)
    assert "Roles that suit you" in page
    assert "Trustee with cybersecurity expertise" in page
    # A role they could not take on (none of its required skills) is not offered as suiting
    # them; it stays in the list of all roles.
    assert "Treasurer for a food bank" not in page
    assert "Treasurer for a food bank" in client.get("/volunteer/needs").get_data(as_text=True)
    # Written to the volunteer, in the second person, with no numbers (issue 9).
    assert "You have the required skill: Cybersecurity" in page
    assert "Has 1 of 1" not in page


def test_dashboard_lists_introductions_waiting_for_an_answer(client, people):
    staff = StaffFactory()
    approve_match(staff, propose_match(staff, people["need"], people["security"]))
    login(client, "sec@example.org")
    page = client.get("/volunteer/").get_data(as_text=True)
    assert "Waiting for your answer" in page
    # A role they are already connected with is not suggested again.
    suggestions = page.split("Roles that suit you")[1]
    assert "Trustee with cybersecurity expertise" not in suggestions


def test_free_text_finds_named_skills_but_not_everyday_words(app):
    from trustee_match.ranking.records import skill_vocabulary

    vocabulary = skill_vocabulary()
    found = vocabulary.find_in_text("I run our SOC and we moved our CRM to Salesforce")
    assert {"security-operations", "crm-fundraising-tech"} <= set(found)
    everyday = vocabulary.find_in_text(
        "I want to help people, embrace change and support inclusion in my community"
    )
    assert not {"hr-people", "change-management", "edi"} & set(everyday)
