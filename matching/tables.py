"""Immutable per-side tables (volunteers or needs): text rows plus encoded structured fields.

A table is never changed in place: adding or removing a row returns a new table that shares
the large text blocks with the old one, so readers holding the old table are unaffected.
"""

from __future__ import annotations

import itertools
import threading
from dataclasses import dataclass, replace

import numpy as np
import scipy.sparse as sp

from matching.records import NeedRecord, VolunteerRecord
from matching.text import TextRelevance, TextRows
from matching.vocabulary import SkillVocabulary

ID_SPACE = 1 << 22
DELTA_BLOCK_ROWS = 2048
MAIN_BLOCKS = 2


class Interner:
    """Append-only string -> integer ids, shared by every snapshot of one index."""

    def __init__(self) -> None:
        self._ids: dict[str, int] = {}
        self._lock = threading.Lock()

    def ids(self, keys, create: bool = True) -> list[int]:
        out = []
        for key in keys:
            i = self._ids.get(key)
            if i is None and create:
                with self._lock:
                    i = self._ids.setdefault(key, len(self._ids))
            if i is not None and i < ID_SPACE:
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

    def region_code(self, region: str | None) -> int:
        if region is None or not region.strip():
            return -1
        return self.regions.ids([region.strip().lower()])[0]


def _flag(value: bool | None) -> int:
    return -1 if value is None else int(bool(value))


def _binary(rows: list[list[int]]) -> sp.csr_matrix:
    indptr = np.cumsum([0, *(len(r) for r in rows)])
    indices = np.fromiter((i for r in rows for i in r), dtype=np.int32, count=int(indptr[-1]))
    data = np.ones(len(indices), dtype=np.float32)
    return sp.csr_matrix((data, indices, indptr), shape=(len(rows), ID_SPACE))


@dataclass(frozen=True)
class Table:
    """One side of the market. Rows are never reused; removed rows are marked dead."""

    ids: list[str]
    pos: dict[str, int]
    records: dict[str, object]
    blocks: tuple[TextRows, ...]
    alive: np.ndarray
    skills: sp.csr_matrix  # volunteers: skills held; needs: skills required
    desired: sp.csr_matrix  # needs: skills desired (empty columns for volunteers)
    causes: sp.csr_matrix
    region: np.ndarray
    remote: np.ndarray
    hours: np.ndarray
    board: np.ndarray

    @property
    def n_rows(self) -> int:
        return len(self.ids)

    def counts(self, rows: np.ndarray) -> sp.csr_matrix:
        """Text count rows for global row numbers."""
        parts, where, start = [], [], 0
        rows = np.asarray(rows, dtype=np.int64)
        for block in self.blocks:
            stop = start + block.counts.shape[0]
            hit = np.nonzero((rows >= start) & (rows < stop))[0]
            parts.append(block.counts[rows[hit] - start])
            where.append(hit)
            start = stop
        stacked = sp.vstack(parts, format="csr")
        return stacked[np.argsort(np.concatenate(where), kind="stable")]

    def norms(self) -> tuple[np.ndarray, np.ndarray]:
        return (
            np.concatenate([b.word_norm for b in self.blocks]),
            np.concatenate([b.char_norm for b in self.blocks]),
        )


def _encode(records, enc: Encoder, is_need: bool):
    skills, desired, causes, region, remote, hours, board = [], [], [], [], [], [], []
    for r in records:
        if is_need:
            req, des = enc.need_skills(r)
            skills.append(enc.skills.ids(req))
            desired.append(enc.skills.ids(des))
            board.append(-1)
        else:
            skills.append(enc.skills.ids(enc.volunteer_skills(r)))
            desired.append([])
            board.append(_flag(r.board_experience))
        causes.append(enc.causes.ids(enc.causes_of(r)))
        region.append(enc.region_code(r.region))
        remote.append(_flag(r.remote_ok))
        hours.append(np.nan if r.hours_per_month is None else float(r.hours_per_month))
    return dict(
        skills=_binary(skills),
        desired=_binary(desired),
        causes=_binary(causes),
        region=np.asarray(region, dtype=np.int32),
        remote=np.asarray(remote, dtype=np.int8),
        hours=np.asarray(hours, dtype=np.float32),
        board=np.asarray(board, dtype=np.int8),
    )


def build_table(records, enc: Encoder, is_need: bool, rows: TextRows | None = None) -> Table:
    """A table from records (``rows`` may be passed when already transformed)."""
    records = list(records)
    ids = [r.id for r in records]
    if len(set(ids)) != len(ids):
        raise ValueError("record ids must be unique")
    if rows is None:
        rows = enc.text.transform([r.full_text() for r in records])
    bounds = np.linspace(0, len(ids), MAIN_BLOCKS + 1).astype(int)
    blocks = tuple(
        TextRows(rows.counts[a:b], rows.word_norm[a:b], rows.char_norm[a:b])
        for a, b in itertools.pairwise(bounds)
    )
    return Table(
        ids=ids,
        pos={i: n for n, i in enumerate(ids)},
        records={r.id: r for r in records},
        blocks=blocks,
        alive=np.ones(len(ids), dtype=bool),
        **_encode(records, enc, is_need),
    )


def without(table: Table, record_id: str) -> Table:
    """A table with one record removed (a no-op for unknown ids)."""
    if record_id not in table.pos:
        return table
    alive = table.alive.copy()
    alive[table.pos[record_id]] = False
    pos = dict(table.pos)
    del pos[record_id]
    records = dict(table.records)
    del records[record_id]
    return replace(table, alive=alive, pos=pos, records=records)


def with_record(table: Table, record, enc: Encoder, is_need: bool) -> Table:
    """A table with ``record`` added, or replacing the record of the same id."""
    table = without(table, record.id)
    row = enc.text.transform([record.full_text()])
    last = table.blocks[-1] if table.blocks else None
    if last is not None and len(table.blocks) > MAIN_BLOCKS and (
        last.counts.shape[0] < DELTA_BLOCK_ROWS
    ):
        merged = TextRows(
            sp.vstack([last.counts, row.counts], format="csr"),
            np.concatenate([last.word_norm, row.word_norm]),
            np.concatenate([last.char_norm, row.char_norm]),
        )
        blocks = (*table.blocks[:-1], merged)
    else:
        blocks = (*table.blocks, row)
    new = _encode([record], enc, is_need)
    stacked = {
        k: (sp.vstack([getattr(table, k), v], format="csr") if sp.issparse(v)
            else np.concatenate([getattr(table, k), v]))
        for k, v in new.items()
    }
    return replace(
        table,
        ids=[*table.ids, record.id],
        pos={**table.pos, record.id: table.n_rows},
        records={**table.records, record.id: record},
        blocks=blocks,
        alive=np.append(table.alive, True),
        **stacked,
    )
