"""A page offers a button exactly when the service behind it would accept the press: templates
ask the model (`need.allowed_actions`, `match.can_be_withdrawn`, ...) instead of keeping their
own copy of the state machine."""

from __future__ import annotations

import re

from trustee_match.extensions import db
from trustee_match.matches.actions import (
    ReplyOutcome,
    approve_match,
    record_outcome,
    record_reply,
    reject_match,
    withdraw_match,
)
from trustee_match.matches.links import LinkAction
from trustee_match.models import Match, MatchState, NeedStatus, RejectReason, Reply
from trustee_match.services.errors import ServiceError
from trustee_match.services.needs import change_need_status

from .conftest import login
from .factories import (
    CharityFactory,
    CharityUserFactory,
    NeedFactory,
    StaffFactory,
    VolunteerFactory,
)

NEED_ACTIONS = ("publish", "pause", "close", "mark_filled")
STAFF_ACTIONS = ("approve", "reject", "withdraw")


def _accepted(call, *args) -> bool:
    """Whether the service makes the move. "You said that already" changes nothing: it is
    kept for a second click on an emailed link, and no page offers it."""
    try:
        outcome = call(*args)
    except ServiceError:
        db.session.rollback()
        return False
    return outcome != ReplyOutcome.ALREADY


def test_the_charity_need_page_offers_exactly_the_moves_the_service_accepts(client):
    charity = CharityFactory()
    member = CharityUserFactory(charity=charity)
    login(client, member.email)
    for status in NeedStatus:
        page = client.get(f"/charity/needs/{NeedFactory(charity=charity, status=status).id}")
        offered = set(re.findall(r'name="action" value="(\w+)"', page.get_data(as_text=True)))
        accepted = {
            action
            for action in NEED_ACTIONS
            if _accepted(
                change_need_status, member, NeedFactory(charity=charity, status=status), action
            )
        }
        assert offered == accepted, status


def _match_in(state: MatchState) -> Match:
    match = Match(need=NeedFactory(), volunteer=VolunteerFactory(), state=state, source="ranker")
    db.session.add(match)
    db.session.commit()
    return match


def test_the_staff_match_page_offers_exactly_the_moves_the_service_accepts(client):
    staff = StaffFactory()
    login(client, staff.email)
    services = {
        "approve": lambda m: approve_match(staff, m),
        "reject": lambda m: reject_match(staff, m, RejectReason.OTHER),
        "withdraw": lambda m: withdraw_match(staff, m),
    }
    for state in MatchState:
        match = _match_in(state)
        html = client.get(f"/staff/matches/{match.id}").get_data(as_text=True)
        offered = set(re.findall(rf"/staff/matches/{match.id}/(\w+)", html))
        accepted = {a for a in STAFF_ACTIONS if _accepted(services[a], _match_in(state))}
        assert offered == accepted, state


def test_the_volunteer_match_page_offers_exactly_the_moves_the_services_accept(client):
    volunteer = VolunteerFactory()
    login(client, volunteer.email)

    def fresh(state: MatchState) -> Match:
        # The volunteer's own interest, so the page shows in every state.
        match = Match(need=NeedFactory(), volunteer=volunteer, state=state, source="interest")
        db.session.add(match)
        db.session.commit()
        return match

    services = {
        "accept": lambda m: record_reply(volunteer, m, Reply.ACCEPTED),
        "decline": lambda m: record_reply(volunteer, m, Reply.DECLINED),
        "withdraw": lambda m: withdraw_match(volunteer, m),
        "appointed": lambda m: record_outcome(volunteer, m, LinkAction.APPOINTED),
        "not_proceeding": lambda m: record_outcome(volunteer, m, LinkAction.NOT_PROCEEDING),
        "still_talking": lambda m: record_outcome(volunteer, m, LinkAction.STILL_TALKING),
    }
    for state in MatchState:
        match = fresh(state)
        html = client.get(f"/volunteer/matches/{match.id}").get_data(as_text=True)
        offered = set(re.findall(r'name="action" value="(\w+)"', html))
        accepted = {action for action, call in services.items() if _accepted(call, fresh(state))}
        assert offered == accepted, state
