"""Synthetic volunteers, needs and labelled decisions for benchmarks and tests.

The text is built to vary the way real profiles do: sentences from many templates and slot
lists (roles, sectors, employers, achievements, tools), employer and place names that are
rare proper nouns drawn with a Zipf law (most appear in a handful of profiles), and skills
written as names or aliases. It is not random letter soup, whose bigram vocabulary grows
without bound and measures nothing real.
"""

from __future__ import annotations

import numpy as np

from matching.records import NeedRecord, VolunteerRecord
from matching.signals import SIGNALS
from matching.synthetic_words import SKILL_WORDS as DEFAULT_SKILLS

REGIONS = ["London", "Leeds", "Manchester", "Bristol", "Birmingham", "Glasgow", "Cardiff",
           "Edinburgh", "Belfast", "Newcastle", "Sheffield", "Nottingham", "Brighton", "York",
           "Norwich", "Exeter", "Liverpool", "Oxford", "Cambridge", "Leicester"]
CAUSES = ["domestic abuse", "homelessness", "children", "mental health", "older people",
          "refugees", "environment", "arts", "education", "disability", "animal welfare",
          "youth", "poverty", "health", "heritage", "sport", "housing", "addiction"]
ROLES = ["head of", "director of", "senior", "lead", "consultant in", "manager for",
         "chief", "principal", "freelance", "retired", "interim", "deputy head of",
         "specialist in", "partner for", "associate director of"]
SECTORS = ["banking", "retail", "the NHS", "local government", "higher education", "insurance",
           "telecoms", "energy", "publishing", "logistics", "pharmaceuticals", "construction",
           "a housing association", "the civil service", "fintech", "hospitality", "media",
           "manufacturing", "consultancy", "the voluntary sector", "law", "transport"]
VERBS = ["led", "built", "ran", "managed", "delivered", "designed", "oversaw", "improved",
         "scaled", "audited", "rebuilt", "set up", "turned around", "modernised", "launched",
         "mentored teams in", "advised boards on", "wrote the strategy for", "chaired"]
OBJECTS = ["a national programme", "the digital team", "regional services",
           "a {n}-person department", "public sector projects", "a startup",
           "charity partners", "the finance function", "a merger", "board reporting",
           "volunteer networks", "grant programmes", "customer platforms", "the data platform",
           "service redesign", "a {n} million pound budget", "an office move",
           "the procurement process", "our response to a cyber incident", "a rebrand",
           "supplier contracts", "the annual audit", "a community fund", "staff training"]
RESULTS = ["cutting costs by {n} per cent", "doubling our reach", "on time and on budget",
           "winning a national award", "with no data loss", "across {n} sites",
           "for {n} thousand users", "raising {n} thousand pounds", "ahead of schedule",
           "with a small team", "while growing income", "after a difficult year"]
MOTIVES = ["I am passionate about", "I want to give back to", "I care deeply about",
           "I have volunteered for years in", "My family has been touched by",
           "I would love to support", "I am keen to help charities working on",
           "Outside work I support", "I have a personal interest in"]
CHARITY = ["We are a small charity", "Our community group", "A national charity",
           "Our trust", "We are a growing social enterprise", "A local charity",
           "Our volunteer-led organisation", "A 30-year-old charity", "Our hospice"]
WANTS = ["We need a trustee who can help with", "We are looking for someone with",
         "The board lacks", "We would welcome a trustee experienced in",
         "Help us strengthen our", "We are recruiting a trustee with"]
JARGON = ["Tools I use:", "Recent projects include", "Certified in", "Familiar with",
          "Worked with the", "Also known for"]
SYLLABLES = ["an", "ber", "cal", "dor", "el", "fen", "gar", "hol", "ith", "jen", "kin", "lor",
             "mar", "nor", "ol", "pen", "quin", "ros", "sel", "tor", "ul", "ver", "wick", "yat"]
SUFFIXES = ["Ltd", "Group", "plc", "Partners", "Trust", "Council", "Bank", "Systems", "Labs",
            "Foundation", "Health", "Digital", "Consulting", "University", "Housing"]


def _names(rng, size: int) -> np.ndarray:
    """Employer-like proper nouns (``Calnorwick Health``), distinct up to collisions."""
    parts = rng.choice(SYLLABLES, size=(size, 3))
    lengths = rng.integers(2, 4, size=size)
    suffix = rng.choice(SUFFIXES, size=size)
    two = np.strings.add(parts[:, 0], parts[:, 1])
    stem = np.where(lengths == 3, np.strings.add(two, parts[:, 2]), two)
    return np.strings.add(np.strings.add(np.strings.capitalize(stem), " "), suffix)


class _Writer:
    """Draws sentences; employers follow a Zipf law over a large pool."""

    def __init__(self, rng, n_employers: int = 50_000, n_terms: int = 40_000) -> None:
        self.rng = rng
        self.employers = _names(rng, n_employers)
        self.terms = np.array([t.split()[0].lower() for t in _names(rng, n_terms)])

    def jargon(self) -> str:
        """A long-tail term (a tool, product or place name), Zipf-distributed."""
        picks = self.rng.zipf(1.1, size=int(self.rng.integers(1, 4))) - 1
        words = [str(self.terms[i % len(self.terms)]) for i in picks]
        return f"{self.pick(JARGON)} {', '.join(words)}."

    def pick(self, items):
        return str(items[int(self.rng.integers(len(items)))])

    def fill(self, template: str) -> str:
        return template.replace("{n}", str(int(self.rng.integers(2, 200))))

    def employer(self) -> str:
        i = int(self.rng.zipf(1.3)) - 1
        return str(self.employers[i % len(self.employers)])

    def achievement(self, skills: list[str]) -> str:
        verb, obj = self.pick(VERBS), self.fill(self.pick(OBJECTS))
        what = " and ".join(skills)
        form = int(self.rng.integers(4))
        if form == 0:
            return f"At {self.employer()} I {verb} {obj} using {what}."
        if form == 1:
            result = self.fill(self.pick(RESULTS))
            return f"{verb.capitalize()} {obj} in {self.pick(SECTORS)}, {result}."
        if form == 2:
            return f"{int(self.rng.integers(3, 30))} years in {what}, most recently at " \
                   f"{self.employer()}."
        return f"My work on {what} {verb} {obj} {self.fill(self.pick(RESULTS))}."


def _skill_words(rng, entry) -> str:
    _slug, name, aliases = entry
    return name if rng.random() < 0.6 or not aliases else str(rng.choice(aliases))


def make_volunteers(n: int, random_state: int = 0) -> list[VolunteerRecord]:
    """Volunteers with varied headline, bio, skills (names or aliases), causes and place.

    About a third paste a CV-style "Skills" list at the end of their bio (drawn from a second
    generator, so the rest of each profile is the same with or without it).
    """
    rng = np.random.default_rng(random_state)
    cv_rng = np.random.default_rng([random_state, 1])
    w = _Writer(rng)
    out = []
    for i in range(n):
        picked = rng.choice(len(DEFAULT_SKILLS), int(rng.integers(2, 7)), replace=False)
        said = [_skill_words(rng, DEFAULT_SKILLS[j]) for j in picked]
        causes = [CAUSES[j] for j in rng.choice(len(CAUSES), int(rng.integers(0, 4)),
                                                 replace=False)]
        parts = [w.achievement(said[j : j + 2]) for j in range(0, len(said), 2)]
        if causes:
            parts.append(f"{w.pick(MOTIVES)} {' and '.join(causes)}.")
        parts.append(w.jargon())
        if rng.random() < 0.5:
            parts.append(f"Based near {w.pick(REGIONS)}; previously {w.pick(SECTORS)}.")
        rng.shuffle(parts)
        bio = " ".join(parts)
        if cv_rng.random() < 0.3:
            bio += "\n\nSkills\n" + "\n".join(f"- {s}" for s in said)
        out.append(VolunteerRecord(
            id=f"v{i}",
            headline=f"{w.pick(ROLES).capitalize()} {said[0]} at {w.employer()}",
            bio=bio,
            skills=tuple(said[: int(rng.integers(1, len(said) + 1))]),
            causes=tuple(causes),
            region=None if rng.random() < 0.1 else w.pick(REGIONS),
            remote_ok=None if rng.random() < 0.2 else bool(rng.random() < 0.6),
            hours_per_month=None if rng.random() < 0.2 else float(rng.integers(2, 21)),
            board_experience=None if rng.random() < 0.3 else bool(rng.random() < 0.4),
        ))
    return out


def make_needs(n: int, random_state: int = 1) -> list[NeedRecord]:
    """Needs with a title, description, required and desired skills, causes and place."""
    rng = np.random.default_rng(random_state)
    w = _Writer(rng)
    out = []
    for i in range(n):
        skills = [DEFAULT_SKILLS[j][1] for j in rng.choice(len(DEFAULT_SKILLS),
                                                          int(rng.integers(2, 6)), replace=False)]
        n_req = int(rng.integers(1, len(skills)))
        causes = [CAUSES[j] for j in rng.choice(len(CAUSES), int(rng.integers(1, 3)),
                                                 replace=False)]
        region = w.pick(REGIONS)
        desc = (f"{w.pick(CHARITY)} working on {' and '.join(causes)} in {region}. "
                f"{w.pick(WANTS)} {', '.join(skills)}. " + w.achievement(skills[:2]))
        out.append(NeedRecord(
            id=f"n{i}",
            title=f"Trustee: {skills[0]}",
            description=desc,
            skills_required=tuple(skills[:n_req]),
            skills_desired=tuple(skills[n_req:]),
            causes=tuple(causes),
            region=region,
            remote_ok=None if rng.random() < 0.2 else bool(rng.random() < 0.7),
            hours_per_month=None if rng.random() < 0.2 else float(rng.integers(2, 13)),
        ))
    return out


def make_labelled_pairs(
    n_needs: int = 60, per_need: int = 12, hidden_weights: dict | None = None,
    random_state: int = 0,
) -> tuple[list[dict], list[int], list[str]]:
    """Breakdowns, labels and need ids drawn from a known hidden preference.

    Signal values are random with some unknown; a pair is approved with probability
    ``sigmoid(8 * (hidden score - 0.5))`` where the hidden score is the weighted mean.
    """
    rng = np.random.default_rng(random_state)
    hidden = hidden_weights or {"text": 0.1, "skills_required": 0.2, "skills_desired": 0.0,
                                "causes": 0.5, "place": 0.1, "availability": 0.1,
                                "board_experience": 0.0}
    breakdowns, labels, groups = [], [], []
    for j in range(n_needs):
        for _ in range(per_need):
            b = {s: (None if rng.random() < 0.15 else float(rng.random())) for s in SIGNALS}
            b["text"] = float(rng.random())
            num = sum(hidden.get(s, 0.0) * v for s, v in b.items() if v is not None)
            den = sum(hidden.get(s, 0.0) for s, v in b.items() if v is not None)
            p = 1 / (1 + np.exp(-8 * ((num / den if den else 0.5) - 0.5)))
            breakdowns.append(b)
            labels.append(int(rng.random() < p))
            groups.append(f"n{j}")
    return breakdowns, labels, groups
