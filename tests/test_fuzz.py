"""Hypothesis sends random and hostile values to every route and form, as every kind of visitor,
and no answer is a server error.

Each POST starts from a form that would pass, with one to three fields replaced by hostile
values, so every value meets the validators and the database behind a valid form. Bounded and
repeatable: a fixed number of examples, derandomized, no example database. Each example starts
from the same logged-in sessions (account rows are put back first, so a fuzzed logout, password
change or deactivation does not leave the other examples anonymous).
"""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest
from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import update

from trustee_match.extensions import db
from trustee_match.matches.actions import approve_match, propose_match
from trustee_match.models import User

from .conftest import PASSWORD, login
from .factories import CharityUserFactory, NeedFactory, StaffFactory, VolunteerFactory, skill
from .form_classes import all_field_names

ROLES = ("anonymous", "volunteer", "member", "staff")
HOSTILE = [
    "",
    "   ",
    "\t",
    "\x00",
    "a\x00b",
    "\x1b[31mred",
    "line\r\nbreak",
    "\x7f\x85\x9f",
    "-1",
    "0",
    "2147483647",
    "2147483648",
    str(2**63),
    "9" * 5000,
    "1_000_000_000_000",
    "١٢٣٤٥٦٧٨٩٠١٢",
    "1e400",
    "NaN",
    "2026-02-30",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "%00",
    "../../etc/passwd",
    "//evil.example/",
    "zażółć 😀 مرحبا",
    "\u202e\u200b\ufeff",
    "x" * 100_000,
    "x" * (1024 * 1024),
]
VALUES = st.one_of(
    st.sampled_from(HOSTILE),
    st.sampled_from(HOSTILE),  # twice: half of all values come from the hostile list
    st.text(max_size=30),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
)
HUGE_IDS = [0, 2**31 - 1, 2**31, 2**63, 10**30]
QUERY_NAMES = ["page", "q", "state", "status", "next", "skill", "cause", "region", "remote"]
SETTINGS = settings(
    max_examples=150,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
_PARAM = re.compile(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>")
NEW_PASSWORD = "a different passphrase"
# Who would normally use each blueprint (examples use them half the time, anyone otherwise).
USUAL_ROLE = {"volunteer": "volunteer", "charity": "member", "staff": "staff"}


def _valid_forms(v: Visitors) -> dict[str, dict[str, object]]:
    """A form that would pass, for each endpoint that takes more than a CSRF token."""
    skill_id = str(v.skill_id)
    new_password = {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    need = {
        "title": "Digital trustee",
        "description": "Help our board with data.",
        "required_skills": [skill_id],
        "region": "London",
        "hours_per_month": "6",
        "remote_ok": "y",
        "closing_date": "2031-01-31",
    }
    return {
        "auth.signup_volunteer": {
            "display_name": "Sam",
            "email": "sam@example.org",
            **new_password,
        },
        "auth.signup_charity": {
            "contact_name": "Jo",
            "email": "jo@example.org",
            "charity_name": "Jo's Charity",
            "regulator_number": "1123456",
            "region": "London",
            **new_password,
        },
        "auth.login": {"email": v.users["volunteer"].email, "password": PASSWORD},
        "auth.forgot_password": {"email": v.users["volunteer"].email},
        "auth.change_password": {"current_password": PASSWORD, **new_password},
        "volunteer.profile": {
            "display_name": "Alex",
            "headline": "Data lead",
            "bio": "I like data.",
            "skills": [skill_id],
            f"level-{skill_id}": "expert",
            "region": "London",
            "hours_per_month": "8",
            "board_experience": "none",
            "linkedin_url": "https://www.linkedin.com/in/alex",
            "phone": "07700 900123",
        },
        "volunteer.match_action": {"action": "accept"},
        "charity.match_action": {"action": "accept"},
        "charity.profile": {
            "name": "Canal Boat Trust",
            "description": "Boats.",
            "region": "London",
            "town": "Leeds",
            "income_band": "under_100k",
            "website": "https://canal.example.org",
        },
        "charity.new_need": need,
        "charity.edit_need": need,
        "charity.need_status": {"action": "pause"},
        "staff.reject": {"reason": "Not on the register."},
        "staff.set_active": {"active": "1"},
        "staff.propose": {
            "need_id": str(v.spare_need_id),
            "volunteer_id": str(v.users["volunteer"].id),
        },
        "staff.match_action": {"reason": "location", "note": "Too far."},
    }


class Visitors:
    """A logged-in session per role, restored before every example."""

    def __init__(self, app: Flask) -> None:
        charity_user = CharityUserFactory()
        need = NeedFactory(charity=charity_user.charity)
        volunteer = VolunteerFactory()
        staff = StaffFactory()
        match = propose_match(staff, need, volunteer)
        approve_match(staff, match)
        self.spare_need_id = NeedFactory(charity=charity_user.charity).id
        self.app = app
        self.users = {"volunteer": volunteer, "member": charity_user, "staff": staff}
        self.ids_by_name = {
            "need_id": need.id,
            "match_id": match.id,
            "user_id": volunteer.id,
            "charity_id": charity_user.charity.id,
            "message_id": 1,
            "action": "reject",  # the staff match page's form with fields
        }
        self.skill_id = skill("data-analytics").id
        self.cookies: dict[str, str | None] = {}
        self.tokens: dict[str, str] = {}
        for role in ROLES:
            client = app.test_client()
            if role != "anonymous":
                assert login(client, self.users[role].email).status_code == 302
            page = client.get("/account/login" if role == "anonymous" else "/")
            token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.get_data(as_text=True))
            self.tokens[role] = token.group(1)
            cookie = client.get_cookie("session")
            self.cookies[role] = cookie.value if cookie else None
        self.rows = {
            user.id: {c.key: getattr(user, c.key) for c in User.__table__.columns}
            for user in self.users.values()
        }

    def client(self, role: str):
        """A browser with `role`'s session, its account as it was at the start."""
        for user_id, row in self.rows.items():
            db.session.execute(update(User).where(User.id == user_id).values(**row))
        db.session.commit()
        client = self.app.test_client()
        if self.cookies[role]:
            client.set_cookie("session", self.cookies[role], domain="localhost")
        return client


@pytest.fixture
def visitors(app: Flask) -> Visitors:
    return Visitors(app)


def _routes(app: Flask, method: str) -> list:
    return sorted(
        (r for r in app.url_map.iter_rules() if method in r.methods and r.endpoint != "static"),
        key=lambda r: r.rule,
    )


def _path(draw, rule, visitors: Visitors) -> str:
    def fill(found: re.Match) -> str:
        if found.group(1) == "int":
            real = visitors.ids_by_name.get(found.group(2), 1)
            return str(draw(st.one_of(st.just(real), st.sampled_from(HUGE_IDS))))
        text = draw(st.one_of(st.sampled_from(["accept", "decline", "reject"]), VALUES))
        return quote(text, safe="") or "x"

    return _PARAM.sub(fill, rule.rule)


def _role(draw, rule) -> str:
    usual = USUAL_ROLE.get(rule.endpoint.split(".")[0], "anonymous")
    return draw(st.one_of(st.just(usual), st.sampled_from(ROLES)))


def _assert_no_server_error(response, method: str, path: str) -> None:
    assert response.status_code < 500, f"{method} {path[:200]} -> {response.status_code}"


@SETTINGS
@given(data=st.data())
def test_no_get_with_hostile_ids_or_query_arguments_is_a_server_error(app, visitors, data):
    rule = data.draw(st.sampled_from(_routes(app, "GET")))
    role = _role(data.draw, rule)
    path = _path(data.draw, rule, visitors)
    names = st.one_of(st.sampled_from(QUERY_NAMES), st.text(min_size=1, max_size=10))
    query = data.draw(st.lists(st.tuples(names, VALUES), max_size=4))
    query = [(name, value) for name, value in query if len(value) < 5000]  # a URL, not a body
    response = visitors.client(role).get(path, query_string=query)
    _assert_no_server_error(response, "GET", path)


@SETTINGS
@given(data=st.data())
def test_no_form_post_with_hostile_values_is_a_server_error(app, visitors, data):
    valid_forms = _valid_forms(visitors)
    routes = _routes(app, "POST")
    with_fields = [r for r in routes if r.endpoint in valid_forms]
    # Three in four examples go to a form with fields, and mostly change one of its own fields.
    rule = data.draw(st.one_of(*[st.sampled_from(with_fields)] * 3, st.sampled_from(routes)))
    role = _role(data.draw, rule)
    path = _path(data.draw, rule, visitors)
    valid = valid_forms.get(rule.endpoint, {})
    anything = st.sampled_from([*all_field_names(), "active", "level-²", "level-" + "9" * 50])
    names = st.one_of(*[st.sampled_from(list(valid))] * 3, anything) if valid else anything
    hostile = data.draw(
        st.dictionaries(
            names, st.one_of(VALUES, st.lists(VALUES, max_size=3)), min_size=1, max_size=3
        )
    )
    form = {**valid, **hostile, "csrf_token": visitors.tokens[role]}
    response = visitors.client(role).post(path, data=form)
    _assert_no_server_error(response, "POST", path)


def test_the_fuzzed_forms_start_valid(app, visitors):
    """Without hostile values each form is accepted, so the fuzz reaches past validation."""
    refused = []
    for rule in _routes(app, "POST"):
        valid = _valid_forms(visitors).get(rule.endpoint)
        if valid is None:
            continue
        role = USUAL_ROLE.get(rule.endpoint.split(".")[0], "anonymous")
        path = _PARAM.sub(lambda found: str(visitors.ids_by_name.get(found.group(2), 1)), rule.rule)
        response = visitors.client(role).post(
            path, data={**valid, "csrf_token": visitors.tokens[role]}
        )
        if response.status_code != 302:
            refused.append((rule.endpoint, response.status_code))
    assert refused == []


# What random draws reach too rarely to rely on: each of these in each field of each form.
SWEEP = ["a\x00b", "\x1b[0m", "   ", str(2**31)]


def test_every_field_of_every_form_takes_each_hostile_value_without_a_server_error(app, visitors):
    failures = []
    for rule in _routes(app, "POST"):
        valid = _valid_forms(visitors).get(rule.endpoint)
        if valid is None:
            continue
        role = USUAL_ROLE.get(rule.endpoint.split(".")[0], "anonymous")
        path = _PARAM.sub(lambda found: str(visitors.ids_by_name.get(found.group(2), 1)), rule.rule)
        for name in valid:
            for value in SWEEP:
                data = {**valid, name: value, "csrf_token": visitors.tokens[role]}
                response = visitors.client(role).post(path, data=data)
                if response.status_code >= 500:
                    failures.append((rule.endpoint, name, value))
    assert failures == []
