"""Two people acting on one match at the same moment: exactly one wins, nothing is doubled."""

from __future__ import annotations

import threading

import pytest

from trustee_match.extensions import db
from trustee_match.matches.actions import approve_match, propose_match, record_reply
from trustee_match.models import Match, MatchState, MatchTransition, OutboxMessage, Reply, User
from trustee_match.services.errors import InvalidTransition

from .factories import (
    CharityFactory,
    CharityUserFactory,
    NeedFactory,
    StaffFactory,
    VolunteerFactory,
)


def _race(app, work, n: int = 2) -> list[str]:
    """Run `work(i)` in n threads, each in its own app context (its own DB session)."""
    barrier = threading.Barrier(n)
    results: list[str] = [""] * n

    def run(i: int) -> None:
        with app.app_context():
            barrier.wait()
            try:
                results[i] = work(i)
            except InvalidTransition:
                results[i] = "refused"
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


@pytest.mark.slow
def test_two_concurrent_approvals_give_one_approval_and_one_set_of_emails(app):
    trials = 200 if db.engine.dialect.name == "postgresql" else 40
    charity = CharityFactory()
    CharityUserFactory(charity=charity)
    staff = [StaffFactory(), StaffFactory()]
    staff_ids = [s.id for s in staff]
    single_approvals = 0
    for _ in range(trials):
        volunteer = VolunteerFactory()
        match = propose_match(staff[0], NeedFactory(charity=charity), volunteer)
        match_id = match.id

        def approve(i: int, match_id: int = match_id) -> str:
            approve_match(db.session.get(User, staff_ids[i]), db.session.get(Match, match_id))
            return "approved"

        results = _race(app, approve)
        db.session.expire_all()
        approvals = db.session.scalar(
            db.select(db.func.count())
            .select_from(MatchTransition)
            .where(
                MatchTransition.match_id == match_id,
                MatchTransition.to_state == MatchState.APPROVED,
            )
        )
        emails = db.session.scalar(
            db.select(db.func.count())
            .select_from(OutboxMessage)
            .where(OutboxMessage.match_id == match_id)
        )
        assert sorted(results) == ["approved", "refused"], results
        assert approvals == 1
        assert emails == 2  # one to the volunteer, one to the charity's member
        single_approvals += 1
    print(f"\n{trials} trials of two concurrent approvals: {single_approvals} single approvals")
    assert single_approvals == trials


@pytest.mark.slow
def test_both_sides_accepting_at_once_makes_exactly_one_introduction(app):
    trials = 50 if db.engine.dialect.name == "postgresql" else 20
    charity = CharityFactory()
    member = CharityUserFactory(charity=charity)
    staff = StaffFactory()
    for _ in range(trials):
        volunteer = VolunteerFactory()
        match = propose_match(staff, NeedFactory(charity=charity), volunteer)
        approve_match(staff, match)
        ids = (volunteer.id, member.id)
        match_id = match.id

        def accept(i: int, ids: tuple = ids, match_id: int = match_id) -> str:
            user = db.session.get(User, ids[i])
            return record_reply(user, db.session.get(Match, match_id), Reply.ACCEPTED).value

        results = _race(app, accept)
        db.session.expire_all()
        assert sorted(results) == ["introduced", "recorded"], results
        assert db.session.get(Match, match_id).state == MatchState.INTRODUCED
        intros = db.session.scalar(
            db.select(db.func.count())
            .select_from(OutboxMessage)
            .where(OutboxMessage.match_id == match_id, OutboxMessage.kind == "match_introduction")
        )
        assert intros == 2
