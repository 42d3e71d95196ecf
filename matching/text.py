"""Text relevance: TF-IDF over word 1-2 grams and character 3-5 grams, pivoted, standardised.

Documents are stored once as sublinear word counts. The character channel is factorised
through the vocabulary (``chars(doc) = counts(doc) @ char_map``), so queries against 100,000
profiles stay one sparse product per channel and the index never holds a per-document
character matrix.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import CountVectorizer

_EMPTY_VOCAB = {"\x00empty\x00": 0}


@dataclass(frozen=True)
class TextRows:
    """Transformed documents: sublinear counts and the two channel norms."""

    counts: sp.csr_matrix
    word_norm: np.ndarray
    char_norm: np.ndarray
    _inverse_pivots: dict = field(default_factory=dict, compare=False, repr=False)

    def inverse_pivots(self, exponent: float) -> tuple[np.ndarray, np.ndarray]:
        """``1 / norm**exponent`` for both channels (1 for empty rows), cached per exponent."""
        cached = self._inverse_pivots.get(exponent)
        if cached is None:
            cached = (
                (1.0 / _pivot(self.word_norm, exponent)).astype(np.float32),
                (1.0 / _pivot(self.char_norm, exponent)).astype(np.float32),
            )
            self._inverse_pivots[exponent] = cached
        return cached

    @property
    def has_text(self) -> np.ndarray:
        return self.word_norm > 0


def _sublinear(x: sp.csr_matrix) -> sp.csr_matrix:
    x = x.astype(np.float32)
    x.data = 1.0 + np.log(x.data)
    return x


def _unit(v: np.ndarray) -> np.ndarray:
    n = float(np.linalg.norm(v))
    return v / n if n > 0 else v


class TextRelevance:
    """Text relevance between a query document and many documents.

    Parameters
    ----------
    ngram_range : tuple of int, default=(1, 2)
        Word n-grams.
    char_ngram_range : tuple of int, default=(3, 5)
        Character n-grams inside space-padded words.
    pivot : float, default=0.6
        Exponent of the document-length normalisation; below 1 favours fuller documents,
        so a superset profile scores above its shortened copy.
    min_df : int, default=2
        Word n-grams of two or more words seen in fewer documents (volunteers and needs
        together) are dropped: a phrase in one document only can never match anything, and
        pruning bounds the vocabulary (and memory) on large, noisy corpora. Single words are
        all kept: their character n-grams still match other words.
    feedback_docs : int, default=2
        Pseudo-relevance feedback: the query is expanded with this many top documents.
    feedback_weight : float, default=0.3
        Weight of the feedback documents in the expanded query (0 turns feedback off).
    max_text_chars : int, default=100_000
        Longer texts are truncated (a 1 MB bio is read up to this length).
    random_state : int, default=0
        Seed for the sample of pairs used to standardise the channels.
    """

    def __init__(
        self,
        ngram_range: tuple[int, int] = (1, 2),
        char_ngram_range: tuple[int, int] = (3, 5),
        pivot: float = 0.6,
        min_df: int = 2,
        feedback_docs: int = 2,
        feedback_weight: float = 0.3,
        max_text_chars: int = 100_000,
        random_state: int = 0,
    ) -> None:
        self.ngram_range = ngram_range
        self.char_ngram_range = char_ngram_range
        self.pivot = pivot
        self.min_df = min_df
        self.feedback_docs = feedback_docs
        self.feedback_weight = feedback_weight
        self.max_text_chars = max_text_chars
        self.random_state = random_state

    def fit(self, docs: list[str], queries: list[str]) -> TextRelevance:
        """Learn vocabulary, IDF and channel scales from both sides of the market."""
        self.fit_transform(docs, queries)
        return self

    def fit_transform(self, docs: list[str], queries: list[str]) -> tuple[TextRows, TextRows]:
        """Fit, and return the stored rows of ``docs`` and of ``queries``."""
        texts = [t[: self.max_text_chars] for t in (*docs, *queries)]
        counts = None
        vec = CountVectorizer(ngram_range=self.ngram_range, dtype=np.float32)
        try:
            counts = vec.fit_transform(texts).tocsr() if texts else None
        except ValueError:  # no token anywhere
            counts = None
        if counts is not None and self.min_df > 1:
            counts, vec = _prune_phrases(counts, vec, self.min_df)
        if counts is None:
            vec = CountVectorizer(ngram_range=self.ngram_range, vocabulary=_EMPTY_VOCAB)
            vec.fit([""])
            counts = vec.transform(texts) if texts else sp.csr_matrix((0, 1), dtype=np.float32)
        self.vectorizer_ = vec
        counts = _sublinear(counts.tocsr())
        n = max(counts.shape[0], 1)
        df = np.bincount(counts.indices, minlength=counts.shape[1])
        self.idf_ = (np.log((n + 1) / (df + 1)) + 1).astype(np.float32)
        self.char_map_ = self._char_map(vec.get_feature_names_out())
        cdf = np.zeros(self.char_map_.shape[1], dtype=np.int64)
        for start in range(0, counts.shape[0], 5000):
            block = counts[start : start + 5000] @ self.char_map_
            cdf += np.bincount(block.indices, minlength=block.shape[1])
        self.char_idf_ = (np.log((n + 1) / (cdf + 1)) + 1).astype(np.float32)
        self._fit_scales(counts[: len(docs)], counts[len(docs) :])
        return self.rows_from_counts(counts[: len(docs)]), self.rows_from_counts(
            counts[len(docs) :]
        )

    def _char_map(self, vocab: np.ndarray) -> sp.csr_matrix:
        padded = [f" {w} " if " " not in w else "" for w in vocab]
        cv = CountVectorizer(
            analyzer="char", ngram_range=self.char_ngram_range, lowercase=False, dtype=np.float32
        )
        try:
            return cv.fit_transform(padded).tocsr()
        except ValueError:
            return sp.csr_matrix((len(vocab), 1), dtype=np.float32)

    def _fit_scales(self, docs: sp.csr_matrix, queries: sp.csr_matrix) -> None:
        self.scale_ = np.array([0.0, 1.0, 0.0, 1.0], dtype=np.float64)
        self.feedback_scale_ = self.scale_
        if docs.shape[0] < 2 or queries.shape[0] < 1:
            return
        rng = np.random.default_rng(self.random_state)
        qi = rng.choice(queries.shape[0], size=min(50, queries.shape[0]), replace=False)
        di = rng.choice(docs.shape[0], size=min(4000, docs.shape[0]), replace=False)
        rows = self.rows_from_counts(docs[np.sort(di)])
        sample = rows.counts
        first, second = ([], []), ([], [])
        for q in qi:
            w, c = self.channel_scores(rows, self.query_vectors(queries[q]))
            first[0].append(w)
            first[1].append(c)
            top = np.argsort(-self.combine(w, c, self.scale_))[: self.feedback_docs]
            expanded = self.query_vectors(queries[q], feedback=sample[top])
            w, c = self.channel_scores(rows, expanded)
            second[0].append(w)
            second[1].append(c)
        self.scale_ = _scale(first)
        self.feedback_scale_ = _scale(second)

    def counts(self, texts: list[str]) -> sp.csr_matrix:
        """Sublinear word-count rows of texts (unseen words are ignored)."""
        x = self.vectorizer_.transform([t[: self.max_text_chars] for t in texts])
        return _sublinear(x.tocsr())

    def rows_from_counts(self, counts: sp.csr_matrix) -> TextRows:
        """Attach channel norms to count rows."""
        word_norm = np.sqrt(counts.multiply(counts) @ (self.idf_**2)).astype(np.float32)
        char_norm = np.empty(counts.shape[0], dtype=np.float32)
        for start in range(0, counts.shape[0], 5000):
            block = (counts[start : start + 5000] @ self.char_map_).multiply(self.char_idf_)
            char_norm[start : start + 5000] = np.sqrt(block.multiply(block).sum(axis=1)).A1
        return TextRows(sp.csr_matrix(counts, dtype=np.float32), word_norm, char_norm)

    def transform(self, texts: list[str]) -> TextRows:
        """Transform texts to stored rows."""
        return self.rows_from_counts(self.counts(texts))

    def unit_vectors(self, counts: sp.csr_matrix) -> tuple[np.ndarray, np.ndarray]:
        """Dense unit word- and char-space vectors of the (summed) count rows."""
        row = sp.csr_matrix(counts.sum(axis=0)) if counts.shape[0] != 1 else counts
        word = row.toarray().ravel() * self.idf_
        char = (row @ self.char_map_).toarray().ravel() * self.char_idf_
        return _unit(word), _unit(char)

    def query_vectors(
        self, counts: sp.csr_matrix, feedback: sp.csr_matrix | None = None
    ) -> np.ndarray:
        """A (vocabulary, 2) array ``[u_word, u_char]`` so that ``counts @ u`` scores both."""
        qw, qc = self.unit_vectors(counts)
        if feedback is not None and feedback.shape[0] and self.feedback_weight > 0:
            fw = np.zeros_like(qw)
            fc = np.zeros_like(qc)
            for i in range(feedback.shape[0]):
                w, c = self.unit_vectors(feedback[i])
                fw += w
                fc += c
            qw = _unit(qw + self.feedback_weight * _unit(fw))
            qc = _unit(qc + self.feedback_weight * _unit(fc))
        u_char = np.asarray(self.char_map_ @ (qc * self.char_idf_)).ravel()
        return np.column_stack([qw * self.idf_, u_char]).astype(np.float32)

    def channel_scores(self, rows: TextRows, query: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Raw pivoted word and char scores of every row (one pass over the rows)."""
        both = rows.counts @ query
        inv_word, inv_char = rows.inverse_pivots(self.pivot)
        return both[:, 0] * inv_word, both[:, 1] * inv_char

    def combine(self, word: np.ndarray, char: np.ndarray, scale=None) -> np.ndarray:
        """Standardised sum of the channels (about 0 for an unrelated pair)."""
        mw, sw, mc, sc = (float(x) for x in (self.scale_ if scale is None else scale))
        out = np.asarray(word, dtype=np.float32) * (1.0 / sw)
        out += np.asarray(char, dtype=np.float32) * (1.0 / sc)
        out -= mw / sw + mc / sc
        return out


def _prune_phrases(
    counts: sp.csr_matrix, vec: CountVectorizer, min_df: int
) -> tuple[sp.csr_matrix, CountVectorizer]:
    """Drop multi-word features with document frequency below ``min_df``."""
    names = vec.get_feature_names_out()
    df = np.bincount(counts.indices, minlength=counts.shape[1])
    keep = np.nonzero((df >= min_df) | (np.char.find(names.astype(str), " ") < 0))[0]
    if len(keep) == counts.shape[1]:
        return counts, vec
    vec.vocabulary_ = {str(names[j]): i for i, j in enumerate(keep)}
    return counts[:, keep].tocsr(), vec


def _scale(scores: tuple[list, list]) -> np.ndarray:
    w, c = np.concatenate(scores[0]), np.concatenate(scores[1])
    return np.array([w.mean(), w.std() or 1.0, c.mean(), c.std() or 1.0], dtype=np.float64)


def _pivot(norm: np.ndarray, exponent: float) -> np.ndarray:
    return np.where(norm > 0, norm, 1.0) ** exponent


def text_value(z: np.ndarray) -> np.ndarray:
    """Map a standardised text score to [0, 1] (monotone, so rankings are unchanged)."""
    z = np.asarray(z, dtype=np.float32)
    return 1.0 / (1.0 + np.exp((6.0 - z) * (1.0 / 3.0)))
