"""Plain input records for volunteers and needs, and the proposal returned to callers."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import Any

LEVELS = ("expert", "practitioner", "learning")


def _level(value: Any) -> str:
    level = str(value).strip().lower()
    if level not in LEVELS:
        raise ValueError(f"unknown skill level {value!r}: expected one of {', '.join(LEVELS)}")
    return level


@dataclass(frozen=True)
class VolunteerRecord:
    """A volunteer profile. ``None`` means unknown, never false or zero.

    ``skills`` are the skills the volunteer ticked or listed, in their words or the taxonomy's:
    each a name, or a ``(name, level)`` pair. ``skill_levels`` maps a skill (its name or slug)
    to a level, for callers that keep levels apart. A level is ``"expert"``,
    ``"practitioner"`` or ``"learning"``; a skill without one counts as a practitioner's.
    """

    id: str
    text: str = ""
    headline: str = ""
    bio: str = ""
    skills: tuple[str | tuple[str, str], ...] = ()
    causes: tuple[str, ...] = ()
    region: str | None = None
    remote_ok: bool | None = None
    hours_per_month: float | None = None
    board_experience: bool | None = None
    skill_levels: Mapping[str, str] = field(default_factory=dict)
    # A stored sentence embedding of ``semantic_text()`` (see ``matching.semantic``), so an
    # index need not compute it again; None: the index embeds the record itself if it can.
    embedding: Any = field(default=None, compare=False, repr=False)
    # Skills the profile names by meaning (``semantic.SkillMeanings``): {slug: their phrase}.
    # Shown as what they wrote, never counted as ticked skills.
    meaning_mentions: Mapping[str, str] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        for entry in self.skills:
            if not isinstance(entry, str):
                _name, level = entry
                _level(level)
        for level in self.skill_levels.values():
            _level(level)

    def skill_terms(self) -> list[tuple[str, str | None]]:
        """``(name, level or None)`` for each listed skill; ``skill_levels`` fills in levels
        that the pairs leave out (matched by name as written or lower-cased)."""
        levels = {k.strip().lower(): _level(v) for k, v in self.skill_levels.items()}
        out: list[tuple[str, str | None]] = []
        for entry in self.skills:
            if isinstance(entry, str):
                out.append((entry, levels.get(entry.strip().lower())))
            else:
                out.append((entry[0], _level(entry[1])))
        return out

    def full_text(self) -> str:
        """Free text used for text relevance (skills are scored separately)."""
        return "\n".join(p for p in (self.headline, self.bio, self.text) if p)

    def semantic_text(self) -> str:
        """What the semantic signal reads: the free text, then the skills as listed."""
        skills = ", ".join(name for name, _level in self.skill_terms())
        return "\n".join(p for p in (self.full_text(), skills) if p)


@dataclass(frozen=True)
class NeedRecord:
    """A charity's trustee need. ``None`` means unknown, never false or zero."""

    id: str
    text: str = ""
    title: str = ""
    description: str = ""
    skills_required: tuple[str, ...] = ()
    skills_desired: tuple[str, ...] = ()
    causes: tuple[str, ...] = ()
    region: str | None = None
    remote_ok: bool | None = None
    hours_per_month: float | None = None
    embedding: Any = field(default=None, compare=False, repr=False)  # as on VolunteerRecord

    def full_text(self) -> str:
        """Free text used for text relevance, including the named skills."""
        skills = ", ".join((*self.skills_required, *self.skills_desired))
        return "\n".join(p for p in (self.title, self.description, self.text, skills) if p)

    def semantic_text(self) -> str:
        """What the semantic signal reads (the same as ``full_text``)."""
        return self.full_text()


@dataclass(frozen=True)
class Proposal:
    """One ranked pair: a score in [0, 1], its parts, and reasons in plain words.

    Attributes
    ----------
    score, breakdown
        For staff: the combined score and each signal's value (None where unknown).
    reasons : list of str
        About the volunteer, in the third person, for staff and the charity ("Has ...",
        "Mentions GDPR in their profile"). No numbers, scores or term lists.
    reasons_for_volunteer : list of str
        The same facts for the volunteer, in the second person ("You have ...").
    feasible : bool
        False when the volunteer cannot meet a hard need of the role (in-person meetings in
        another region, won't attend remotely, under half the hours, none of the required
        skills while others have some). An infeasible pair never ranks above a feasible one.
    why_not : list of str
        Why not, in plain words for staff ("Can't attend in person: lives in the North
        West"); empty when feasible. These lines also open ``reasons``.
    """

    need_id: str
    volunteer_id: str
    score: float
    breakdown: dict[str, float | None] = field(default_factory=dict)
    reasons: list[str] = field(default_factory=list)
    reasons_for_volunteer: list[str] = field(default_factory=list)
    feasible: bool = True
    why_not: list[str] = field(default_factory=list)


_LIST_FIELDS = {"causes", "skills_required", "skills_desired"}


def _skills(value: Any) -> tuple:
    """Listed skills from JSON: names, ``[name, level]`` pairs or ``{"name", "level"}``."""
    out: list = []
    for item in (value,) if isinstance(value, str) else value:
        if isinstance(item, Mapping):
            name, level = str(item["name"]), item.get("level")
            out.append(name if level is None else (name, _level(level)))
        elif isinstance(item, list | tuple):
            out.append((str(item[0]), _level(item[1])))
        else:
            out.append(str(item))
    return tuple(out)


_COMPUTED = {"embedding", "meaning_mentions"}  # set by an index's owner, not read from files


def _from_mapping(cls: type, data: Mapping[str, Any]) -> Any:
    if "id" not in data:
        raise ValueError(f"{cls.__name__} needs an 'id'")
    kwargs: dict[str, Any] = {}
    for f in fields(cls):
        if f.name not in data or data[f.name] is None or f.name in _COMPUTED:
            continue
        value = data[f.name]
        if f.name == "id":
            value = str(value)
        elif f.name == "skills":
            value = _skills(value)
        elif f.name == "skill_levels":
            value = {str(k): _level(v) for k, v in dict(value).items()}
        elif f.name in _LIST_FIELDS:
            value = (value,) if isinstance(value, str) else tuple(str(v) for v in value)
        elif f.name in {"text", "headline", "bio", "title", "description", "region"}:
            value = str(value)
        elif f.name in {"remote_ok", "board_experience"}:
            value = bool(value)
        elif f.name == "hours_per_month":
            value = float(value)
        kwargs[f.name] = value
    return cls(**kwargs)


def volunteer_from_dict(data: Mapping[str, Any]) -> VolunteerRecord:
    """Build a :class:`VolunteerRecord` from a mapping, ignoring unknown keys."""
    return _from_mapping(VolunteerRecord, data)


def need_from_dict(data: Mapping[str, Any]) -> NeedRecord:
    """Build a :class:`NeedRecord` from a mapping, ignoring unknown keys."""
    return _from_mapping(NeedRecord, data)
