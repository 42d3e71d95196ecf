"""List pages load their rows in a fixed number of queries, however many rows there are."""

from __future__ import annotations

from contextlib import contextmanager

from sqlalchemy import event

from trustee_match.extensions import db
from trustee_match.matches.actions import approve_match, propose_match
from trustee_match.models import ChangeKind, Match, MatchState, Reply
from trustee_match.models.base import utcnow
from trustee_match.ranking.changes import record_change

from .conftest import login
from .factories import (
    CharityFactory,
    CharityUserFactory,
    NeedFactory,
    StaffFactory,
    VolunteerFactory,
)


@contextmanager
def counting_queries():
    counter = {"n": 0}

    def count(*_args, **_kwargs):
        counter["n"] += 1

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield counter
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


def _queries_for(client, path: str) -> int:
    with counting_queries() as counter:
        assert client.get(path).status_code == 200
    return counter["n"]


def test_match_lists_do_not_query_per_row(app, client):
    charity = CharityFactory()
    member = CharityUserFactory(charity=charity)
    staff = StaffFactory()

    def add_matches(n: int) -> None:
        for _ in range(n):
            approve_match(
                staff, propose_match(staff, NeedFactory(charity=charity), VolunteerFactory())
            )

    add_matches(2)
    login(client, member.email)
    few = {p: _queries_for(client, p) for p in ("/charity/matches", "/charity/")}
    add_matches(6)
    many = {p: _queries_for(client, p) for p in ("/charity/matches", "/charity/")}
    assert many == few, f"queries grew with rows: {few} -> {many}"

    staff_client = app.test_client()
    login(staff_client, staff.email)
    path = "/staff/matches?state=awaiting_replies"
    before = _queries_for(staff_client, path)
    add_matches(4)
    assert _queries_for(staff_client, path) == before


def test_a_needs_candidates_page_does_not_query_per_candidate(app, client):
    staff = StaffFactory()
    need = NeedFactory(title="Data trustee")
    other = NeedFactory(title="Another role")

    def add_volunteers(n: int) -> None:
        for i in range(n):
            volunteer = VolunteerFactory()
            if i % 2:  # some with flags: a bounced email, a declined introduction
                volunteer.email_bounced_at = utcnow()
                db.session.add(
                    Match(
                        need=other,
                        volunteer=volunteer,
                        state=MatchState.DECLINED,
                        volunteer_reply=Reply.DECLINED,
                    )
                )
            db.session.add(Match(need=need, volunteer=volunteer, state=MatchState.PROPOSED))
            record_change(ChangeKind.VOLUNTEER, volunteer.id)
        db.session.commit()

    def counted(expected_candidates: int) -> int:
        path = f"/staff/needs/{need.id}/candidates"
        html = client.get(path).get_data(as_text=True)  # applies the new changes first
        assert html.count('class="card candidate"') == expected_candidates
        return _queries_for(client, path)

    # Sync at every read, so each counted request does the same (empty) sync.
    app.config["RANKER_SYNC_SECONDS"] = 0
    add_volunteers(1)
    login(client, staff.email)
    one = counted(1)
    add_volunteers(9)
    assert counted(10) == one
