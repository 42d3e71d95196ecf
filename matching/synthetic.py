"""Synthetic volunteers, needs and labelled decisions for benchmarks and tests."""

from __future__ import annotations

import numpy as np

from matching.default_skills import DEFAULT_SKILLS
from matching.records import NeedRecord, VolunteerRecord
from matching.signals import SIGNALS

REGIONS = ["London", "Leeds", "Manchester", "Bristol", "Birmingham", "Glasgow", "Cardiff",
           "Edinburgh", "Belfast", "Newcastle", "Sheffield", "Nottingham", "Brighton", "York",
           "Norwich", "Exeter", "Liverpool", "Oxford", "Cambridge", "Leicester"]
CAUSES = ["domestic abuse", "homelessness", "children", "mental health", "older people",
          "refugees", "environment", "arts", "education", "disability", "animal welfare",
          "youth", "poverty", "health", "heritage", "sport", "housing", "addiction"]
ROLES = ["head of", "director of", "senior", "lead", "consultant in", "manager for",
         "chief", "principal", "freelance", "retired"]
VERBS = ["led", "built", "ran", "managed", "delivered", "designed", "oversaw", "improved",
         "scaled", "audited", "rebuilt", "mentored teams in", "advised boards on"]
OBJECTS = ["a national programme", "the digital team", "our regional services",
           "a 40-person department", "public sector projects", "a startup", "charity partners",
           "the finance function", "a merger", "board reporting", "volunteer networks",
           "grant programmes", "customer platforms", "the data platform", "service redesign"]
FILLER = ["passionate about", "keen to give back to", "committed to", "experienced with",
          "interested in", "volunteered for", "supporting", "championing"]
CHARITY = ["We are a small charity", "Our community group", "A national charity",
           "Our trust", "We are a growing social enterprise", "A local charity"]


def _pick(rng, items, n):
    return [items[i] for i in rng.choice(len(items), size=n, replace=False)]


def _sentence(rng, skill_names, cause, vocab_words):
    extra = " ".join(rng.choice(vocab_words, size=3))
    return (f"{rng.choice(VERBS).capitalize()} {rng.choice(OBJECTS)} using "
            f"{' and '.join(skill_names)}; {rng.choice(FILLER)} {cause} ({extra}).")


def make_volunteers(n: int, random_state: int = 0) -> list[VolunteerRecord]:
    """Volunteers with varied headline, bio, skills (names or aliases), causes and place."""
    rng = np.random.default_rng(random_state)
    words = _word_pool(rng)
    out = []
    for i in range(n):
        skills = [DEFAULT_SKILLS[j] for j in rng.choice(len(DEFAULT_SKILLS), rng.integers(2, 7),
                                                      replace=False)]
        said = [s[1] if rng.random() < 0.6 or not s[2] else str(rng.choice(s[2])) for s in skills]
        causes = _pick(rng, CAUSES, int(rng.integers(0, 4)))
        bio = " ".join(
            _sentence(rng, said[j : j + 2] or said[:1], causes[0] if causes else "charities",
                      words) for j in range(0, len(said), 2)
        )
        out.append(VolunteerRecord(
            id=f"v{i}",
            headline=f"{rng.choice(ROLES).capitalize()} {said[0]}",
            bio=bio,
            skills=tuple(said[: int(rng.integers(1, len(said) + 1))]),
            causes=tuple(causes),
            region=None if rng.random() < 0.1 else str(rng.choice(REGIONS)),
            remote_ok=None if rng.random() < 0.2 else bool(rng.random() < 0.6),
            hours_per_month=None if rng.random() < 0.2 else float(rng.integers(2, 21)),
            board_experience=None if rng.random() < 0.3 else bool(rng.random() < 0.4),
        ))
    return out


def make_needs(n: int, random_state: int = 1) -> list[NeedRecord]:
    """Needs with a title, description, required and desired skills, causes and place."""
    rng = np.random.default_rng(random_state)
    words = _word_pool(rng)
    out = []
    for i in range(n):
        skills = [DEFAULT_SKILLS[j][1] for j in rng.choice(len(DEFAULT_SKILLS),
                                                          rng.integers(2, 6), replace=False)]
        n_req = int(rng.integers(1, len(skills)))
        causes = _pick(rng, CAUSES, int(rng.integers(1, 3)))
        region = str(rng.choice(REGIONS))
        desc = (f"{rng.choice(CHARITY)} working on {' and '.join(causes)} in {region}. "
                f"We need a trustee who can help with {', '.join(skills)}. "
                + _sentence(rng, skills[:2], causes[0], words))
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


def _word_pool(rng, size: int = 3000) -> np.ndarray:
    letters = np.array(list("abcdefghiklmnoprstuvwy"))
    return np.array(["".join(rng.choice(letters, size=int(rng.integers(4, 10))))
                     for _ in range(size)])


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
            num = sum(hidden[s] * v for s, v in b.items() if v is not None)
            den = sum(hidden[s] for s, v in b.items() if v is not None)
            p = 1 / (1 + np.exp(-8 * ((num / den if den else 0.5) - 0.5)))
            breakdowns.append(b)
            labels.append(int(rng.random() < p))
            groups.append(f"n{j}")
    return breakdowns, labels, groups
