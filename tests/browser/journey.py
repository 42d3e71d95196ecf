"""A person in the browser: by mouse or by keyboard alone, checking each page they reach.

Every page a `Person` lands on is checked with axe-core (WCAG 2.2 A/AA) and, on a phone, for
sideways scrolling at 320 px; what is wrong is collected in `problems`, each naming the page,
the rule and the element. By keyboard, every focus stop on the way must show a visible focus
style.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import Locator

from .test_accessibility import axe_violations

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
MAX_TAB_STOPS = 400

# One evaluate per key press: is the target focused now, and can one see where focus is?
_FOCUS_STATE = """target => {
  const el = document.activeElement;
  if (!el || el === document.body) return {done: false, visible: true, what: 'body'};
  const s = getComputedStyle(el);
  const ring = (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0)
    || (s.boxShadow && s.boxShadow !== 'none');
  const what = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
    + ' "' + (el.textContent || el.value || '').trim().slice(0, 40) + '"';
  return {done: el === target, visible: ring, what: what};
}"""

# The innermost elements that stick out past the right edge: what makes the page scroll.
_TOO_WIDE = """() => [...document.querySelectorAll('body *')]
  .filter(el => el.getBoundingClientRect().right > innerWidth + 1)
  .filter(el => ![...el.children].some(c => c.getBoundingClientRect().right > innerWidth + 1))
  .slice(0, 3)
  .map(el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
    + (el.className ? '.' + String(el.className).split(' ').join('.') : ''))"""

# What state a page is in, as far as it changes what is on it: errors, messages, answers.
_STATE = """() => [...document.querySelectorAll(
  '.error-summary, .field-error, .notice, .flash, [role=alert], [role=status]:not(:empty)')]
  .map(el => el.className).sort().join(' ')"""

_ORDER = "(target) => !!(document.activeElement.compareDocumentPosition(target) & 2)"


class Person:
    def __init__(
        self,
        page,
        base: str,
        axe_script: str,
        *,
        keyboard: bool,
        shots: bool,
        checked: set,
        email_sent: Callable[[str, str], bool],
    ):
        self.page = page
        self.email_sent = email_sent
        self.base = base
        self.axe_script = axe_script
        self.keyboard = keyboard
        self.shots = shots
        self.problems: list[str] = []
        self.checked = checked

    # Where they are -------------------------------------------------------------------------

    def go(self, path: str) -> None:
        """Type an address (or follow a link from elsewhere, such as an email app)."""
        response = self.page.goto(self.base + path)
        assert response.status < 400, f"{path} answered {response.status}"
        self.arrived()

    def arrived(self, shot: str | None = None) -> None:
        """Check the page now shown: axe-core, and no sideways scroll at 320 px."""
        page = self.page
        page.wait_for_load_state()
        where = f"{page.url.removeprefix(self.base)} @{page.viewport_size['width']}px"
        if shot and self.shots:
            SHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SHOTS / f"{shot}.png"), full_page=True)
        # A page seen before in the same state (same path bar its ids, same messages shown)
        # was checked then; the mailbox alone is opened a dozen times.
        seen = (re.sub(r"/\d+|/[\w-]{20,}", "/N", urlsplit(page.url).path), page.evaluate(_STATE))
        if seen in self.checked:
            return
        self.checked.add(seen)
        self.problems += [f"{where}: {v}" for v in axe_violations(page, self.axe_script)]
        size = page.viewport_size
        if size["width"] > 400:
            return  # the phone journey takes the same pages, in the same states, down to 320
        page.set_viewport_size({"width": 320, "height": size["height"]})
        wide = page.evaluate("[document.scrollingElement.scrollWidth, window.innerWidth]")
        if wide[0] > wide[1]:
            culprits = page.evaluate(_TOO_WIDE)
            self.problems.append(f"{where}: {wide[0]} px wide at 320 px, because of {culprits}")
        page.set_viewport_size(size)

    def sees(self, text: str) -> None:
        self.page.get_by_text(text, exact=False).first.wait_for()

    # What they do ---------------------------------------------------------------------------

    @contextmanager
    def by_touch(self) -> Iterator[None]:
        """A stretch they do by tapping, as most people on a phone do, not by keyboard."""
        was, self.keyboard = self.keyboard, False
        try:
            yield
        finally:
            self.keyboard = was

    def focus(self, selector: str | Locator) -> None:
        """By keyboard: Tab (or Shift+Tab, if it lies behind) until `selector` has focus."""
        target = self._locate(selector)
        target.wait_for()
        handle = target.element_handle()
        key = "Shift+Tab" if self.page.evaluate(_ORDER, handle) else "Tab"
        for _ in range(MAX_TAB_STOPS):
            self.page.keyboard.press(key)
            state = self.page.evaluate(_FOCUS_STATE, handle)
            if not state["visible"]:
                self.problems.append(f"{self.page.url}: focus on {state['what']} is not visible")
            if state["done"]:
                return
        raise AssertionError(f"{selector} is never reached by {key} on {self.page.url}")

    def fill(self, selector: str, text: str) -> None:
        if self.keyboard:
            self.focus(selector)
            self.page.keyboard.press("Control+A")
            self.page.keyboard.press("Backspace")
            self.page.keyboard.type(text)
        else:
            self.page.fill(selector, text)
        assert self.page.input_value(selector) == text

    def tick(self, selector: str) -> None:
        if self.page.is_checked(selector):
            return  # already ticked, as they can see
        if self.keyboard:
            self.focus(selector)
            self.page.keyboard.press("Space")
        else:
            self.page.check(selector)
        assert self.page.is_checked(selector)

    def pick(self, selector: str) -> None:
        """Choose a radio button (by keyboard: Tab into its group, then the arrow keys)."""
        if self.keyboard:
            group = self.page.get_attribute(selector, "name")
            self.focus(f"input[name='{group}']:checked")
            for _ in range(10):
                if self.page.is_checked(selector):
                    break
                self.page.keyboard.press("ArrowDown")
        else:
            self.page.check(selector)
        assert self.page.is_checked(selector)

    def choose(self, selector: str, label: str) -> None:
        """Pick an option of a <select> by its words (by keyboard: type them, as people do)."""
        if self.keyboard:
            self.focus(selector)
            self.page.keyboard.type(label)
        else:
            self.page.select_option(selector, label=label)
        chosen = self.page.locator(selector).evaluate("s => s.options[s.selectedIndex].text")
        assert chosen == label, f"{selector} shows {chosen!r}, not {label!r}"

    def press(self, target: str | Locator, shot: str | None = None) -> None:
        """Press a button or follow a link that loads a new page, then check that page."""
        with self.page.expect_navigation():
            if self.keyboard:
                self.focus(target)
                self.page.keyboard.press("Enter")
            else:
                self._locate(target).click()
        self.arrived(shot)

    def _locate(self, target: str | Locator) -> Locator:
        return (self.page.locator(target) if isinstance(target, str) else target).first

    def skill(self, name: str, level: str | None = None) -> None:
        """Find a skill in the skills picker by searching for it, tick it, give its level."""
        self.fill("#skill-filter", name)
        label = self.page.locator(".skill-row:visible label:not(.visually-hidden)").filter(
            has_text=re.compile(f"^{re.escape(name)}$")
        )
        box = "#" + label.first.get_attribute("for")
        self.tick(box)
        if level:
            self.choose(box.replace("skill-", "level-"), level)

    def open_email(self, to: str, subject: str) -> None:
        """Open the newest email to `to` whose subject has `subject`, once the worker sent it
        (waited for in the database: reloading the mailbox page until then costs the browser
        far more)."""
        deadline = time.monotonic() + 10
        while not self.email_sent(to, subject):
            assert time.monotonic() < deadline, f"no email {subject!r} was sent to {to}"
            time.sleep(0.05)
        self.go("/dev/mailbox")
        row = self.page.locator("main tr", has_text=to).filter(has_text=subject).first
        assert "sent" in row.inner_text(), f"the mailbox does not list {subject!r} to {to}"
        self.press(row.get_by_role("link"))

    def follow_email_link(self, path_start: str) -> None:
        """Follow the first link in the open email's text whose path starts with this."""
        self.press(f".email-text a[href^='{self.base}{path_start}']")
