"""Who may see and act on which match: the rule in permissions.py, as a check on one match and
as the query condition behind every list, must agree for every person and every state."""

from __future__ import annotations

import pytest
from flask_login import AnonymousUserMixin

from trustee_match.extensions import db
from trustee_match.models import Match, MatchState
from trustee_match.permissions import can_act_on_match, can_view_match, matches_visible_to

from .factories import (
    CharityFactory,
    CharityUserFactory,
    NeedFactory,
    StaffFactory,
    VolunteerFactory,
)


@pytest.fixture
def cast(app):
    charity = CharityFactory()
    people = {
        "volunteer": VolunteerFactory(),
        "other_volunteer": VolunteerFactory(),
        "member": CharityUserFactory(charity=charity),
        "other_member": CharityUserFactory(),
        "staff": StaffFactory(),
    }
    matches = []
    for source in ("ranker", "interest"):
        for state in MatchState:
            match = Match(
                need=NeedFactory(charity=charity),
                volunteer=people["volunteer"],
                state=state,
                source=source,
            )
            db.session.add(match)
            matches.append(match)
    db.session.commit()
    return people, matches


def _visible_in_lists(user) -> set[int]:
    return set(db.session.scalars(db.select(Match.id).where(matches_visible_to(user))))


def test_a_match_page_and_the_match_lists_agree_for_everyone(cast):
    people, matches = cast
    for role, user in people.items():
        one_by_one = {m.id for m in matches if can_view_match(user, m)}
        assert one_by_one == _visible_in_lists(user), role


def test_sides_see_a_match_only_after_staff_approved_it(cast):
    people, matches = cast
    hidden = {MatchState.PROPOSED, MatchState.REJECTED}
    for match in matches:
        assert can_view_match(people["staff"], match)
        assert not can_view_match(people["other_volunteer"], match)
        assert not can_view_match(people["other_member"], match)
        assert can_view_match(people["member"], match) == (match.state not in hidden)
        # A volunteer's own "I'm interested" is theirs to see (and withdraw) from the start.
        own_interest = match.source == "interest"
        assert can_view_match(people["volunteer"], match) == (
            own_interest or match.state not in hidden
        )


def test_nobody_logged_out_sees_or_acts_on_a_match(cast):
    _, matches = cast
    visitor = AnonymousUserMixin()
    assert not any(can_view_match(visitor, m) or can_act_on_match(visitor, m) for m in matches)
    assert _visible_in_lists(visitor) == set()


def test_buttons_are_offered_only_on_open_matches_the_user_may_see(cast):
    people, matches = cast
    open_states = {
        MatchState.PROPOSED,
        MatchState.APPROVED,
        MatchState.AWAITING_REPLIES,
        MatchState.INTRODUCED,
    }
    for match in matches:
        for role, user in people.items():
            expected = match.state in open_states and can_view_match(user, match)
            assert can_act_on_match(user, match) == expected, (role, match.state, match.source)
