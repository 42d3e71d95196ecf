"""One immutable state of a MatchIndex (both tables, the weights, the encoder) and its build."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass

from matching.encoder import Encoder, Interner
from matching.records import NeedRecord, VolunteerRecord
from matching.signals import DEFAULT_WEIGHTS, SIGNALS
from matching.tables import Table, build_table
from matching.text import TextRelevance
from matching.vocabulary import SkillVocabulary


@dataclass(frozen=True)
class Snapshot:
    """What every read of the index sees at one moment; writers make a new one."""

    volunteers: Table
    needs: Table
    weights: dict[str, float]
    encoder: Encoder

    def need(self, need: str | NeedRecord) -> NeedRecord:
        """The need of an id (KeyError if absent), or the record itself."""
        return need if isinstance(need, NeedRecord) else _record(self.needs, need, "need")

    def volunteer(self, volunteer: str | VolunteerRecord) -> VolunteerRecord:
        """The volunteer of an id (KeyError if absent), or the record itself."""
        if isinstance(volunteer, VolunteerRecord):
            return volunteer
        return _record(self.volunteers, volunteer, "volunteer")


def _record(table: Table, record_id: str, kind: str):
    row = table.row(record_id)
    if row is None:
        raise KeyError(f"unknown {kind} id: {record_id!r}")
    return table.record_at(row)


def check_weights(weights: dict[str, float] | None) -> dict[str, float]:
    """The weights to use (defaults for None); ValueError for unknown or negative ones."""
    weights = dict(DEFAULT_WEIGHTS if weights is None else weights)
    unknown = set(weights) - set(SIGNALS)
    if unknown:
        raise ValueError(f"unknown signals in weights: {sorted(unknown)}")
    if any(w < 0 for w in weights.values()) or not any(w > 0 for w in weights.values()):
        raise ValueError("weights must be non-negative with at least one positive")
    return weights


def effective_n_jobs(n_jobs: int | None) -> int:
    """Threads for ``n_jobs`` as scikit-learn reads it: None is 1, -1 every core, -2 all but
    one."""
    if n_jobs is None or n_jobs == 0:
        return 1
    if n_jobs < 0:
        return max(1, (os.cpu_count() or 1) + 1 + n_jobs)
    return int(n_jobs)


def build_snapshot(
    volunteers: list, needs: list, weights: dict[str, float], *,
    vocabulary: SkillVocabulary | None, cause_vocabulary: SkillVocabulary | None,
    text_params: dict | None, random_state: int, say: Callable[[str], None],
    semantic=None, embed_missing: bool = True,
) -> Snapshot:
    """Fit the text model on both sides, then encode both tables."""
    text = TextRelevance(**{"random_state": random_state, **(text_params or {})})
    say(f"text model: {len(volunteers)} volunteers, {len(needs)} needs")
    vol_rows, need_rows = text.fit_transform(
        [v.full_text() for v in volunteers], [n.full_text() for n in needs]
    )
    enc = Encoder(
        vocabulary or SkillVocabulary.default(), text, Interner(), Interner(), Interner(),
        cause_vocabulary or SkillVocabulary.default_causes(), semantic, embed_missing,
    )
    if semantic is not None and embed_missing:
        say(f"embeddings: {len(volunteers) + len(needs)} texts")
    say("volunteer table")
    vols = build_table(volunteers, enc, is_need=False, rows=vol_rows)
    say("need table")
    need_table = build_table(needs, enc, is_need=True, rows=need_rows)
    return Snapshot(vols, need_table, weights, enc)
