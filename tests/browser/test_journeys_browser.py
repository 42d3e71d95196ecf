"""Whole journeys in Chromium, against the app served with its own database and mail worker.

At 1280 px by mouse (saving the README's screenshots), and at 375 px with the volunteer's and
the match journeys by keyboard alone and the charity's own by touch. Every page on the way, and
each form's error state, must pass axe-core's WCAG 2.2 A/AA rules and fit 320 px without
sideways scrolling (see journey.Person).
"""

from __future__ import annotations

import pyotp
import pytest

from tests.conftest import PASSWORD, STAFF_TOTP_SECRET

from .journey import Person

pytestmark = pytest.mark.browser
# The charity's board has these; it lacks the digital ones, which the volunteer brings.
BOARD_HAS = (
    "Finance and accounting",
    "Governance",
    "Legal",
    "Strategy and planning",
    "Risk management",
    "HR and people",
    "Safeguarding",
    "Fundraising",
)


@pytest.fixture(params=[1280, 375], ids=["desktop-mouse", "phone-keyboard"])
def width(request) -> int:
    return request.param


def person(browser, journey_site, axe_script, width: int, checked: set) -> Person:
    """Someone in their own browser (own cookies), at this width; at 375 px, by keyboard."""
    # bypass_csp lets the test inject axe-core; the page's own script loads as usual.
    context = browser.new_context(viewport={"width": width, "height": 800}, bypass_csp=True)
    context.set_default_timeout(10_000)
    return Person(
        context.new_page(),
        journey_site.base,
        axe_script,
        keyboard=width < 400,
        shots=width >= 1280,
        checked=checked,
        email_sent=journey_site.email_sent,
    )


def volunteer_journey(me: Person, email: str, name: str, region: str) -> None:
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
    me.skill("Data protection and GDPR", "Practitioner")
    me.skill("Digital strategy", "Expert")
    me.choose("#region", region)
    me.tick("#remote_ok")
    me.pick("input[name=board_experience][value=some]")
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


def log_in(me: Person, email: str, *, second_factor: str | None = None) -> None:
    me.go("/account/login")
    me.fill("#email", email)
    me.fill("#password", PASSWORD)
    me.press("main button[type=submit]")
    if second_factor:  # what their authenticator app shows
        me.fill("#code", pyotp.TOTP(second_factor).now())
        me.press("main button:has-text('Continue')")
    assert "/account/" not in me.page.url, f"{email} could not log in"


def charity_journey(us: Person, staff: Person, c: dict, staff_email: str) -> str:
    """Signs up, is verified by staff, runs the board skills audit, drafts a role from the gaps
    and publishes it. Returns the role's title."""
    email, charity = c["email"], c["charity"]
    us.go("/account/signup/charity")
    us.press("button:has-text('Create our account')")  # empty: the error state
    us.sees("There is a problem")
    us.fill("#contact_name", "Dee Okafor")
    us.fill("#job_title", "Chief executive")
    us.fill("#email", email)
    us.fill("#password", PASSWORD)
    us.fill("#confirm", PASSWORD)
    us.fill("#charity_name", charity)
    us.fill("#regulator_number", c["number"])
    us.choose("#region", c["region"])
    us.press("button:has-text('Create our account')")
    us.sees("Check your email")
    us.open_email(email, "Confirm your email")
    us.follow_email_link("/account/verify/")
    log_in(us, email)
    us.sees("We are checking your charity")

    log_in(staff, staff_email, second_factor=STAFF_TOTP_SECRET)
    staff.sees("Today's work")
    staff.press("main a:has-text('charities to verify')")
    staff.press(staff.page.locator("main a", has_text=charity))
    staff.press(f"button:has-text('Verify {charity}')")
    staff.sees(f"{charity} is verified")

    us.go("/charity/")
    us.press("main a:has-text('Board skills audit')")
    us.fill("#name", "Sam Treasurer")
    for skill in BOARD_HAS:
        us.skill(skill)
    us.press("button:has-text('Add to the board')")
    us.sees("Added to your board")
    us.arrived("skills-audit")
    us.press("button:has-text('Draft a role from these gaps')")
    us.sees("We've drafted a role from your board's gaps")
    title = us.page.input_value("#title")
    us.fill("#title", "")
    us.press("button:has-text('Save changes')")  # a role needs a title: the error state
    us.sees("There is a problem")
    us.fill("#title", title)
    us.press("button:has-text('Save changes')")
    us.press("button:has-text('Publish')")
    us.sees("The role is published")
    return title


def match_journey(staff: Person, vol: Person, us: Person, v: dict, c: dict) -> None:
    """Staff approve the volunteer for the role; both accept by email; they are introduced."""
    staff.go("/staff/")
    staff.arrived("staff-overview")
    staff.go("/staff/needs")
    staff.press(staff.page.locator("main tr", has_text=c["charity"]).get_by_role("link").last)
    staff.sees(f"Candidates for {c['title']}")
    staff.arrived("candidates")
    staff.choose("#region", c["region"])  # near the charity, as the role asks for meetings
    staff.press("main button:has-text('Show candidates')")
    staff.sees("for these filters")
    best = staff.page.locator("#main .candidate").first
    assert best.locator(".candidate-name").inner_text() == v["name"]
    staff.press(best.get_by_role("button", name=f"Propose and approve {v['name']}"))
    staff.sees("Approved")

    vol.open_email(v["email"], f"A trustee role at {c['charity']} could suit you")
    vol.follow_email_link("/respond/")
    vol.press("main button:has-text('Confirm')")
    us.open_email(c["email"], "A possible trustee for your role")
    us.follow_email_link("/respond/")
    us.press("main button:has-text('Confirm')")
    us.sees("You're introduced")

    us.open_email(c["email"], "Introduction:")
    assert v["email"] in us.page.inner_text(".email-text")
    vol.open_email(v["email"], "Introduction:")
    assert c["email"] in vol.page.inner_text(".email-text")
    us.go("/charity/matches")
    first_name = v["name"].split()[0]
    us.press(us.page.locator("main tr", has_text=first_name).get_by_role("link"))
    assert us.page.locator(f"main a[href='mailto:{v['email']}']").is_visible()

    staff.go("/staff/matches?state=introduced")
    staff.press(staff.page.locator("main a", has_text=v["name"]), shot="match-history")
    staff.sees("History")
    staff.go("/staff/reports")
    staff.arrived("reports")


def test_journeys_of_a_volunteer_a_charity_and_staff(browser, journey_site, axe_script, width):
    checked: set = set()  # pages already checked, whoever saw them
    vol, us, staff = (person(browser, journey_site, axe_script, width, checked) for _ in "vcs")
    name = {1280: "Amara Bello", 375: "Tomasz Nowak"}[width]
    v = {"email": f"{name.split()[0].lower()}.{width}@example.org", "name": name}
    c = {
        "email": f"dee.{width}@leedsyouth.org.uk",
        "charity": f"Leeds Youth Trust {width}",
        "number": f"11{width:05d}",  # one charity a number
        # Each run's volunteer lives where its charity is, so is the best there even when the
        # other run's volunteer (as skilled) is on the same site.
        "region": {1280: "Yorkshire and the Humber", 375: "North East"}[width],
    }
    staff_email = f"staff.{width}@example.org"
    journey_site.add_staff(staff_email)

    try:
        volunteer_journey(vol, v["email"], v["name"], c["region"])
        assert vol.problems == [], "\n".join(vol.problems)
        # The charity's own journey goes by touch on the phone: the keyboard-only journeys are
        # the volunteer's and the match (the skills picker's keyboard path is the volunteer's).
        with us.by_touch(), staff.by_touch():
            c["title"] = charity_journey(us, staff, c, staff_email)
        match_journey(staff, vol, us, v, c)
    finally:
        for someone in (vol, us, staff):
            someone.page.context.close()
    problems = vol.problems + us.problems + staff.problems
    assert problems == [], "\n".join(problems)
