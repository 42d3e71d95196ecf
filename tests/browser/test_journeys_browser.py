"""Whole journeys in Chromium, against the app served with its own database and mail worker.

At 1280 px by mouse (saving the README's screenshots), and at 375 px by keyboard alone. Every
page on the way, and each form's error state, must pass axe-core's WCAG 2.2 A/AA rules and fit
320 px without sideways scrolling (see journey.Person).
"""

from __future__ import annotations

import pytest

from tests.conftest import PASSWORD

from .journey import Person

pytestmark = pytest.mark.browser


@pytest.fixture(params=[1280, 375], ids=["desktop-mouse", "phone-keyboard"])
def width(request) -> int:
    return request.param


def person(browser, journey_site, axe_source, width: int) -> Person:
    """Someone in their own browser (own cookies), at this width; at 375 px, by keyboard."""
    # bypass_csp lets the test inject axe-core; the page's own script loads as usual.
    context = browser.new_context(viewport={"width": width, "height": 800}, bypass_csp=True)
    return Person(
        context.new_page(),
        journey_site.base,
        axe_source,
        keyboard=width < 400,
        shots=width >= 1280,
    )


def volunteer_journey(me: Person, email: str, name: str) -> None:
    """Signs up, verifies by email, fills the profile, sees roles that suit, is interested."""
    me.go("/")
    me.arrived("home")
    me.press("a[href='/account/signup']")
    me.press("a[href='/account/signup/volunteer']")
    me.fill("#display_name", name)
    me.fill("#email", email)
    me.fill("#password", PASSWORD)
    me.fill("#confirm", "not the same password")
    me.press("button:has-text('Create my account')")  # the form's error state, checked
    me.sees("There is a problem")
    me.fill("#password", PASSWORD)
    me.fill("#confirm", PASSWORD)
    me.press("button:has-text('Create my account')")
    me.sees("Check your email")

    me.open_email(email, "Confirm your email")
    me.follow_email_link("/account/verify/")
    log_in(me, email)
    me.press("main a:has-text('Complete my profile')")

    me.press("button:has-text('Save my profile')")  # nothing filled in: the error state
    me.sees("There is a problem")
    me.fill("#headline", "Security architect at a bank")
    me.fill("#bio", "I protect payment systems and want to help a charity stay safe online.")
    me.skill("Cybersecurity", "Expert")
    me.skill("Data protection", "Practitioner")
    me.skill("Digital strategy", "Expert")
    me.choose("#region", "London")
    me.tick("#remote_ok")
    me.fill("#hours_per_month", "6")
    me.press("button:has-text('Save my profile')")
    me.sees("Your profile is saved")
    me.go("/volunteer/profile")
    me.arrived("profile")

    me.go("/volunteer/")
    me.sees("Roles that suit you")
    me.arrived("roles-for-you")
    me.press(me.page.locator(".need-card h3 a"))
    me.press('button:has-text("I\'m interested")')
    me.sees("You're connected with this role")


def log_in(me: Person, email: str) -> None:
    me.go("/account/login")
    me.fill("#email", email)
    me.fill("#password", PASSWORD)
    me.press("main button[type=submit]")


def test_a_volunteer_signs_up_and_says_they_are_interested(
    browser, journey_site, axe_source, width
):
    me = person(browser, journey_site, axe_source, width)
    volunteer_journey(me, f"priya.{width}@example.org", "Priya Shah")
    assert me.problems == [], "\n".join(me.problems)
