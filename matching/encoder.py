"""Turning records into table rows: the skills vocabulary, the text model, and interners."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from matching.records import NeedRecord, VolunteerRecord
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

    def ids(self, keys, create: bool = True) -> list[int]:
        out = []
        for key in keys:
            i = self._ids.get(key)
            if i is None and create:
                i = self._ids.setdefault(key, len(self._ids))
            if i is not None:
                out.append(i)
        return sorted(set(out))


@dataclass
class Encoder:
    """What turns records into table rows: the vocabulary, the text model, the interners."""

    vocabulary: SkillVocabulary
    text: TextRelevance
    skills: Interner
    causes: Interner
    regions: Interner

    def volunteer_skills(self, v: VolunteerRecord) -> frozenset[str]:
        found = self.vocabulary.find_in_text(v.full_text()[: self.text.max_text_chars])
        return self.vocabulary.normalise_all(v.skills) | found

    def need_skills(self, n: NeedRecord) -> tuple[frozenset[str], frozenset[str]]:
        required = self.vocabulary.normalise_all(n.skills_required)
        return required, self.vocabulary.normalise_all(n.skills_desired) - required

    def causes_of(self, record) -> frozenset[str]:
        return frozenset(c.strip().lower() for c in record.causes if c and c.strip())

    def region_code(self, region: str | None, create: bool = True) -> int:
        """-1 for unknown; with ``create=False`` a region no row has gets ``UNSEEN``."""
        if region is None or not region.strip():
            return -1
        ids = self.regions.ids([region.strip().lower()], create)
        return ids[0] if ids else UNSEEN
