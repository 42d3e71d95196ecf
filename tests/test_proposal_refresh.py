"""Asking the ranker again refreshes its proposals instead of piling them up: at most k
unreviewed per need, none for roles no longer open, a cap per volunteer, and the proposals
made by people left alone."""

from __future__ import annotations

from collections import Counter

import pytest
from flask import Flask

from trustee_match.extensions import db
from trustee_match.matches.actions import propose_match, reject_match
from trustee_match.models import ChangeKind, Match, MatchState, MatchTransition, RejectReason
from trustee_match.ranking.changes import record_change
from trustee_match.ranking.proposals import REPLACED_NOTE, propose_with_ranker
from trustee_match.services.needs import change_need_status

from .factories import (
    CharityFactory,
    CharityUserFactory,
    NeedFactory,
    StaffFactory,
    VolunteerFactory,
    give_skills,
    need_skills,
)

S = MatchState


@pytest.fixture
def roles(app: Flask) -> dict:
    """Three open cyber-security roles at one charity, and eight volunteers who half fit."""
    member = CharityUserFactory()
    charity = member.memberships[0].charity
    needs = []
    for title in ("Trustee for cyber risk", "Trustee for security", "Trustee for data"):
        need = NeedFactory(charity=charity, title=title)
        need_skills(need, required=("cybersecurity",), desired=("data-protection",))
        needs.append(need)
    volunteers = []
    for n in range(8):
        volunteer = VolunteerFactory(email=f"half{n}@example.org")
        volunteer.volunteer_profile.headline = "Data protection officer at a council"
        give_skills(volunteer.volunteer_profile, "data-protection")
        volunteers.append(volunteer)
    return {"member": member, "needs": needs, "volunteers": volunteers, "staff": StaffFactory()}


def _unreviewed(source: str | None = "ranker") -> list[Match]:
    db.session.expire_all()
    query = db.select(Match).where(Match.state == S.PROPOSED)
    if source:
        query = query.where(Match.source == source)
    return list(db.session.scalars(query))


def _per_need() -> Counter[int]:
    return Counter(m.need_id for m in _unreviewed())


def _strong_volunteer(email: str):
    star = VolunteerFactory(email=email)
    star.volunteer_profile.headline = "Chief information security officer"
    star.volunteer_profile.bio = "I run cybersecurity and data protection for a large charity."
    give_skills(star.volunteer_profile, "cybersecurity", "data-protection")
    record_change(ChangeKind.VOLUNTEER, star.id)  # as saving a profile does
    db.session.commit()
    return star


def test_asking_twice_keeps_at_most_k_per_need_none_for_closed_needs_and_says_so(app, roles):
    staff, member = roles["staff"], roles["member"]
    cyber, security, data = roles["needs"]
    first = propose_with_ranker(staff, k=3, cap=3)
    assert (first.new, first.kept, first.replaced, first.withdrawn) == (9, 0, 0, 0)
    assert _per_need() == {cyber.id: 3, security.id: 3, data.id: 3}

    star = _strong_volunteer("star@example.org")
    change_need_status(member, security, "pause")
    change_need_status(member, data, "close")  # closing withdraws its open matches itself
    result = app.test_cli_runner().invoke(
        args=["matches", "propose", "--as", staff.email, "--k", "3"]
    )
    assert result.exit_code == 0, result.output
    assert "Changes: 1 new, 2 kept, 1 replaced, 3 withdrawn for roles no longer open" in (
        result.output
    )
    assert _per_need() == {cyber.id: 3}  # k for the open role; none for paused or closed ones
    assert star.id in {m.volunteer_id for m in _unreviewed() if m.need_id == cyber.id}
    pairs = [(m.need_id, m.volunteer_id) for m in db.session.scalars(db.select(Match))]
    assert len(pairs) == len(set(pairs)) == 10  # nine first, one new: nothing duplicated

    replaced = db.session.scalar(
        db.select(Match).where(Match.need_id == cyber.id, Match.state == S.WITHDRAWN)
    )
    assert replaced.transitions[-1].note == REPLACED_NOTE

    again = propose_with_ranker(staff, k=3, cap=3)
    assert (again.new, again.kept, again.replaced, again.withdrawn) == (0, 3, 0, 0)
    assert again.summary() == "0 new, 3 kept, 0 replaced, 0 withdrawn for roles no longer open"


def test_kept_proposals_get_the_fresh_score_and_reasons(roles):
    staff = roles["staff"]
    propose_with_ranker(staff, k=3, cap=3)
    for match in _unreviewed():
        match.score, match.reasons = 0.01, ["stale reason"]
    db.session.commit()
    report = propose_with_ranker(staff, k=3, cap=3)
    assert report.kept == 9 and report.new == report.replaced == 0
    for match in _unreviewed():
        assert match.score > 0.01
        assert match.reasons and "stale reason" not in match.reasons


def test_no_volunteer_gets_more_unreviewed_proposals_than_the_cap(app, roles):
    app.config["MAX_OPEN_PROPOSALS_PER_VOLUNTEER"] = 2
    staff = roles["staff"]
    cyber = roles["needs"][0]
    star = _strong_volunteer("star@example.org")
    # The star already has one proposal waiting, made by hand for another charity's role.
    elsewhere = NeedFactory(charity=CharityFactory(), title="Digital trustee")
    propose_match(staff, elsewhere, star)

    report = propose_with_ranker(staff, k=3)
    waiting = Counter(m.volunteer_id for m in _unreviewed(source=None))
    assert waiting[star.id] == 2  # one by hand, one from the ranker: the cap of 2
    assert max(waiting.values()) <= 2
    star_for = {m.need_id for m in _unreviewed() if m.volunteer_id == star.id}
    assert len(star_for) == 1
    # The roles that lost the star to the cap still get three candidates each.
    assert _per_need() == {need.id: 3 for need in (*roles["needs"], elsewhere)}
    assert report.new == sum(_per_need().values())

    propose_with_ranker(staff, k=3)  # asking again changes nobody's count
    again = Counter(m.volunteer_id for m in _unreviewed(source=None))
    assert again[star.id] == 2 and max(again.values()) <= 2
    assert cyber.id in _per_need()


def test_hand_made_and_interest_proposals_survive_a_refresh(roles):
    staff = roles["staff"]
    cyber = roles["needs"][0]
    by_hand, keen, turned_down = roles["volunteers"][:3]
    hand_made = propose_match(staff, cyber, by_hand)
    interest = propose_match(keen, cyber, keen, source="interest")
    rejected = propose_match(staff, cyber, turned_down)
    reject_match(staff, rejected, RejectReason.AVAILABILITY)
    steps_before = db.session.scalar(db.select(db.func.count()).select_from(MatchTransition))

    propose_with_ranker(staff, k=1, cap=3)
    report = propose_with_ranker(staff, k=1, cap=3)
    assert report.replaced == 0

    for match, source in ((hand_made, "staff"), (interest, "interest")):
        db.session.refresh(match)
        assert match.state == S.PROPOSED and match.source == source and match.score is None
    db.session.refresh(rejected)
    assert rejected.state == S.REJECTED
    on_cyber = [m for m in _unreviewed() if m.need_id == cyber.id]
    assert len(on_cyber) == 1  # the ranker's one, beside the two made by people
    assert on_cyber[0].volunteer_id not in {by_hand.id, keen.id, turned_down.id}
    # Their histories are untouched: only the ranker's own proposals were added.
    steps_after = db.session.scalar(db.select(db.func.count()).select_from(MatchTransition))
    assert steps_after - steps_before == len(_unreviewed())


def test_a_limited_run_leaves_other_needs_alone(roles):
    staff = roles["staff"]
    cyber, security, data = roles["needs"]
    propose_with_ranker(staff, k=2, cap=3, need_ids=[cyber.id])
    assert _per_need() == {cyber.id: 2}
    report = propose_with_ranker(staff, k=2, cap=3, need_ids=[security.id, data.id])
    assert report.needs == 2 and report.new == 4 and report.kept == 0
    assert _per_need() == {cyber.id: 2, security.id: 2, data.id: 2}
