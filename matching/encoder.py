"""Turning records into table rows: the skills vocabulary, the text model, and interners."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from matching.places import region_key
from matching.records import NeedRecord, VolunteerRecord
from matching.signals import MENTION_WEIGHT, RELATED_WEIGHT, skill_weight
from matching.text import TextRelevance
from matching.vocabulary import SkillVocabulary

UNSEEN = np.iinfo(np.int32).max  # a known value that no row holds


class Interner:
    """Append-only string -> integer ids, shared by every snapshot of one index.

    Only the index's writers (under its write lock) create ids; readers pass
    ``create=False`` and never change it.
    """

    def __init__(self) -> None:
        self._ids: dict[str, int] = {}

    def __len__(self) -> int:
        return len(self._ids)

    def id_of(self, key: str, create: bool = True) -> int | None:
        """The id of one key (None if unseen and not created)."""
        i = self._ids.get(key)
        if i is None and create:
            i = self._ids.setdefault(key, len(self._ids))
        return i

    def ids(self, keys, create: bool = True) -> list[int]:
        out = []
        for key in keys:
            i = self._ids.get(key)
            if i is None and create:
                i = self._ids.setdefault(key, len(self._ids))
            if i is not None:
                out.append(i)
        return sorted(set(out))


_RANK = {"expert": 3, "practitioner": 2, None: 1, "learning": 0}


@dataclass(frozen=True)
class SkillEvidence:
    """What a volunteer shows of each skill: ticked (with a level, or None) or only mentioned.

    Attributes
    ----------
    levels : dict of slug to level
        Ticked or listed skills; the level is "expert", "practitioner", "learning" or None.
    mentions : dict of slug to str
        Skills named only in the free text, each with the words that named it ("GDPR").
    related : dict of slug to slug
        Skills neither ticked nor mentioned but close to a ticked one (see
        ``SkillVocabulary.related``), each with the ticked skill it comes from.
    """

    levels: dict[str, str | None]
    mentions: dict[str, str]
    related: dict[str, str] = field(default_factory=dict)

    @property
    def slugs(self) -> frozenset[str]:
        return frozenset(self.levels) | frozenset(self.mentions)

    def weights(self) -> dict[str, float]:
        """How much each skill counts towards coverage (see ``signals.skill_weight``)."""
        out = {s: RELATED_WEIGHT for s in self.related}
        out.update({s: skill_weight(level) for s, level in self.levels.items()})
        out.update({s: MENTION_WEIGHT for s in self.mentions})
        return out


@dataclass
class Encoder:
    """What turns records into table rows: the vocabularies, the text model, the interners."""

    vocabulary: SkillVocabulary
    text: TextRelevance
    skills: Interner
    causes: Interner
    regions: Interner
    cause_vocabulary: SkillVocabulary = field(default_factory=SkillVocabulary.default_causes)
    # The sentence embedder of the semantic signal (``matching.semantic``), or None for none.
    semantic: Any = None
    # Whether records and queries without a stored embedding are embedded here (see MatchIndex).
    embed_missing: bool = True

    def volunteer_evidence(self, v: VolunteerRecord) -> SkillEvidence:
        """Ticked skills with their levels, and skills only mentioned in the text."""
        levels: dict[str, str | None] = {}
        for term, level in v.skill_terms():
            for slug in self.vocabulary.normalise_many(term):
                if slug not in levels or _RANK[level] > _RANK[levels[slug]]:
                    levels[slug] = level
        for term, level in v.skill_levels.items():  # levels keyed by slug or another name
            for slug in self.vocabulary.normalise_many(term):
                if slug in levels and levels[slug] is None:
                    levels[slug] = level.strip().lower()
        text = v.full_text()[: self.text.max_text_chars]
        mentions = {
            slug: words
            for slug, words in self.vocabulary.find_mentions(text).items()
            if slug not in levels
        }
        related: dict[str, str] = {}
        for slug, level in levels.items():
            for target in self.vocabulary.related.get(slug, ()) if level != "learning" else ():
                if target not in levels and target not in mentions:
                    related.setdefault(target, slug)
        return SkillEvidence(levels, mentions, related)

    def volunteer_skills(self, v: VolunteerRecord) -> frozenset[str]:
        """Every skill the volunteer ticked or mentioned."""
        return self.volunteer_evidence(v).slugs

    def need_skills(self, n: NeedRecord) -> tuple[frozenset[str], frozenset[str]]:
        required = self.vocabulary.normalise_all(n.skills_required)
        return required, self.vocabulary.normalise_all(n.skills_desired) - required

    def causes_of(self, record) -> frozenset[str]:
        """Cause slugs of a record, read through the causes vocabulary."""
        return self.cause_vocabulary.normalise_all(c for c in record.causes if c)

    def region_code(self, region: str | None, create: bool = True) -> int:
        """-1 for unknown; with ``create=False`` a region no row has gets ``UNSEEN``.

        Places are compared by region: "Leeds" and "York" share a code (see ``places``).
        """
        key = region_key(region)
        if key is None:
            return -1
        ids = self.regions.ids([key], create)
        return ids[0] if ids else UNSEEN
