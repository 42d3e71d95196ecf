"""Roles stay fresh: past its closing date a role closes itself and tells the sides once; open
two months, it asks the charity "still recruiting?" with one-click answers."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from trustee_match.extensions import db
from trustee_match.matches.actions import approve_match, propose_match
from trustee_match.matches.schedule import run_schedule
from trustee_match.models import Match, MatchState, Need, NeedStatus
from trustee_match.models.base import utcnow

from ..conftest import link_in, outbox_for
from ..factories import (
    CharityFactory,
    CharityUserFactory,
    NeedFactory,
    StaffFactory,
    VolunteerFactory,
)


@pytest.fixture
def role(app):
    charity = CharityFactory(name="Canal Boat Trust")
    CharityUserFactory(email="chair@canal.org", charity=charity)
    return NeedFactory(charity=charity, title="Digital trustee")


def _kinds(email: str) -> list[str]:
    return [m.kind for m in outbox_for(email)]


def _need(need: Need) -> Need:
    db.session.expire_all()
    return db.session.get(Need, need.id)


def test_a_role_past_its_closing_date_closes_and_tells_the_sides_once(role):
    volunteer = VolunteerFactory(email="vol@example.org")
    waiting = propose_match(StaffFactory(), role, volunteer)
    approve_match(StaffFactory(), waiting)
    unseen = propose_match(StaffFactory(), role, VolunteerFactory(email="quiet@example.org"))
    role.closing_date = date.today() - timedelta(days=1)
    db.session.commit()

    report = run_schedule()
    assert report.roles_closed == 1
    assert _need(role).status == NeedStatus.CLOSED
    assert db.session.get(Match, waiting.id).state == MatchState.WITHDRAWN
    assert db.session.get(Match, unseen.id).state == MatchState.WITHDRAWN
    assert _kinds("vol@example.org").count("match_withdrawn") == 1
    assert "match_withdrawn" not in _kinds("quiet@example.org")  # never knew of it
    closed = [m for m in outbox_for("chair@canal.org") if m.kind == "role_closed"]
    assert len(closed) == 1 and "reached its closing date" in closed[0].text_body

    assert run_schedule().roles_closed == 0
    assert _kinds("vol@example.org").count("match_withdrawn") == 1
    assert _kinds("chair@canal.org").count("role_closed") == 1


def test_a_role_closing_today_or_later_stays_open(role):
    role.closing_date = date.today()
    db.session.commit()
    assert run_schedule().roles_closed == 0
    assert _need(role).status == NeedStatus.OPEN


def _asked(role) -> None:
    role.published_at = utcnow() - timedelta(days=61)
    db.session.commit()
    assert run_schedule().recruiting_asked == 1


def test_a_role_open_two_months_asks_and_close_closes_it(client, role):
    volunteer = VolunteerFactory(email="vol@example.org")
    approve_match(StaffFactory(), propose_match(StaffFactory(), role, volunteer))
    _asked(role)
    message = next(m for m in outbox_for("chair@canal.org") if m.kind == "role_still_recruiting")
    close = link_in(message, f"/links/role/{role.id}/close/")
    keep = link_in(message, f"/links/role/{role.id}/keep-open/")

    page = client.get(close)  # a mail scanner opening it changes nothing
    assert page.status_code == 200 and "Confirm: No, close the role" in page.get_data(as_text=True)
    assert _need(role).status == NeedStatus.OPEN

    done = _post(client, close)
    assert done.status_code == 200 and "is closed" in done.get_data(as_text=True)
    assert _need(role).status == NeedStatus.CLOSED
    assert _kinds("vol@example.org").count("match_withdrawn") == 1

    again = client.get(close)
    assert again.status_code == 410 and "already been used" in again.get_data(as_text=True)
    assert client.get(keep).status_code == 410  # one answer per question
    assert run_schedule().recruiting_asked == 0


def _post(client, path):
    html = client.get(path).get_data(as_text=True)
    token = html.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    return client.post(path, data={"csrf_token": token})


def test_keep_open_keeps_it_and_asks_again_only_two_months_later(client, role):
    role.closing_date = None
    _asked(role)
    message = next(m for m in outbox_for("chair@canal.org") if m.kind == "role_still_recruiting")
    done = _post(client, link_in(message, f"/links/role/{role.id}/keep-open/"))
    assert done.status_code == 200 and "stays open" in done.get_data(as_text=True)
    assert _need(role).status == NeedStatus.OPEN
    assert run_schedule().recruiting_asked == 0
    later = run_schedule(utcnow() + timedelta(days=61))
    assert later.recruiting_asked == 1
    assert _kinds("chair@canal.org").count("role_still_recruiting") == 2


def test_a_forged_or_altered_link_is_refused(client, role):
    _asked(role)
    message = next(m for m in outbox_for("chair@canal.org") if m.kind == "role_still_recruiting")
    close = link_in(message, f"/links/role/{role.id}/close/")
    assert client.get(close + "x").status_code == 404
    other = NeedFactory(charity=CharityFactory())
    assert client.get(close.replace(f"/role/{role.id}/", f"/role/{other.id}/")).status_code == 404
    assert client.get(f"/links/role/{role.id}/reopen/abc").status_code == 404
    assert _need(role).status == NeedStatus.OPEN


def test_an_expired_link_is_refused(client, role):
    _asked(role)
    message = next(m for m in outbox_for("chair@canal.org") if m.kind == "role_still_recruiting")
    from trustee_match.models import OneTimeToken

    for token in db.session.scalars(db.select(OneTimeToken)):
        token.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    page = client.get(link_in(message, f"/links/role/{role.id}/close/"))
    assert page.status_code == 410 and "expired" in page.get_data(as_text=True)
