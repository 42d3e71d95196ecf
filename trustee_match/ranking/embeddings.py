"""The semantic signal in the product: who embeds what, when, and where vectors are kept.

The model (all-MiniLM-L6-v2 in numpy, `matching.minilm`) takes tens of milliseconds a text, so
no web request runs it. The ranker-run worker (`flask matches work`, and the dev server's
background thread) calls `EmbeddingSweep.step` between runs: the first step of a process finds
every matchable profile and open need whose stored vector is missing or was computed from other
words; later steps look only at what the change log says has changed since. Each step embeds a
bounded batch and commits it with a change-log row per record, so every live index picks the new
vectors up like any other edit. A first fill of thousands ends with one request to rebuild
instead (applying thousands of single updates would hold up the next ranking question).

Live indexes read the stored vectors (`attach`) and never compute one: a profile edited a
moment ago is ranked without the semantic signal until the worker has caught up.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import replace

import numpy as np
from flask import current_app
from sqlalchemy import func, select

from matching.semantic import Embedder, SkillMeanings, default_embedder, text_key

from ..extensions import db
from ..models import ChangeKind, EmbeddingKind, RankerChange, TextEmbedding
from .changes import record_change, request_rebuild
from .records import (
    candidate_profiles,
    need_record,
    open_needs,
    skill_vocabulary,
    volunteer_record,
)

log = logging.getLogger(__name__)

MODEL_NAME = "all-MiniLM-L6-v2"
BATCH = 64
# A sweep that embedded more than this many records asks for one rebuild at its end rather
# than a change-log row each.
REBUILD_AFTER = 200


def embedder() -> Embedder | None:
    """The model when the semantic signal is switched on and installed, else None."""
    if not current_app.config.get("RANKER_SEMANTIC", True):
        return None
    return default_embedder()


def attach(records: list, kind: EmbeddingKind) -> list:
    """The records with their stored vectors, where one was computed from their present words."""
    if not records:
        return records
    ids = [int(r.id) for r in records]
    stored = {
        row.object_id: row
        for chunk in _chunks(ids, 5000)
        for row in db.session.execute(
            select(
                TextEmbedding.object_id,
                TextEmbedding.text_key,
                TextEmbedding.vector,
                TextEmbedding.mentions,
            ).where(
                TextEmbedding.kind == kind,
                TextEmbedding.model == MODEL_NAME,
                TextEmbedding.object_id.in_(chunk),
            )
        )
    }
    out = []
    for record in records:
        row = stored.get(int(record.id))
        if row is not None and row.text_key == text_key(record.semantic_text()):
            vector = np.frombuffer(row.vector, dtype="<f4")
            if kind == EmbeddingKind.VOLUNTEER:
                record = replace(record, embedding=vector, meaning_mentions=row.mentions or {})
            else:
                record = replace(record, embedding=vector)
        out.append(record)
    return out


def with_stored(record, kind: EmbeddingKind):
    """One record with its stored vector, if it has an up-to-date one."""
    return attach([record], kind)[0]


def _chunks(items: list, size: int) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


class EmbeddingSweep:
    """One worker process's embedding work: a queue of records whose vector is out of date."""

    def __init__(self) -> None:
        self.watermark: int | None = None  # the last change-log id looked at
        self.queue: list[tuple[EmbeddingKind, object]] = []
        self.filled = 0  # embedded in this sweep so far
        self.first_sweep = True
        self._meanings: SkillMeanings | None = None  # made on first use (embeds every alias)

    def pending(self) -> int:
        return len(self.queue)

    def step(self, limit: int = BATCH, progress: Callable[[str], None] | None = None) -> int:
        """Embed up to `limit` out-of-date records and commit them; returns how many."""
        model = embedder()
        if model is None:
            return 0
        if self.watermark is None:
            self.watermark = db.session.scalar(select(func.max(RankerChange.id))) or 0
            self.queue = self._stale(*self._everything())
            if progress and self.queue:
                progress(f"{len(self.queue)} profiles and roles to embed")
        else:
            self._follow_changes()
        batch, self.queue = self.queue[:limit], self.queue[limit:]
        if batch:
            vectors = model.encode([record.semantic_text() for _kind, record in batch])
            if self._meanings is None:
                self._meanings = SkillMeanings(skill_vocabulary(every_alias=True), model)
            volunteers = [r for kind, r in batch if kind == EmbeddingKind.VOLUNTEER]
            found = self._meanings.find_many([r.semantic_text() for r in volunteers])
            mentions = {id(r): m for r, m in zip(volunteers, found, strict=True)}
            for (kind, record), vector in zip(batch, vectors, strict=True):
                self._store(kind, record, vector, mentions.get(id(record), {}))
            self.filled += len(batch)
        if batch and not (self.first_sweep and self.filled > REBUILD_AFTER):
            for kind, record in batch:
                record_change(
                    ChangeKind.VOLUNTEER if kind == EmbeddingKind.VOLUNTEER else ChangeKind.NEED,
                    int(record.id),
                )
        db.session.commit()
        if not self.queue:
            if self.first_sweep and self.filled > REBUILD_AFTER:
                request_rebuild()  # one refit in every process instead of thousands of updates
            self.first_sweep = False
            self.filled = 0
        return len(batch)

    def _everything(self) -> tuple[list, list]:
        return (
            [volunteer_record(p) for p in candidate_profiles()],
            [need_record(n) for n in open_needs()],
        )

    def _follow_changes(self) -> None:
        rows = db.session.execute(
            select(RankerChange.id, RankerChange.kind, RankerChange.object_id)
            .where(RankerChange.id > self.watermark)
            .order_by(RankerChange.id)
        ).all()
        if not rows:
            return
        self.watermark = rows[-1].id
        if any(r.kind in (ChangeKind.REBUILD, ChangeKind.CHARITY) for r in rows):
            self.queue = self._stale(*self._everything())  # cheap next to the embedding itself
            return
        volunteer_ids = {r.object_id for r in rows if r.kind == ChangeKind.VOLUNTEER}
        need_ids = {r.object_id for r in rows if r.kind == ChangeKind.NEED}
        volunteers = [volunteer_record(p) for p in candidate_profiles(volunteer_ids)]
        needs = [need_record(n) for n in open_needs(need_ids)] if need_ids else []
        queued = {(kind, record.id) for kind, record in self.queue}
        fresh = self._stale(volunteers if volunteer_ids else [], needs)
        self.queue.extend(item for item in fresh if (item[0], item[1].id) not in queued)

    def _stale(self, volunteers: list, needs: list) -> list[tuple[EmbeddingKind, object]]:
        out: list[tuple[EmbeddingKind, object]] = []
        for kind, records in ((EmbeddingKind.VOLUNTEER, volunteers), (EmbeddingKind.NEED, needs)):
            ids = [int(r.id) for r in records]
            keys = {
                row.object_id: row.text_key
                for chunk in _chunks(ids, 5000)
                for row in db.session.execute(
                    select(TextEmbedding.object_id, TextEmbedding.text_key).where(
                        TextEmbedding.kind == kind,
                        TextEmbedding.model == MODEL_NAME,
                        TextEmbedding.object_id.in_(chunk),
                    )
                )
            }
            for record in records:
                text = record.semantic_text()
                if text.strip() and keys.get(int(record.id)) != text_key(text):
                    out.append((kind, record))
        return out

    def _store(self, kind: EmbeddingKind, record, vector: np.ndarray, mentions: dict) -> None:
        row = db.session.get(TextEmbedding, (kind, int(record.id)))
        if row is None:
            row = TextEmbedding(kind=kind, object_id=int(record.id))
            db.session.add(row)
        row.model = MODEL_NAME
        row.text_key = text_key(record.semantic_text())
        row.vector = np.asarray(vector, dtype="<f4").tobytes()
        row.mentions = mentions


def sweeper() -> EmbeddingSweep:
    """This process's sweep (one per app)."""
    return current_app.extensions.setdefault("embedding_sweep", EmbeddingSweep())
