"""Safe learning: a learned version goes live only when staff approve it, only if it beats the
weights in use on held-back decisions and keeps a floor on what charities state; staff see a
preview first, every version is kept, and one click rolls back."""

from __future__ import annotations

import random
import time
from collections.abc import Callable

import pytest
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from matching.signals import DEFAULT_WEIGHTS
from trustee_match import create_app
from trustee_match.extensions import db
from trustee_match.models import (
    AuditEntry,
    Cause,
    ChangeKind,
    Match,
    MatchState,
    MatchTransition,
    RankerChange,
    RankerWeights,
    RejectReason,
    WeightsStatus,
)
from trustee_match.ranking.learning import current_weights, learn_ranker_weights
from trustee_match.ranking.live_index import live_index
from trustee_match.ranking.preview import preview_version
from trustee_match.ranking.safeguards import floor_of, share
from trustee_match.ranking.versions import (
    approve_weights,
    roll_back_weights,
    set_aside_weights,
)
from trustee_match.services.errors import InvalidTransition, NotAllowed

from .conftest import csrf_token, login, post_form
from .factories import (
    CharityFactory,
    NeedFactory,
    ProfileFactory,
    StaffFactory,
    UserFactory,
    VolunteerFactory,
    give_skills,
    need_skills,
)

SIGNALS = (
    "text", "skills_required", "skills_desired", "causes", "place", "availability",
    "board_experience",
)
Judge = Callable[[dict, random.Random], RejectReason | None]  # None: approved


def _decisions(judge: Judge, n_needs: int = 8, per_need: int = 10, seed: int = 7) -> None:
    """Ranker proposals that staff approved or rejected (with a reason) as `judge` says."""
    rng = random.Random(seed)
    charity = CharityFactory()
    volunteers = [VolunteerFactory() for _ in range(per_need)]
    for _ in range(n_needs):
        need = NeedFactory(charity=charity)
        for volunteer in volunteers:
            breakdown = {s: round(rng.random(), 3) for s in SIGNALS}
            reason = judge(breakdown, rng)
            state = MatchState.REJECTED if reason else MatchState.AWAITING_REPLIES
            match = Match(
                need=need, volunteer=volunteer, state=state, source="ranker",
                score=0.5, breakdown=breakdown, reject_reason=reason,
            )
            db.session.add(match)
            db.session.add(
                MatchTransition(match=match, from_state=None, to_state=MatchState.PROPOSED)
            )
            db.session.add(
                MatchTransition(
                    match=match, from_state=MatchState.PROPOSED,
                    to_state=MatchState.REJECTED if reason else MatchState.APPROVED,
                )
            )
    db.session.commit()


def _only_location_matters(breakdown: dict, rng: random.Random) -> RejectReason | None:
    return RejectReason.LOCATION if breakdown["place"] < 0.5 else None


def _what_the_charity_states(breakdown: dict, rng: random.Random) -> RejectReason | None:
    fit = (
        0.4 * breakdown["skills_required"] + 0.3 * breakdown["place"]
        + 0.3 * breakdown["availability"] + 0.1 * rng.random()
    )
    return None if fit > 0.55 else RejectReason.SKILLS_MISMATCH


def _live_weights() -> dict[str, float]:
    return dict(live_index().get().snapshot_.weights)


def _version(weights: dict[str, float], **fields) -> RankerWeights:
    """A hand-made version that passed the safeguards against the defaults."""
    row = RankerWeights(
        weights=weights, fallback=False, n_labels=80, status=WeightsStatus.PROPOSED, **fields
    )
    db.session.add(row)
    db.session.commit()
    return row


FLOORED = {**DEFAULT_WEIGHTS, "text": 0.2, "causes": 0.27}  # keeps every floor


# Learning proposes; it never goes live by itself ----------------------------------------------


def test_rejections_all_for_location_cannot_make_required_skills_vanish(client) -> None:
    _decisions(_only_location_matters, n_needs=6, per_need=10)
    staff = StaffFactory()
    before = _live_weights()
    row = learn_ranker_weights(staff)
    assert row.n_labels == 60 and not row.fallback
    assert share(row.weights, "skills_required") < floor_of("skills_required")
    assert row.status == WeightsStatus.PROPOSED and not row.can_be_approved
    assert "too little weight to what the charity states: required skills" in row.blocked_reason
    assert current_weights() is None
    assert _live_weights() == before == DEFAULT_WEIGHTS

    with pytest.raises(InvalidTransition, match="cannot go live"):
        approve_weights(staff, row)
    login(client, staff.email)
    page = client.get("/staff/ranker").get_data(as_text=True)
    assert "It cannot be approved." in page and "required skills 0%" in page
    assert f"Approve version {row.id}" not in page
    response = post_form(
        client, f"/staff/ranker/versions/{row.id}/approve", {}, form_path="/staff/ranker",
        follow_redirects=True,
    )
    assert f"Version {row.id} cannot go live." in response.get_data(as_text=True)
    assert current_weights() is None and _live_weights() == DEFAULT_WEIGHTS


def test_under_forty_decisions_it_says_it_needs_more_and_nothing_goes_live(client) -> None:
    _decisions(_what_the_charity_states, n_needs=3, per_need=10)
    staff = StaffFactory()
    row = learn_ranker_weights(staff)
    assert row.fallback and row.n_labels == 30
    assert row.blocked_reason == (
        "It has 30 decisions; it needs at least 40 before it learns (10 more)."
    )
    assert current_weights() is None
    login(client, staff.email)
    page = client.get("/staff/ranker").get_data(as_text=True)
    assert "It learns once it has at least 40 decisions on at least 4 roles" in page
    assert "it needs at least 40 before it learns (10 more)" in page
    assert "Approve version" not in page


def test_decisions_on_too_few_roles_or_of_one_kind_are_not_learned_from(app) -> None:
    _decisions(lambda b, r: None, n_needs=5, per_need=10)
    row = learn_ranker_weights(StaffFactory())
    assert row.blocked_reason.startswith("All 50 decisions are approvals")
    assert current_weights() is None


def test_a_version_that_beats_the_defaults_and_keeps_the_floor_goes_live_when_approved(
    client, config_class
) -> None:
    _decisions(_what_the_charity_states)
    staff = StaffFactory()
    other = create_app(config_class)
    with other.app_context():  # another process, its index built on the defaults
        assert dict(live_index().get().snapshot_.weights) == DEFAULT_WEIGHTS
        db.session.remove()

    row = learn_ranker_weights(staff)
    assert row.blocked_reason is None, row.blocked_reason
    assert row.heldout_auc > row.baseline_auc and row.baseline_id is None
    assert row.n_heldout == 20  # two of the eight roles held back
    for signal in ("skills_required", "place", "availability"):
        assert share(row.weights, signal) >= floor_of(signal)
    assert current_weights() is None and _live_weights() == DEFAULT_WEIGHTS

    login(client, staff.email)
    page = client.get("/staff/ranker").get_data(as_text=True)
    assert f"Approve version {row.id} and use it" in page
    response = post_form(
        client, f"/staff/ranker/versions/{row.id}/approve", {}, form_path="/staff/ranker",
        follow_redirects=True,
    )
    assert f"Version {row.id} is live." in response.get_data(as_text=True)
    live = current_weights()
    assert live.id == row.id and live.approved_by_id == staff.id and live.live_since
    assert _live_weights() == row.weights
    kinds = db.session.scalars(select(RankerChange.kind)).all()
    assert kinds == [ChangeKind.WEIGHTS]
    audit = db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert audit == ["ranker_weights_proposed", "ranker_weights_approved"]

    with other.app_context():
        # Its index was built before, with the default sync period: shorten that period on the
        # index itself (the config is read when the index is made), then let it pass.
        live_index().sync_seconds = 0.1
    time.sleep(0.3)
    with other.app_context():
        assert dict(live_index().get().snapshot_.weights) == row.weights
        db.session.remove()


def test_the_cli_proposes_a_version_prints_its_verdict_and_never_makes_it_live(app) -> None:
    _decisions(_only_location_matters, n_needs=6, per_need=10)
    StaffFactory(email="ops@example.org")
    result = app.test_cli_runner().invoke(args=["matches", "learn", "--as", "ops@example.org"])
    assert result.exit_code == 0, result.output
    assert "Version 1 proposed from 60 decisions." in result.output
    assert "Blocked, it cannot be approved: " in result.output
    assert "required skills 0%" in result.output
    assert current_weights() is None


def test_learning_again_sets_the_older_proposal_aside(app) -> None:
    _decisions(_what_the_charity_states, n_needs=3)
    staff = StaffFactory()
    first = _version(FLOORED)
    second = learn_ranker_weights(staff)
    db.session.refresh(first)
    assert first.status == WeightsStatus.REJECTED
    assert first.note == f"Replaced by version {second.id} before anyone approved it."
    assert second.status == WeightsStatus.PROPOSED
    audit = db.session.scalar(select(AuditEntry).where(AuditEntry.target_id == second.id))
    assert audit.action == "ranker_weights_proposed" and audit.detail["set_aside"] == [first.id]
    with pytest.raises(InvalidTransition, match="only a proposed version can be approved"):
        approve_weights(staff, first)


# Approve, set aside, roll back ----------------------------------------------------------------


def test_roll_back_restores_the_previous_weights_and_keeps_both_versions(client) -> None:
    NeedFactory()
    VolunteerFactory()
    staff = StaffFactory()
    v1 = approve_weights(staff, _version(FLOORED))
    v2_weights = {**DEFAULT_WEIGHTS, "text": 0.15, "causes": 0.32}
    v2 = approve_weights(staff, _version(v2_weights, baseline_id=v1.id))
    assert _live_weights() == v2_weights
    assert db.session.get(RankerWeights, v1.id).status == WeightsStatus.RETIRED

    login(client, staff.email)
    page = client.get("/staff/ranker").get_data(as_text=True)
    assert f"Roll back to version {v1.id}" in page
    response = post_form(client, "/staff/ranker/rollback", {}, form_path="/staff/ranker",
                         follow_redirects=True)
    assert f"Rolled back: the ranker uses version {v1.id} again." in response.get_data(
        as_text=True
    )
    assert current_weights().id == v1.id and _live_weights() == FLOORED
    rows = {r.id: r for r in db.session.scalars(select(RankerWeights))}
    assert rows[v2.id].status == WeightsStatus.RETIRED and rows[v2.id].retired_by_id == staff.id
    assert rows[v2.id].note == f"Rolled back to version {v1.id}."
    assert rows[v2.id].weights == v2_weights  # kept

    # A second roll back steps further back, to the defaults.
    assert roll_back_weights(staff) is None
    assert current_weights() is None and _live_weights() == DEFAULT_WEIGHTS
    with pytest.raises(InvalidTransition, match="nothing to roll back"):
        roll_back_weights(staff)
    assert db.session.scalar(select(db.func.count()).select_from(RankerWeights)) == 2
    actions = db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions == ["ranker_weights_approved"] * 2 + ["ranker_weights_rolled_back"] * 2
    changes = db.session.scalars(select(RankerChange.kind)).all()
    assert changes == [ChangeKind.WEIGHTS] * 4


def test_a_version_tested_against_weights_no_longer_in_use_cannot_be_approved(app) -> None:
    staff = StaffFactory()
    v1 = approve_weights(staff, _version(FLOORED))
    stale = _version(FLOORED, baseline_id=v1.id)
    roll_back_weights(staff)
    with pytest.raises(InvalidTransition, match="Learn again"):
        approve_weights(staff, stale)
    assert current_weights() is None


def test_two_staff_approving_at_once_give_one_live_version(app) -> None:
    staff = StaffFactory()
    row = _version(FLOORED)
    # Another staff member's approval lands between this page load and this click.
    db.session.execute(
        update(RankerWeights).where(RankerWeights.id == row.id).values(
            status=WeightsStatus.REJECTED
        ).execution_options(synchronize_session=False)
    )
    with pytest.raises(InvalidTransition, match="someone else has just changed"):
        approve_weights(staff, row)
    assert current_weights() is None
    assert db.session.scalar(select(db.func.count()).select_from(RankerChange)) == 0


def test_the_database_refuses_a_second_live_version(app) -> None:
    _version(FLOORED).status = WeightsStatus.LIVE
    db.session.commit()
    db.session.add(
        RankerWeights(weights=FLOORED, fallback=False, n_labels=80, status=WeightsStatus.LIVE)
    )
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_staff_can_set_a_proposed_version_aside(client) -> None:
    staff = StaffFactory()
    row = _version(FLOORED)
    login(client, staff.email)
    response = post_form(
        client, f"/staff/ranker/versions/{row.id}/set-aside", {}, form_path="/staff/ranker",
        follow_redirects=True,
    )
    assert f"Version {row.id} is set aside." in response.get_data(as_text=True)
    db.session.refresh(row)
    assert row.status == WeightsStatus.REJECTED and row.rejected_by_id == staff.id
    assert current_weights() is None
    with pytest.raises(InvalidTransition):
        set_aside_weights(staff, row)


def test_only_staff_can_approve_or_roll_back(client) -> None:
    row = _version(FLOORED)
    for person in (VolunteerFactory(), UserFactory(role="charity")):
        with pytest.raises(NotAllowed):
            approve_weights(person, row)
        with pytest.raises(NotAllowed):
            roll_back_weights(person)
        with pytest.raises(NotAllowed):
            learn_ranker_weights(person)
    volunteer = VolunteerFactory()
    login(client, volunteer.email)
    token = csrf_token(client, "/volunteer/")
    assert client.post(
        f"/staff/ranker/versions/{row.id}/approve", data={"csrf_token": token}
    ).status_code == 403
    assert client.post("/staff/ranker/rollback", data={"csrf_token": token}).status_code == 403
    assert current_weights() is None


def test_approving_without_the_form_token_is_refused(client) -> None:
    staff = StaffFactory()
    row = _version(FLOORED)
    login(client, staff.email)
    assert client.post(f"/staff/ranker/versions/{row.id}/approve").status_code == 400
    assert current_weights() is None


# The preview ----------------------------------------------------------------------------------


def cause(slug: str) -> Cause:
    return db.session.scalar(db.select(Cause).where(Cause.slug == slug))


def test_the_preview_lists_top_five_changes_by_display_name(client) -> None:
    # Everyone can do the role (it may be attended remotely, and all have the required skill),
    # so only the weights decide: the Sams have more of the skills, the Lous share its cause.
    need = NeedFactory(title="Cyber trustee", region="North West", remote_ok=True)
    need_skills(need, required=("cybersecurity",), desired=("data-protection", "risk-management"))
    need.causes = [cause("mental-health")]
    skilled, local = [], []
    for i in range(5):
        far = ProfileFactory(display_name=f"Skilled Sam {i}", region="London").user
        give_skills(far.volunteer_profile, "cybersecurity", "data-protection", "risk-management")
        skilled.append(f"Skilled Sam {i}")
        near = ProfileFactory(display_name=f"Local Lou {i}", region="North West").user
        near.volunteer_profile.causes = [cause("mental-health")]
        give_skills(near.volunteer_profile, "cybersecurity")
        local.append(f"Local Lou {i}")
    cause_first = {**{s: 0.01 for s in SIGNALS}, "causes": 0.94}
    row = _version(cause_first)
    before = _live_weights()

    preview = preview_version(row)
    (shown,) = preview.needs
    assert shown.title == "Cyber trustee"
    assert set(shown.now) == set(skilled) and set(shown.proposed) == set(local)
    assert set(shown.joining) == set(local) and set(shown.leaving) == set(skilled)
    assert _live_weights() == before  # the live index is untouched
    names = {r.name: r for r in preview.weights}
    assert names["Causes"].proposed == pytest.approx(0.94)
    # The default weights: required skills 0.25 of a total of 1.3 (semantic included).
    assert names["Required skills"].live == pytest.approx(0.25 / 1.3)
    assert names["Required skills"].floor == pytest.approx(0.125 / 1.3)

    staff = StaffFactory()
    login(client, staff.email)
    page = client.get("/staff/ranker").get_data(as_text=True)
    assert "How the top five would change" in page and "Cyber trustee" in page
    assert "New in the top five: Local Lou" in page and "Leaving it: Skilled Sam" in page
    assert "It cannot be approved." not in page  # hand-made: not blocked
    assert _live_weights() == before


def test_the_ranker_page_lists_versions_live_first_with_who_and_when(client) -> None:
    staff = StaffFactory(email="ana@example.org")
    v1 = approve_weights(staff, _version(FLOORED))
    _version(FLOORED, baseline_id=v1.id, blocked_reason="It does not beat the live weights.")
    login(client, staff.email)
    page = client.get("/staff/ranker").get_data(as_text=True)
    history = page.split("<h2>Versions</h2>")[1]
    assert history.index(f"<td>{v1.id}</td><td>In use</td>") < history.index(
        "<td>2</td><td>Blocked</td>"
    )
    assert "ana@example.org" in history
    assert "It does not beat the live weights." in page
