"""Plain input records for volunteers and needs, and the proposal returned to callers."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import Any


@dataclass(frozen=True)
class VolunteerRecord:
    """A volunteer profile. ``None`` means unknown, never false or zero."""

    id: str
    text: str = ""
    headline: str = ""
    bio: str = ""
    skills: tuple[str, ...] = ()
    causes: tuple[str, ...] = ()
    region: str | None = None
    remote_ok: bool | None = None
    hours_per_month: float | None = None
    board_experience: bool | None = None

    def full_text(self) -> str:
        """Free text used for text relevance (skills are scored separately)."""
        return "\n".join(p for p in (self.headline, self.bio, self.text) if p)


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

    def full_text(self) -> str:
        """Free text used for text relevance, including the named skills."""
        skills = ", ".join((*self.skills_required, *self.skills_desired))
        return "\n".join(p for p in (self.title, self.description, self.text, skills) if p)


@dataclass(frozen=True)
class Proposal:
    """One ranked pair: a score in [0, 1], its parts, and reasons in plain words."""

    need_id: str
    volunteer_id: str
    score: float
    breakdown: dict[str, float | None] = field(default_factory=dict)
    reasons: list[str] = field(default_factory=list)


_LIST_FIELDS = {"skills", "causes", "skills_required", "skills_desired"}


def _from_mapping(cls: type, data: Mapping[str, Any]) -> Any:
    if "id" not in data:
        raise ValueError(f"{cls.__name__} needs an 'id'")
    kwargs: dict[str, Any] = {}
    for f in fields(cls):
        if f.name not in data or data[f.name] is None:
            continue
        value = data[f.name]
        if f.name == "id":
            value = str(value)
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
