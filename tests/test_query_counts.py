"""List pages load their rows in a fixed number of queries, however many rows there are."""

from __future__ import annotations

from contextlib import contextmanager

from sqlalchemy import event

from trustee_match.extensions import db
from trustee_match.matches.actions import approve_match, propose_match

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
