"""Reasons for one proposed pair, in plain words, for two audiences.

Staff and the charity read about the volunteer in the third person ("Has ...", "Mentions GDPR
in their profile"); the volunteer reads the same facts about themselves ("You have ...").
A skill counts as had only when ticked on the profile, and not at "learning" level; one only
named in the free text is said to be mentioned. No scores, numbers or term lists: counts and
hours are written in words ("two of the three required skills", "six hours a month").
"""

from __future__ import annotations

from dataclasses import dataclass, field

from matching import feasibility as hard
from matching.encoder import Encoder, SkillEvidence
from matching.places import describe_place, region_key, resolve_region
from matching.records import NeedRecord, VolunteerRecord

_ONES = (
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
    "nineteen",
)
_TENS = ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")


def number_words(n: int) -> str:
    """A whole number as words, up to ninety-nine ("more than a hundred" beyond)."""
    if n < 20:
        return _ONES[max(n, 0)]
    if n < 100:
        tens, ones = divmod(n, 10)
        return _TENS[tens - 2] + (f"-{_ONES[ones]}" if ones else "")
    return "more than a hundred"


def hours_words(hours: float, unit: bool = True) -> str:
    """Hours as people say them: "six hours", "one and a half hours", "an hour" (without
    ``unit``: "six", "one and a half", "one"), to the nearest half hour."""
    whole, half = divmod(round(hours * 2), 2)
    if whole == 0:
        return ("half an hour" if half else "no hours") if unit else ("a half" if half else "none")
    words = f"{number_words(whole)}{' and a half' if half else ''}"
    if not unit:
        return words
    return "an hour" if words == "one" else f"{words} hours"


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


@dataclass
class Reasons:
    """Reasons about the volunteer for staff and the charity, and the same for the volunteer;
    ``why_not`` holds the hard needs the pair fails (they also open the reasons)."""

    staff: list[str] = field(default_factory=list)
    volunteer: list[str] = field(default_factory=list)
    why_not: list[str] = field(default_factory=list)
    why_not_for_volunteer: list[str] = field(default_factory=list)

    def say(self, staff: str, volunteer: str) -> None:
        self.staff.append(staff)
        self.volunteer.append(volunteer)

    def blocked(self, staff: str, volunteer: str) -> None:
        self.why_not.append(staff)
        self.why_not_for_volunteer.append(volunteer)


def explain(
    need: NeedRecord,
    volunteer: VolunteerRecord,
    breakdown: dict,
    enc: Encoder,
    evidence: SkillEvidence | None = None,
    wanted: tuple[frozenset[str], frozenset[str]] | None = None,
    blockers: int = 0,
    causes: tuple[frozenset[str], frozenset[str]] | None = None,
) -> Reasons:
    """Reasons for a proposal: hard needs failed, skills, causes, place, time, text.

    ``evidence`` (the volunteer's skills), ``wanted`` (the need's required and desired
    slugs) and ``causes`` (the need's and the volunteer's cause slugs) may be passed when
    already known, to skip reading them again for every proposal.
    """
    out = Reasons()
    evidence = enc.volunteer_evidence(volunteer) if evidence is None else evidence
    required, desired = enc.need_skills(need) if wanted is None else wanted
    _hard_needs(out, need, volunteer, enc, required, blockers)
    if not blockers & hard.SKILLS:
        _skills(out, enc, evidence, required, desired, volunteer.meaning_mentions)
    need_causes, own_causes = causes or (enc.causes_of(need), enc.causes_of(volunteer))
    names = [enc.cause_vocabulary.name(c) for c in sorted(need_causes & own_causes)]
    if names:
        out.say(f"Both care about {_join(names)}",
                f"You and the charity both care about {_join(names)}")
    if not blockers & (hard.IN_PERSON | hard.NO_REMOTE):
        _place(out, need, volunteer)
    nh, vh = need.hours_per_month, volunteer.hours_per_month
    if nh is not None and vh is not None and not blockers & hard.HOURS:
        asks = hours_words(nh, unit=False)
        out.say(f"Can give {hours_words(vh)} a month; the role asks for {asks}",
                f"You can give {hours_words(vh)} a month; the role asks for {asks}")
    if volunteer.board_experience:
        out.say("Has served on a board before", "You have served on a board before")
    text = breakdown.get("text")
    if text is not None and text >= 0.25:
        strength = "closely" if text >= 0.6 else "partly"
        out.say(f"Profile {strength} matches the role",
                f"Your profile {strength} matches the role")
    out.staff[:0] = out.why_not
    out.volunteer[:0] = out.why_not_for_volunteer
    return out


def _hard_needs(out: Reasons, need, volunteer, enc: Encoder, required, blockers: int) -> None:
    if blockers & (hard.IN_PERSON | hard.NO_REMOTE):
        lives, role = describe_place(volunteer.region or ""), need.region or ""
        if blockers & hard.IN_PERSON:
            out.blocked(f"Can't attend in person: lives in {lives}; the role meets in {role}",
                        f"The role meets in person in {role}, and you live in {lives}")
        else:
            out.blocked(f"Attends in person only: lives in {lives}; the role is in {role}",
                        f"You attend in person only, and the role is in {role}")
    if blockers & hard.HOURS:
        vh = hours_words(volunteer.hours_per_month)
        nh = hours_words(need.hours_per_month, unit=False)
        out.blocked(f"Offers {vh} a month; the role asks for {nh}",
                    f"You offer {vh} a month; the role asks for {nh}")
    if blockers & hard.SKILLS:
        names = _join(_names(enc, required))
        out.blocked(f"Has none of the required skills: {names}",
                    f"You have none of the skills the role requires: {names}")


def _names(enc: Encoder, slugs) -> list[str]:
    return sorted(enc.vocabulary.name(s) for s in slugs)


def _skills(
    out: Reasons, enc: Encoder, ev: SkillEvidence, required, desired, meant=None
) -> None:
    ticked = {s for s, level in ev.levels.items() if level != "learning"}
    experts = {s for s, level in ev.levels.items() if level == "expert"}

    def listing(slugs) -> str:
        # The level rides on the skill's name: a separate "expert in X" line would say X twice.
        named = sorted((enc.vocabulary.name(s), s in experts) for s in slugs)
        return ", ".join(f"{name} (expert)" if expert else name for name, expert in named)

    got = required & ticked
    if required:
        n, listed = len(required), listing(got)
        if got == required:
            has = (f"the required skill: {listed}" if n == 1
                   else f"both required skills: {listed}" if n == 2
                   else f"all {number_words(n)} required skills: {listed}")
        elif got:
            has = f"{number_words(len(got))} of the {number_words(n)} required skills: {listed}"
        if got:
            out.say(f"Has {has}", f"You have {has}")
        else:
            out.say("Has not ticked any of the required skills",
                    "You haven't ticked any of the required skills")
    learning = (required | desired) & {s for s, v in ev.levels.items() if v == "learning"}
    if learning:
        names = _join(_names(enc, learning))
        out.say(f"Learning {names}", f"You are learning {names}")
    for slug in sorted((required | desired) & set(ev.mentions)):
        words, name = ev.mentions[slug], enc.vocabulary.name(slug)
        also = "" if words.lower() == name.lower() else f" ({name})"
        out.say(f"Mentions {words} in their profile{also}", f"You mention {words} in your profile")
    close: dict[str, list[str]] = {}
    for target in sorted((required | desired) & set(ev.related)):
        close.setdefault(ev.related[target], []).append(enc.vocabulary.name(target))
    for source, targets in sorted(close.items()):
        what = f"{enc.vocabulary.name(source)}, close to {_join(targets)}"
        out.say(f"Has related experience: {what}", f"You have related experience: {what}")
    # Named by meaning only ("I run incident response" for security operations): quoted back
    # as their own words, and still not counted as a skill they have.
    by_meaning = (required | desired) - set(ev.levels) - set(ev.mentions) - set(ev.related)
    for slug in sorted(by_meaning & set(meant or {})):
        words, name = meant[slug], enc.vocabulary.name(slug)
        out.say(f"Their words \u201c{words}\u201d are close to {name}",
                f"What you wrote, \u201c{words}\u201d, is close to {name}")
    missing = required - set(ev.levels) - set(ev.mentions) - set(ev.related) - set(meant or {})
    if missing:
        names = ", ".join(_names(enc, missing))
        out.say(f"Missing: {names}", f"Not on your profile yet: {names}")
    if desired & ticked:
        names = listing(desired & ticked)
        out.say(f"Also has desired skills: {names}",
                f"You also have skills the role would like: {names}")


def _place(out: Reasons, need: NeedRecord, volunteer: VolunteerRecord) -> None:
    nr, vr = need.region, volunteer.region
    same_words = bool(nr and vr) and nr.strip().lower() == vr.strip().lower()
    if same_words:
        out.say(f"Both in {nr}", f"You and the charity are both in {nr}")
    elif nr and vr and region_key(nr) is not None and region_key(nr) == region_key(vr):
        region = describe_place(resolve_region(nr) or nr)
        out.say(f"Lives in the same region as the charity: {region}",
                f"You live in the same region as the charity: {region}")
    if need.remote_ok and volunteer.remote_ok and not same_words:
        out.say(f"Can attend remotely; charity is in {nr}" if nr else "Can attend remotely",
                f"You can attend remotely; the charity is in {nr}" if nr
                else "You can attend remotely")
