"""How complete a volunteer's profile is, as concrete next steps rather than a score."""

from __future__ import annotations

from dataclasses import dataclass

from ..models import VolunteerProfile

MIN_SKILLS = 3
MIN_BIO = 200  # characters: enough for the ranker to find skills and interests in it


@dataclass(frozen=True)
class Completeness:
    done: int
    total: int
    hints: list[str]  # what to do next, most useful first

    @property
    def is_full(self) -> bool:
        return not self.hints


def profile_completeness(profile: VolunteerProfile) -> Completeness:
    """The steps a volunteer has done, and a plain hint for each one left."""
    steps = [
        (
            bool(profile.headline),
            "Add a one-line headline about your work, so charities see what you do.",
        ),
        (bool(profile.skills), "Tick the skills you can bring: we match you to roles by them."),
        (
            len(profile.skills) >= MIN_SKILLS or not profile.skills,
            f"Add at least {MIN_SKILLS} skills to be matched to more roles.",
        ),
        (bool(profile.region), "Choose your region, so we can suggest roles you can get to."),
        (bool(profile.hours_per_month), "Say how many hours a month you can give."),
        (bool(profile.causes), "Add your causes to be matched to more roles."),
        (
            len(profile.bio or "") >= MIN_BIO,
            # A short bio is there already: ask for more of it, not for one.
            "Say a little more about yourself: what you'd bring to a board, and why."
            if (profile.bio or "").strip()
            else "Write a few sentences about yourself: what you'd bring to a board, and why.",
        ),
        (
            bool(profile.linkedin_url),
            "Add your LinkedIn profile: charities see it once you're introduced.",
        ),
    ]
    hints = [hint for ok, hint in steps if not ok]
    return Completeness(done=len(steps) - len(hints), total=len(steps), hints=hints)
