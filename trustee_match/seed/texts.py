"""Composing the demo data's names and prose from the fragments, so no two texts read alike."""

from __future__ import annotations

import random
import re
from collections.abc import Sequence

from . import fragments as f

SIZE_BY_INCOME = {
    "under_100k": "small",
    "100k_1m": "medium-sized",
    "1m_10m": "regional",
    "over_10m": "national",
}
FIELD_BY_GROUP = {
    "Digital and technology": "digital and technology",
    "Data": "data and analytics",
    "Security and privacy": "security and privacy",
    "Product and design": "product and design",
    "Marketing and communications": "marketing and communications",
    "Fundraising and income": "fundraising",
    "Finance and legal": "finance",
    "Governance and people": "operations and change",
    "Sector knowledge": "public services",
}
PROPER_NOUNS = {"Microsoft"}
REGION_SHORT = {"Yorkshire and the Humber": "Yorkshire", "East of England": "East Anglia"}
# A name core ending in one of these is already a whole name, so no suffix is added.
COMPLETE_ENDINGS = {*f.CHARITY_SUFFIXES, *f.NAME_ENDINGS}


def lower_first(name: str) -> str:
    """A skill or cause name as it reads mid-sentence: "Data protection" -> "data protection".

    Acronyms keep their case ("UX and service design", "AI and machine learning").
    """
    first = name.split(" ", 1)[0]
    if first in PROPER_NOUNS or first[1:] != first[1:].lower():
        return name
    return name[:1].lower() + name[1:]


def join_words(items: Sequence[str]) -> str:
    """'a', 'a and b', 'a, b and c'; 'a, and b and c' when an item has its own "and"."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    last = ", and " if any(" and " in item for item in items) else " and "
    return ", ".join(items[:-1]) + last + items[-1]


def region_phrase(region: str) -> str:
    """A region as it reads after "across": "the North East" but "Wales"."""
    compass = region.split()[0] in {"North", "South", "East", "West"}
    return f"the {region}" if compass and region != "Northern Ireland" else region


def _tidy(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def volunteer_headline(
    rng: random.Random, *, group: str, skills: Sequence[str], years: int, title: str
) -> str:
    """A one-line headline from the volunteer's job title and strongest skills."""
    template = rng.choice(f.HEADLINE_TEMPLATES)
    return template.format(
        title=title,
        employer=rng.choice(f.EMPLOYERS),
        years=years,
        field=FIELD_BY_GROUP[group],
        skill_a=skills[0],
        skill_b_lower=lower_first(skills[1]) if len(skills) > 1 else "strategy",
        skill_a_lower=lower_first(skills[0]),
    )[:160]


def volunteer_bio(
    rng: random.Random,
    *,
    group: str,
    title: str,
    skills: Sequence[str],
    causes: Sequence[str],
    years: int,
    hours: int,
    remote_ok: bool,
    board_experience: str,
) -> str:
    """A short first-person bio: career, what they bring, why, board experience, availability."""
    cause_text = join_words([lower_first(cause) for cause in causes[:2]]) or "my community"
    # "an IT Director" but "a User Research Lead" and "a UX Lead".
    article = "an" if title[:1] in "AEIO" or title.startswith("Un") else "a"
    values = {
        "years": years,
        "short_years": rng.randint(2, max(3, years // 2)),
        "field": rng.choice((FIELD_BY_GROUP[group], "the private sector", "the public sector")),
        "title_a": f"{article} {title}",
        "employer": rng.choice(f.EMPLOYERS),
        "first_job": rng.choice(f.FIRST_JOBS),
        "skills": join_words([lower_first(skill) for skill in skills[:3]]),
        "causes": cause_text,
        "hours": hours,
        "remote": rng.choice((", mostly remotely", " and can travel for meetings", ""))
        if remote_ok
        else " and prefer in-person meetings",
    }
    parts = [
        rng.choice(f.BIO_OPENERS),
        rng.choice(f.BIO_BRING),
        rng.choice(f.BIO_WHY),
        rng.choice(f.BIO_BOARD[board_experience]),
        rng.choice(f.BIO_AVAILABILITY),
    ]
    if rng.random() < 0.3:
        parts[1], parts[2] = parts[2], parts[1]
    return _tidy(" ".join(part.format(**values) for part in parts))


def charity_name(rng: random.Random, *, cause_slug: str, town: str, region: str) -> str:
    """A believable charity name for a cause and place, e.g. "Leeds Young Carers Network"."""
    core = rng.choice(f.CAUSE_PROFILES[cause_slug][2])
    templates = f.CHARITY_NAME_TEMPLATES
    if core.split()[-1] in COMPLETE_ENDINGS:
        templates = tuple(t for t in templates if "{suffix}" not in t)
    return rng.choice(templates).format(
        town=town,
        core=core,
        suffix=rng.choice(f.CHARITY_SUFFIXES),
        region_short=REGION_SHORT.get(region, region),
    )


def charity_description(
    rng: random.Random, *, name: str, cause_slug: str, town: str, region: str, income: str
) -> str:
    """A few sentences about what the charity does, for whom and where."""
    beneficiaries, work, _ = f.CAUSE_PROFILES[cause_slug]
    volunteers = rng.choice((8, 12, 20, 35, 60, 120))
    values = {
        "name": name,
        "work": work,
        "beneficiaries": beneficiaries,
        "town": town,
        "region_phrase": region_phrase(region),
        "size": SIZE_BY_INCOME[income],
        "founded": rng.choice(f.FOUNDED).format(year=rng.randint(1962, 2021)),
        "scale": rng.choice(f.SCALE).format(
            count=rng.choice((150, 400, 900, 2500, 6000)),
            staff=rng.randint(1, 40),
            volunteers=volunteers,
        ),
    }
    return _tidy(rng.choice(f.CHARITY_DESCRIPTIONS).format(**values))


def need_title(rng: random.Random, *, skill_slug: str, skill_name: str) -> str:
    """A role title led by the need's first required skill."""
    specific = f.NEED_TITLES_BY_SKILL.get(skill_slug)
    if specific and rng.random() < 0.8:
        return rng.choice(specific)
    return rng.choice(f.NEED_TITLE_TEMPLATES).format(
        skill=skill_name, skill_lower=lower_first(skill_name)
    )


def need_description(
    rng: random.Random,
    *,
    charity: str,
    cause_slug: str,
    cause_name: str,
    place: str,
    size: str,
    group: str,
    required: Sequence[str],
    desired: Sequence[str],
    hours: int,
    remote_ok: bool,
) -> str:
    """A role description: the charity, the gap on the board, the commitment and the ask."""
    beneficiaries, work, _ = f.CAUSE_PROFILES[cause_slug]
    values = {
        "charity": charity,
        "work": work,
        "beneficiaries": beneficiaries,
        "place": place,
        "size": size,
        "strength": rng.choice(f.BOARD_STRENGTHS),
        "project": rng.choice(f.BOARD_PROJECTS[group]),
        "skill_lower": join_words([lower_first(skill) for skill in required]),
        "hours": hours,
        "meetings": rng.choice(f.MEETINGS),
        "board_size": rng.randint(5, 11),
        "remote": rng.choice((", online or in person", "; most meetings are on Zoom"))
        if remote_ok
        else f" in {place}",
        "desired": join_words([lower_first(skill) for skill in desired]) or "the charity sector",
        "cause_lower": lower_first(cause_name),
    }
    asks = [ask for ask in f.NEED_ASKS if desired or "{desired}" not in ask]
    paragraphs = [
        rng.choice(f.NEED_INTROS) + " " + rng.choice(f.NEED_GAPS),
        rng.choice(f.NEED_ROLES) + " " + rng.choice(asks),
    ]
    return "\n\n".join(_tidy(p.format(**values)) for p in paragraphs)
