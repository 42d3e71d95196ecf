"""Every main page passes axe-core's WCAG 2.2 A/AA rules, and works by keyboard and without JS."""

from __future__ import annotations

import pyotp
import pytest

from trustee_match.seed import DEMO_PASSWORD

pytestmark = pytest.mark.browser

# Pages the journeys (test_journeys_browser.py) check in the same state at both widths are not
# checked again here: home, sign-up and login, the volunteer's profile, the board skills audit,
# the staff's roles list and a role's candidates (here only with filters).
PAGES = {
    None: ["/account/forgot-password"],
    "volunteer@example.org": [
        "/volunteer/",
        "/volunteer/needs",
        "/volunteer/matches",
        "/volunteer/alerts",
        "/account/password",
    ],
    "charity@example.org": [
        "/charity/",
        "/charity/needs/new",
        "/charity/profile",
        "/charity/matches",
        "/charity/colleagues",
    ],
    "staff@example.org": [
        "/staff/",
        "/staff/charities",
        "/staff/users",
        "/staff/matches",
        "/staff/matches/new",
        "/staff/matches/new?q=a&role=t",  # volunteers and roles to choose from
        "/staff/needs/1/candidates?skill=data-governance&min_hours=4",
        "/staff/emails",
        "/staff/emails?status=bounced",
        "/staff/charities/1",
        "/staff/needs?quiet=1",
        "/staff/matches?state=proposed&min_score=0.1&source=ranker",
        "/staff/audit",
        "/staff/people",
        "/staff/people?skill=cybersecurity&available=y",
        "/staff/reports",
        "/staff/reports/impact",
        "/staff/digest",
    ],
}
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
WIDTHS = (1280, 375)  # a laptop and a phone


def log_in(page, base: str, email: str) -> None:
    page.goto(base + "/account/login")
    page.fill("#email", email)
    page.fill("#password", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    if page.url.endswith("/account/two-step/setup"):  # the demo staff's first login
        set_up_two_step(page)
        page.click("text=I have saved them: continue")
        page.wait_for_load_state()
    assert "/account/login" not in page.url, f"could not log in as {email}"
    assert "/account/two-step" not in page.url, f"could not log in as {email}"


def set_up_two_step(page) -> None:
    """What a person does on the setup page: add the key to an app, type its code."""
    secret = page.inner_text(".secret-key").replace(" ", "")
    page.fill("#code", pyotp.TOTP(secret).now())
    page.click("button[type=submit]")
    page.wait_for_load_state()


def axe_violations(page, axe_script: str) -> list[str]:
    """axe-core's WCAG 2.2 A/AA violations on the page as it is now, each naming its rule and
    up to three elements."""
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.add_script_tag(url=axe_script)
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags},"
        " resultTypes: ['violations']})",
        WCAG_TAGS,
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes'][:3]]}"
        for v in result["violations"]
    ]


def violations_at_each_width(page, axe_script: str, label: str) -> list[str]:
    """The page's violations at each of WIDTHS, found by resizing the one loaded page (as a
    person turning a tablet would); the page is left at the first width."""
    size = page.viewport_size
    problems = []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": size["height"]})
        problems += [f"{label} @{width}px: {v}" for v in axe_violations(page, axe_script)]
    page.set_viewport_size({"width": WIDTHS[0], "height": size["height"]})
    return problems


def test_main_pages_have_no_wcag_violations(live_server, browser, axe_script):
    problems = []
    for email, paths in PAGES.items():
        page = browser.new_page(viewport={"width": WIDTHS[0], "height": 900}, bypass_csp=True)
        if email:
            log_in(page, live_server, email)
        for path in paths:
            response = page.goto(live_server + path)
            assert response.status == 200, f"{path} answered {response.status}"
            problems += violations_at_each_width(page, axe_script, path)
        page.close()
    assert problems == []


def test_a_volunteers_profile_for_staff_has_no_wcag_violations(live_server, browser, axe_script):
    page = browser.new_page(viewport={"width": WIDTHS[0], "height": 900}, bypass_csp=True)
    log_in(page, live_server, "staff@example.org")
    page.goto(live_server + "/staff/people")
    with page.expect_navigation():
        page.locator("main table a").first.click()
    assert "/staff/people/" in page.url
    assert violations_at_each_width(page, axe_script, "a volunteer's profile") == []
    page.close()


def test_form_errors_are_summarised_and_linked_to_their_fields(live_server, browser, axe_script):
    page = browser.new_page(bypass_csp=True)  # lets the test inject axe-core
    page.goto(live_server + "/account/signup/volunteer")
    page.fill("#email", "not-an-email")
    page.click("button[type=submit]")
    summary = page.locator(".error-summary")
    assert summary.is_visible()
    summary.locator("a[href='#email']").click()
    assert page.evaluate("document.activeElement.id") == "email"
    assert page.get_attribute("#email", "aria-invalid") == "true"
    assert axe_violations(page, axe_script) == []


def test_proposing_by_hand_without_a_volunteer_says_so_and_finds_no_role_plainly(
    live_server, browser, axe_script
):
    page = browser.new_page(bypass_csp=True)
    log_in(page, live_server, "staff@example.org")
    page.goto(live_server + "/staff/matches/new?q=a&role=zzzz")
    assert "No open role matches “zzzz”" in page.content()
    assert axe_violations(page, axe_script) == []
    page.fill("#role", "trustee")
    with page.expect_navigation():
        page.click("form[role=search] button[type=submit]")
    with page.expect_navigation():
        page.get_by_role("button", name="Propose", exact=True).click()  # no volunteer chosen
    summary = page.locator(".error-summary")
    assert "Choose a volunteer from the search results." in summary.inner_text()
    summary.locator("a[href='#volunteer_id']").click()
    assert page.evaluate("document.activeElement.id") == "volunteer_id"
    assert violations_at_each_width(page, axe_script, "propose by hand, with errors") == []
    page.close()


def test_skip_link_is_the_first_stop_for_keyboard_users(live_server, browser):
    page = browser.new_page()
    page.goto(live_server + "/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Skip to main content"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_skills_picker_works_without_javascript(live_server, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    log_in(page, live_server, "volunteer@example.org")
    page.goto(live_server + "/volunteer/profile")
    assert page.locator("#skill-filter").is_hidden()  # the search box needs JS, so it hides
    label = page.locator(".skill-row > label:not(.visually-hidden)", has_text="Cybersecurity")
    checkbox_id = label.get_attribute("for")
    group = page.locator("details", has=page.locator(f"#{checkbox_id}"))
    if group.get_attribute("open") is None:
        group.locator("summary").click()  # <details> opens without JavaScript
    page.check(f"#{checkbox_id}")
    level_id = checkbox_id.replace("skill-", "level-")
    page.select_option(f"#{level_id}", "expert")
    page.click("button:has-text('Save my profile')")
    assert "Your profile is saved" in page.content()
    page.goto(live_server + "/volunteer/profile")
    assert page.is_checked(f"#{checkbox_id}")
    assert page.input_value(f"#{level_id}") == "expert"
    context.close()


def test_skill_search_narrows_the_list_with_javascript(live_server, browser):
    page = browser.new_page()  # with our CSP: the script must load from our origin
    log_in(page, live_server, "volunteer@example.org")
    page.goto(live_server + "/volunteer/profile")
    page.fill("#skill-filter", "infosec")
    visible = page.locator(".skill-row:visible label:not(.visually-hidden)").all_inner_texts()
    assert visible == ["Cybersecurity"]
    assert "1 skill matches" in page.inner_text("#skill-filter-status")


def test_staff_propose_a_candidate_by_keyboard_alone(live_server, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    log_in(page, live_server, "staff@example.org")
    page.goto(live_server + "/staff/needs/1/candidates")
    first = page.locator(".candidate").first
    name = first.locator(".candidate-name").inner_text()
    button = first.get_by_role("button", name=f"Propose {name}", exact=True)
    button.focus()
    outline = button.evaluate("b => getComputedStyle(b).outlineStyle")
    assert outline not in ("", "none"), "the focused button shows no focus ring"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert f"{name} is proposed" in page.content()
    card = page.locator(".candidate", has=page.locator(".candidate-name", has_text=name))
    assert "Already matched with this role: proposed" in card.inner_text()
    context.close()


def test_staff_set_up_two_step_at_first_login_with_a_qr_code_drawn_here(
    live_server, browser, axe_script
):
    page = browser.new_page(bypass_csp=True)
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(live_server + "/account/login")
    page.fill("#email", "staff@example.org")
    page.fill("#password", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    assert page.url.endswith("/account/two-step/setup")
    qr = page.locator("img.qr-code")
    assert qr.evaluate("img => img.complete && img.naturalWidth > 100")
    assert axe_violations(page, axe_script) == []

    set_up_two_step(page)

    assert len(page.locator(".recovery-codes li").all()) == 10
    assert axe_violations(page, axe_script) == []
    page.click("text=I have saved them: continue")
    assert page.url.endswith("/staff/")
    # Nothing fetched from elsewhere (bar the test's own axe-core).
    assert all(url.startswith((live_server, "data:", axe_script)) for url in requests), requests
