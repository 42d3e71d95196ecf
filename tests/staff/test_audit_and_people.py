"""The audit log page, contact views being logged, and finding volunteers."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from trustee_match.extensions import db
from trustee_match.matches.actions import propose_match
from trustee_match.models import AuditEntry, Cause, CharityMember
from trustee_match.models.base import utcnow

from ..conftest import login, post_form
from ..factories import (
    CharityFactory,
    CharityUserFactory,
    NeedFactory,
    StaffFactory,
    VolunteerFactory,
    give_skills,
)


def _client(app, staff):
    client = app.test_client()
    login(client, staff.email)
    return client


def _entries(action: str) -> list[AuditEntry]:
    return list(db.session.scalars(db.select(AuditEntry).where(AuditEntry.action == action)))


def test_staff_actions_appear_with_who_when_and_what(app):
    staff = StaffFactory(email="ann@staff.org")
    charity = CharityFactory(name="Audit Trust", status="pending", verified_at=None)
    client = _client(app, staff)
    path = f"/staff/charities/{charity.id}"
    post_form(client, f"{path}/verify", {}, form_path=path)
    html = client.get("/staff/audit").get_data(as_text=True)
    assert "Verified a charity" in html
    assert "ann@staff.org" in html
    assert f'href="/staff/charities/{charity.id}"' in html
    assert "Name: Audit Trust" in html
    assert "UTC" in html  # when, to the minute


def test_viewing_a_volunteers_contact_details_is_logged(app):
    staff = StaffFactory(email="bob@staff.org")
    volunteer = VolunteerFactory(email="vol@example.org")
    match = propose_match(staff, NeedFactory(), volunteer)
    client = _client(app, staff)
    client.get(f"/staff/matches/{match.id}")
    client.get(f"/staff/people/{volunteer.id}")
    client.get("/staff/users")
    client.get("/staff/matches/new?q=vol")
    views = _entries("volunteer_contact_viewed")
    assert {(e.actor_id, e.target_id) for e in views} == {(staff.id, volunteer.id)}
    assert sorted(e.detail["page"] for e in views) == [
        f"match {match.id}",
        "people",
        "propose a match",
        "volunteer profile",
    ]
    html = client.get(
        f"/staff/audit?action=volunteer_contact_viewed&target_type=user&target_id={volunteer.id}"
    ).get_data(as_text=True)
    assert html.count("<td>Saw a volunteer&#39;s contact details</td>") == 4
    # A page without contact details writes nothing.
    client.get("/staff/matches")
    assert len(_entries("volunteer_contact_viewed")) == 4


def test_the_audit_log_filters_by_who_what_and_when(app):
    ann, bob = StaffFactory(email="ann@staff.org"), StaffFactory(email="bob@staff.org")
    now = utcnow()
    db.session.add_all(
        [
            AuditEntry(
                actor_id=ann.id,
                action="match_approved",
                target_type="match",
                target_id=1,
                detail={},
                created_at=now - timedelta(days=10),
            ),
            AuditEntry(
                actor_id=bob.id,
                action="match_rejected",
                target_type="match",
                target_id=2,
                detail={"reason": "location"},
                created_at=now,
            ),
            AuditEntry(
                actor_id=None,
                action="staff_created",
                target_type="user",
                target_id=ann.id,
                detail={},
                created_at=now,
            ),
        ]
    )
    db.session.commit()
    client = _client(app, ann)

    def rows(query: str) -> int:
        html = client.get("/staff/audit?" + query).get_data(as_text=True)
        return (
            html.split("<tbody>")[1].split("</tbody>")[0].count("<tr>") if "<tbody>" in html else 0
        )

    assert rows("") == 3
    assert rows(f"actor={bob.id}") == 1
    assert rows("actor=system") == 1
    assert rows("action=match_approved") == 1
    assert rows("target_type=match") == 2
    since = (now - timedelta(days=1)).date().isoformat()
    assert rows(f"since={since}") == 2
    until = (now - timedelta(days=5)).date().isoformat()
    assert rows(f"until={until}") == 1
    bad = client.get(f"/staff/audit?since={since}&until={until}")
    assert bad.status_code == 400
    assert "The end date must be on or after the start date." in bad.get_data(as_text=True)


def test_the_audit_log_is_paginated_and_offers_no_edit_or_delete(app):
    staff = StaffFactory()
    db.session.add_all(
        AuditEntry(
            actor_id=staff.id, action="match_approved", target_type="match", target_id=i, detail={}
        )
        for i in range(1, 56)
    )
    db.session.commit()
    client = _client(app, staff)
    html = client.get("/staff/audit").get_data(as_text=True)
    assert "Page 1 of 2" in html and "55 entries" in html
    assert '<form method="post"' not in html.split("<main")[1]
    endpoints = {r.endpoint for r in app.url_map.iter_rules() if "audit" in r.rule}
    methods = {m for r in app.url_map.iter_rules() if "audit" in r.rule for m in r.methods}
    assert endpoints == {"staff.audit"}
    assert methods <= {"GET", "HEAD", "OPTIONS"}


def test_people_search_by_name_skill_region_cause_and_availability(app):
    staff = StaffFactory()
    causes = list(db.session.scalars(db.select(Cause).order_by(Cause.id).limit(2)))

    def person(name, region, hours, available, skill, cause):
        v = VolunteerFactory()
        p = v.volunteer_profile
        p.display_name, p.region, p.hours_per_month, p.available = name, region, hours, available
        p.causes = [cause]
        db.session.commit()
        give_skills(p, skill)
        return v

    ada = person("Ada Lovelace", "London", 10, True, "cybersecurity", causes[0])
    person("Bert Jones", "Wales", 4, False, "data-protection", causes[1])
    client = _client(app, staff)

    def found(query: str) -> set[str]:
        html = client.get("/staff/people?" + query).get_data(as_text=True)
        return {n for n in ("Ada Lovelace", "Bert Jones") if n in html}

    assert found("") == {"Ada Lovelace", "Bert Jones"}
    assert found("name=ada") == {"Ada Lovelace"}
    assert found("skill=data-protection") == {"Bert Jones"}
    assert found("region=Wales") == {"Bert Jones"}
    assert found(f"cause={causes[0].slug}") == {"Ada Lovelace"}
    assert found("available=y") == {"Ada Lovelace"}
    assert found("min_hours=8") == {"Ada Lovelace"}
    bad = client.get("/staff/people?min_hours=0&skill=nonsense")
    assert bad.status_code == 400
    assert "Enter a number of hours from 1 to 200." in bad.get_data(as_text=True)

    profile = client.get(f"/staff/people/{ada.id}").get_data(as_text=True)
    assert "Ada Lovelace" in profile and ada.email in profile and "07700 900123" in profile
    assert "Cybersecurity" in profile
    assert client.get(f"/staff/people/{staff.id}").status_code == 404  # not a volunteer


def _accounts_found(client, term: str) -> list[str]:
    response = client.get("/staff/users", query_string={"q": term})
    assert response.status_code == 200
    return re.findall(r"<td>([^<@]+@[^<]+)</td>", response.get_data(as_text=True))


def test_the_accounts_search_finds_by_email_name_or_contact_each_account_once(client):
    login(client, StaffFactory(email="staff@example.org").email)
    volunteer = VolunteerFactory(email="grace.h@example.org")
    volunteer.volunteer_profile.display_name = "Grace Hopper"
    chair = CharityUserFactory(email="chair@canal.org")
    chair.memberships[0].contact_name = "Grace Chair"
    # A member of a second charity too: still one row.
    db.session.add(CharityMember(charity=CharityFactory(), user=chair, contact_name="Grace C"))
    VolunteerFactory(email="100percent@example.org")
    db.session.commit()
    assert sorted(_accounts_found(client, "GRACE")) == ["chair@canal.org", "grace.h@example.org"]
    assert _accounts_found(client, "hopper") == ["grace.h@example.org"]
    assert _accounts_found(client, "canal.org") == ["chair@canal.org"]
    assert _accounts_found(client, "%") == []  # a wildcard is just a character
    assert _accounts_found(client, "100%") == [] and _accounts_found(client, "100") == [
        "100percent@example.org"
    ]


@pytest.mark.parametrize("term", ["a" * 1_000_000, "x" * 101])
def test_a_huge_accounts_search_is_refused_plainly(client, term):
    login(client, StaffFactory(email="staff@example.org").email)
    response = client.get("/staff/users", query_string={"q": term})
    assert response.status_code == 400
    assert "Search for at most 100 characters." in response.get_data(as_text=True)
