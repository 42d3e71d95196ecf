"""The mix `make bench-web` runs (tools/bench_web.py starts locust with this file).

Volunteers log in, open their dashboard, browse and filter roles, open one and sometimes say
"I'm interested"; charities look at their roles and introductions; staff work the queue, a
role's candidates and the ranker page. Each simulated person logs in once at the start and now
and then again (logins are part of the mix). BENCH_ACCOUNTS names a JSON file with the accounts
and role ids to use (bench_web.py writes it). Staff log in with the password, then the code
their authenticator app would show: BENCH_STAFF_TOTP holds each bench staff account's secret
(tools/bench_staff.py set them up). Each request is named by its page type, and the SQL
statements each took (the X-Bench-Queries header) are written to BENCH_QUERIES at the end.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import statistics
import time
from collections import defaultdict

import gevent
import pyotp
from locust import HttpUser, between, events, task

from trustee_match.seed.fragments import FIRST_NAMES

ACCOUNTS = json.loads(open(os.environ["BENCH_ACCOUNTS"]).read())  # noqa: SIM115
PASSWORD = ACCOUNTS["password"]
QUERIES: dict[str, list[int]] = defaultdict(list)
_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
_client_numbers = itertools.count(1)


def _csrf(html: str) -> str:
    found = _CSRF.search(html)
    return found.group(1) if found else ""


def _log_in(user: HttpUser, email: str, name: str) -> str | None:
    """The login form, as a browser fills it in; where a right password sends the browser."""
    page = user.client.get("/account/login", name="login form")
    with user.client.post(
        "/account/login",
        data={"email": email, "password": PASSWORD, "csrf_token": _csrf(page.text)},
        name=name,
        allow_redirects=False,
        catch_response=True,
    ) as response:
        location = response.headers.get("Location", "")
        if response.status_code in (302, 303) and "/account/login" not in location:
            response.success()
            return location
        response.failure(f"login refused: {response.status_code}")
        return None


def log_in(user: HttpUser, email: str, name: str = "login") -> bool:
    return _log_in(user, email, name) is not None


# Each staff account's secret, and the 30-s step whose code it used last: the app takes a code
# once per step and account (and counts a refused one as a failed login).
STAFF_TOTP: dict[str, dict | None] = {
    **dict.fromkeys(ACCOUNTS["staff"]),
    **json.loads(os.environ.get("BENCH_STAFF_TOTP") or "{}"),
}
_STEP = 30


def _staff_account() -> tuple[str, int | None]:
    """A staff account whose code for this step is still unused, and that step; when every
    account has used this step's code, wait for the next step (as a person would)."""
    while True:
        step = int(time.time()) // _STEP
        free = [
            email for email, totp in STAFF_TOTP.items() if totp is None or totp["last_step"] < step
        ]
        if free:
            email = random.choice(free)
            if STAFF_TOTP[email] is not None:
                STAFF_TOTP[email]["last_step"] = step  # before any yield: greenlets share this
            return email, step
        gevent.sleep((step + 1) * _STEP - time.time() + 0.05)


def log_in_staff(user: HttpUser) -> bool:
    """Staff log in here: the password, then the code the account's authenticator app shows
    (the app sends a staff member there after a right password)."""
    email, step = _staff_account()
    location = _log_in(user, email, "staff login")
    if location is None:
        return False
    if "/account/two-step" not in location:
        return True  # code from before two-step verification: the password was all
    totp = STAFF_TOTP[email]
    with user.client.get(location, name="two-step form", catch_response=True) as page:
        if totp is None or "/two-step/setup" in location:
            page.failure("two-step verification not set up for " + email)
            return False
    code = pyotp.TOTP(totp["secret"]).generate_otp(step)
    with user.client.post(
        "/account/two-step",
        data={"code": code, "csrf_token": _csrf(page.text)},
        name="staff two-step",
        allow_redirects=False,
        catch_response=True,
    ) as response:
        if response.status_code in (302, 303) and "/account/" not in response.headers.get(
            "Location", ""
        ):
            response.success()
            return True
        response.failure(f"code refused: {response.status_code}")
        return False


def _batch_seconds(environment) -> float:
    """How long locust waits between two batches of users (``floor(rate)`` users a batch)."""
    rate = float(getattr(environment.parsed_options, "spawn_rate", 0) or 0)
    return max(1, int(rate)) / rate if rate > 0 else 0.0


class _Person(HttpUser):
    abstract = True
    wait_time = between(0.5, 2.5)

    def on_start(self) -> None:
        # Each simulated person is a different client behind the proxy (the app trusts one
        # X-Forwarded-For hop in production), so per-address login limits count people.
        n = next(_client_numbers)
        self.client.headers["X-Forwarded-For"] = f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}"
        # Locust starts its users in batches: at 10 a second, ten in the same millisecond, then
        # none for a second. People do not arrive like that; each one here arrives at a random
        # moment of the second its batch was started in, so "10 a second" is 10 a second.
        gevent.sleep(random.uniform(0, _batch_seconds(self.environment)))
        self.log_in()

    def log_in(self) -> None:
        raise NotImplementedError

    def page(self, path: str, name: str):
        with self.client.get(path, name=name, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code}")
            elif "/account/login" in response.url:
                response.failure("sent to the login page")
            QUERIES[name].append(int(response.headers.get("X-Bench-Queries", 0)))
            return response

    @task(1)
    def log_in_again(self) -> None:
        self.client.cookies.clear()
        self.log_in()


class Volunteer(_Person):
    weight = 6

    def log_in(self) -> None:
        self.email = random.choice(ACCOUNTS["volunteers"])
        log_in(self, self.email)

    @task(5)
    def dashboard(self) -> None:
        self.page("/volunteer/", "volunteer dashboard")

    @task(4)
    def browse_roles(self) -> None:
        self.page(f"/volunteer/needs?page={random.randint(1, 20)}", "roles list")

    @task(3)
    def filter_roles(self) -> None:
        skill = random.choice(ACCOUNTS["skills"])
        region = random.choice(ACCOUNTS["regions"])
        self.page(f"/volunteer/needs?skill={skill}&region={region}", "roles filtered")

    @task(3)
    def open_role(self) -> None:
        self.page(f"/volunteer/needs/{random.choice(ACCOUNTS['needs'])}", "role page")

    @task(1)
    def interested(self) -> None:
        need = random.choice(ACCOUNTS["needs"])
        page = self.page(f"/volunteer/needs/{need}", "role page")
        token = _csrf(page.text)
        if not token or "/interest" not in page.text:
            return  # already interested (or at the limit): no button to press
        with self.client.post(
            f"/volunteer/needs/{need}/interest",
            data={"csrf_token": token},
            name="I'm interested",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code in (302, 303):
                response.success()
            else:
                response.failure(f"{response.status_code}")

    @task(2)
    def my_introductions(self) -> None:
        self.page("/volunteer/matches", "volunteer introductions")


class Charity(_Person):
    weight = 2

    def log_in(self) -> None:
        self.email, self.needs = random.choice(ACCOUNTS["charities"])
        log_in(self, self.email)

    @task(3)
    def dashboard(self) -> None:
        self.page("/charity/", "charity dashboard")

    @task(3)
    def introductions(self) -> None:
        self.page("/charity/matches", "charity introductions")

    @task(2)
    def a_role(self) -> None:
        if self.needs:
            self.page(f"/charity/needs/{random.choice(self.needs)}", "charity role page")


class Staff(_Person):
    weight = 1

    def log_in(self) -> None:
        log_in_staff(self)

    @task(3)
    def queue(self) -> None:
        tab = random.choice(["proposed", "proposed", "awaiting_replies", "closed"])
        self.page(f"/staff/matches?state={tab}&page={random.randint(1, 5)}", "staff queue")

    @task(2)
    def candidates(self) -> None:
        need = random.choice(ACCOUNTS["needs"])
        self.page(f"/staff/needs/{need}/candidates", "staff candidates")

    @task(1)
    def ranker(self) -> None:
        self.page("/staff/ranker", "staff ranker page")

    @task(1)
    def find_a_volunteer(self) -> None:
        # Propose by hand: a name and a word of the role's title, as staff would type them.
        name = random.choice(FIRST_NAMES).lower()
        role = random.choice(["trustee", "digital", "data", "treasurer", "security"])
        self.page(f"/staff/matches/new?q={name}&role={role}", "staff find a volunteer")

    @task(1)
    def dashboard(self) -> None:
        self.page("/staff/", "staff dashboard")


@events.test_stop.add_listener
def _write_queries(**_kwargs: object) -> None:
    out = os.environ.get("BENCH_QUERIES")
    if out:
        summary = {
            name: {"median": statistics.median(v), "max": max(v)}
            for name, v in QUERIES.items()
            if v
        }
        with open(out, "w") as handle:
            json.dump(summary, handle)
