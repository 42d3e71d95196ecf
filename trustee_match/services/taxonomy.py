"""The shared vocabularies: loading skills and causes from data files, and looking skills up."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from sqlalchemy import select

from ..extensions import db
from ..models import Cause, Skill
from .errors import ServiceError

DATA_DIR = Path(__file__).resolve().parent.parent / "data"


def normalise_term(text: str) -> str:
    """The form skill slugs, names and aliases are compared in.

    Case, hyphens, underscores, curly apostrophes and repeated spaces are ignored, so
    "Cyber-Security", "cyber security" and "cyber_security" all name the same thing.
    """
    text = text.replace("\u2019", "'").casefold()
    return re.sub(r"\s+", " ", re.sub(r"[-_]", " ", text)).strip()


def _read_rows(path: Path, required: tuple[str, ...]) -> list[dict[str, Any]]:
    rows = json.loads(path.read_text(encoding="utf-8"))
    slugs: set[str] = set()
    for row in rows:
        missing = [key for key in required if not row.get(key)]
        if missing:
            raise ValueError(f"{path.name}: entry {row!r} lacks {', '.join(missing)}")
        if row["slug"] in slugs:
            raise ValueError(f"{path.name}: duplicate slug {row['slug']!r}")
        slugs.add(row["slug"])
    return rows


def load_taxonomy(data_dir: Path = DATA_DIR) -> tuple[int, int]:
    """Insert or update every skill and cause in the data files, matched by slug, and commit.

    Running it again changes nothing unless the files changed. Rows no longer in the files are
    left alone, because profiles, needs and past matches may still refer to them.

    Returns
    -------
    tuple[int, int]
        The number of skills and of causes in the files.
    """
    skill_rows = _read_rows(data_dir / "skills.json", ("slug", "name", "group"))
    cause_rows = _read_rows(data_dir / "causes.json", ("slug", "name"))

    skills = {skill.slug: skill for skill in db.session.scalars(select(Skill))}
    for position, row in enumerate(skill_rows):
        skill = skills.get(row["slug"])
        if skill is None:
            skill = Skill(slug=row["slug"])
            db.session.add(skill)
        skill.name = row["name"]
        skill.group = row["group"]
        skill.aliases = list(row.get("aliases", []))
        skill.position = position

    causes = {cause.slug: cause for cause in db.session.scalars(select(Cause))}
    for position, row in enumerate(cause_rows):
        cause = causes.get(row["slug"])
        if cause is None:
            cause = Cause(slug=row["slug"])
            db.session.add(cause)
        cause.name = row["name"]
        cause.position = position

    db.session.commit()
    return len(skill_rows), len(cause_rows)


def skill_groups() -> list[tuple[str, list[Skill]]]:
    """Skills grouped for display, groups and skills in the order of the data file."""
    groups: dict[str, list[Skill]] = {}
    for skill in db.session.scalars(select(Skill).order_by(Skill.position, Skill.id)):
        groups.setdefault(skill.group, []).append(skill)
    return list(groups.items())


def resolve_skill(text: str) -> Skill | None:
    """The skill whose slug, name or one of whose aliases is ``text``, ignoring case.

    A slug or name match wins over an alias match, so a skill's own name is never shadowed by
    another skill's alias.
    """
    wanted = normalise_term(text)
    if not wanted:
        return None
    skills = list(db.session.scalars(select(Skill).order_by(Skill.position, Skill.id)))
    for skill in skills:
        if wanted in (normalise_term(skill.slug), normalise_term(skill.name)):
            return skill
    for skill in skills:
        if any(normalise_term(alias) == wanted for alias in skill.aliases or ()):
            return skill
    return None


def causes_with_ids(ids: list[int]) -> list[Cause]:
    """The causes with these ids; a ServiceError if any id is not on the list (a forged form)."""
    causes = list(
        db.session.scalars(select(Cause).where(Cause.id.in_(ids)).order_by(Cause.position))
    )
    if len(causes) != len(set(ids)):
        raise ServiceError("One of the causes is not on our list. Please choose again.")
    return causes
