"""Text relevance: TF-IDF over word 1-2 grams and character 3-5 grams, pivoted, standardised.

Documents are stored once as sublinear word counts. The character channel is factorised
through the vocabulary (``chars(doc) = counts(doc) @ char_map``), so queries against 100,000
profiles stay one sparse product per channel and the index never holds a per-document
character matrix.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from matching.sections import skills_section
from matching.text_rows import PartRows, TextRows, head_text, sublinear
from matching.text_vocab import char_document_frequency, char_map, fit_word_counts, smooth_idf


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
    feedback_decay : float, default=1.0
        The i-th feedback document (0-based, best first) counts ``feedback_decay**i``.
    short_feedback : tuple of float, default=(3.0, 0.7)
        ``(feedback_weight, feedback_decay)`` for short queries (at most ``head_query_words``
        words): a title says little, so it leans on its best documents much more.
    head_weight : float, default=1.0
        Weight of the head channel: the character-gram cosine between the query and each
        document's head (first line or sentence: a headline, a title, a label), standardised
        like the other channels. It is for short, title-like queries: the weight is scaled
        by ``min(1, head_query_words / words in the query)``.
    head_query_words : int, default=10
        Queries up to this many words get the full head weight.
    skills_feedback_weight : float, default=32.0
        Pseudo-relevance feedback on skills sections (see :mod:`matching.sections`): once the
        best rows are re-scored, each adds this weight (in standardised units, where a strong
        match scores 20-40) times the character-gram cosine between its skills section and
        that of the best row. Candidates whose listed skills resemble the best candidate's
        move up; rows without a skills section, or a best row without one, get nothing.
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
        feedback_decay: float = 1.0,
        short_feedback: tuple[float, float] = (3.0, 0.7),
        head_weight: float = 1.0,
        head_query_words: int = 10,
        skills_feedback_weight: float = 32.0,
        max_text_chars: int = 100_000,
        random_state: int = 0,
    ) -> None:
        self.ngram_range = ngram_range
        self.char_ngram_range = char_ngram_range
        self.pivot = pivot
        self.min_df = min_df
        self.feedback_docs = feedback_docs
        self.feedback_weight = feedback_weight
        self.feedback_decay = feedback_decay
        self.short_feedback = short_feedback
        self.head_weight = head_weight
        self.head_query_words = head_query_words
        self.skills_feedback_weight = skills_feedback_weight
        self.max_text_chars = max_text_chars
        self.random_state = random_state

    def fit(self, docs: list[str], queries: list[str]) -> TextRelevance:
        """Learn vocabulary, IDF and channel scales from both sides of the market."""
        self.fit_transform(docs, queries)
        return self

    def fit_transform(self, docs: list[str], queries: list[str]) -> tuple[TextRows, TextRows]:
        """Fit, and return the stored rows of ``docs`` and of ``queries``."""
        texts = [t[: self.max_text_chars] for t in (*docs, *queries)]
        counts, vec = fit_word_counts(texts, self.ngram_range, self.min_df)
        self.vectorizer_ = vec
        vocab = vec.get_feature_names_out().astype(str)
        self.unigram_ = np.char.find(vocab, " ") < 0
        counts = sublinear(counts)
        df = np.bincount(counts.indices, minlength=counts.shape[1])
        self.idf_ = smooth_idf(df, counts.shape[0])
        self.char_map_ = char_map(vocab, self.char_ngram_range)
        self.char_idf_ = smooth_idf(char_document_frequency(counts, self.char_map_),
                                    counts.shape[0])
        rows = self.rows_from_counts(counts, self.head_counts(texts), self.skills_counts(texts))
        docs_rows, query_rows = rows[: len(docs)], rows[len(docs) :]
        self._fit_scales(docs_rows, query_rows.counts)
        return docs_rows, query_rows

    def _fit_scales(self, docs: TextRows, queries: sp.csr_matrix) -> None:
        self.scale_ = np.array([0.0, 1.0, 0.0, 1.0], dtype=np.float64)
        self.feedback_scale_ = self.scale_
        self.head_scale_ = np.array([0.0, 1.0], dtype=np.float64)
        n_docs = docs.counts.shape[0]
        if n_docs < 2 or queries.shape[0] < 1:
            return
        rng = np.random.default_rng(self.random_state)
        qi = rng.choice(queries.shape[0], size=min(50, queries.shape[0]), replace=False)
        rows = docs[np.sort(rng.choice(n_docs, size=min(4000, n_docs), replace=False))]
        sample = rows.counts
        first, second, head = ([], []), ([], []), []
        for q in qi:
            query = self.query_vectors(queries[q])
            w, c = self.channel_scores(rows, query)
            first[0].append(w)
            first[1].append(c)
            head.append(self.head_scores(rows, query))
            top = np.argsort(-self.combine(w, c, self.scale_))[: self.feedback_docs]
            expanded = self.query_vectors(queries[q], feedback=sample[top])
            w, c = self.channel_scores(rows, expanded)
            second[0].append(w)
            second[1].append(c)
        self.scale_ = _scale(first)
        self.feedback_scale_ = _scale(second)
        h = np.concatenate(head)
        self.head_scale_ = np.array([h.mean(), h.std() or 1.0], dtype=np.float64)

    def counts(self, texts: list[str]) -> sp.csr_matrix:
        """Sublinear word-count rows of texts (unseen words are ignored)."""
        x = self.vectorizer_.transform([t[: self.max_text_chars] for t in texts])
        return sublinear(x.tocsr())

    def head_counts(self, texts: list[str]) -> sp.csr_matrix:
        """Sublinear word-count rows of the texts' heads (see :func:`head_text`)."""
        return self.counts([head_text(t) for t in texts])

    def query_words(self, counts: sp.csr_matrix) -> float:
        """How many known words a (single-row) query holds, repeats included."""
        row = counts if counts.shape[0] == 1 else sp.csr_matrix(counts.sum(axis=0))
        keep = self.unigram_[row.indices]
        return float(np.exp(row.data[keep] - 1.0).sum())

    def head_weight_for(self, counts: sp.csr_matrix) -> float:
        """The head channel's weight for a query: full up to ``head_query_words`` words."""
        if self.head_weight <= 0:
            return 0.0
        n = self.query_words(counts)
        return self.head_weight * min(1.0, self.head_query_words / max(n, 1.0))

    def feedback_for(self, counts: sp.csr_matrix) -> tuple[float, float]:
        """``(weight, decay)`` of pseudo-relevance feedback for a query (see ``short_feedback``)."""
        if self.feedback_weight > 0 and self.query_words(counts) <= self.head_query_words:
            return self.short_feedback
        return self.feedback_weight, self.feedback_decay

    def skills_counts(self, texts: list[str]) -> sp.csr_matrix:
        """Sublinear word-count rows of the texts' skills sections (empty rows without one)."""
        return self.counts([skills_section(t[: self.max_text_chars]) for t in texts])

    def char_norms(self, counts: sp.csr_matrix) -> np.ndarray:
        """Character-channel norms of count rows, computed in blocks to bound memory."""
        out = np.empty(counts.shape[0], dtype=np.float32)
        for start in range(0, counts.shape[0], 5000):
            block = (counts[start : start + 5000] @ self.char_map_).multiply(self.char_idf_)
            out[start : start + 5000] = np.sqrt(block.multiply(block).sum(axis=1)).A1
        return out

    def rows_from_counts(
        self,
        counts: sp.csr_matrix,
        heads: sp.csr_matrix | None = None,
        skills: sp.csr_matrix | None = None,
    ) -> TextRows:
        """Attach channel norms to count rows (and to the head and skills parts, when given)."""
        counts = sp.csr_matrix(counts, dtype=np.float32)
        word_norm = np.sqrt(counts.multiply(counts) @ (self.idf_**2)).astype(np.float32)
        parts = [
            None if p is None else PartRows(sp.csr_matrix(p, dtype=np.float32), self.char_norms(p))
            for p in (heads, skills)
        ]
        return TextRows(counts, word_norm, self.char_norms(counts), *parts, self.pivot)

    def transform(self, texts: list[str]) -> TextRows:
        """Transform texts to stored rows."""
        return self.rows_from_counts(
            self.counts(texts), self.head_counts(texts), self.skills_counts(texts)
        )

    def unit_vectors(self, counts: sp.csr_matrix) -> tuple[np.ndarray, np.ndarray]:
        """Dense unit word- and char-space vectors of the (summed) count rows."""
        row = sp.csr_matrix(counts.sum(axis=0)) if counts.shape[0] != 1 else counts
        word = row.toarray().ravel() * self.idf_
        char = (row @ self.char_map_).toarray().ravel() * self.char_idf_
        return _unit(word), _unit(char)

    def query_vectors(
        self, counts: sp.csr_matrix, feedback: sp.csr_matrix | None = None
    ) -> np.ndarray:
        """A (vocabulary, 2) column-major array ``[u_word, u_char]``: ``counts @ u[:, j]`` scores
        channel j."""
        qw, qc = self.unit_vectors(counts)
        weight, decay = self.feedback_for(counts)
        if feedback is not None and feedback.shape[0] and weight > 0:
            fw = np.zeros_like(qw)
            fc = np.zeros_like(qc)
            for i in range(feedback.shape[0]):
                w, c = self.unit_vectors(feedback[i])
                fw += decay**i * w
                fc += decay**i * c
            qw = _unit(qw + weight * _unit(fw))
            qc = _unit(qc + weight * _unit(fc))
        u_char = np.asarray(self.char_map_ @ (qc * self.char_idf_)).ravel()
        # column-major, so each column is a contiguous vector: two single-vector products
        # are about a third faster than one two-column product (scipy's csr_matvecs)
        out = np.empty((len(qw), 2), dtype=np.float32, order="F")
        out[:, 0] = qw * self.idf_
        out[:, 1] = u_char
        return out

    def channel_scores(self, rows: TextRows, query: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Raw pivoted word and char scores of every row."""
        inv_word, inv_char = rows.inverse_pivots(self.pivot)
        word = rows.counts @ query[:, 0]
        char = rows.counts @ query[:, 1]
        return word * inv_word, char * inv_char

    def head_scores(self, rows: TextRows, query: np.ndarray) -> np.ndarray:
        """Character-gram cosine of the query and each row's head (0 without a head)."""
        if rows.head is None or rows.head.counts.shape[0] == 0:
            return np.zeros(rows.counts.shape[0], dtype=np.float32)
        return rows.head.cosine(query[:, 1])

    def skills_feedback(self, skills: PartRows, best: int) -> np.ndarray:
        """Weighted character cosine of each row's skills section with row ``best``'s.

        Zero for every row when ``best`` lists no skills (or the feature is off). The best
        row's character vector is pulled back through the char map, so the dot products are
        one product over the given rows' word counts, like every other channel.
        """
        n = skills.counts.shape[0]
        if self.skills_feedback_weight <= 0 or skills.norm[best] <= 0:
            return np.zeros(n, dtype=np.float32)
        chars = (skills.counts[best] @ self.char_map_).toarray().ravel()
        unit = self.char_map_ @ (chars * self.char_idf_**2 / skills.norm[best])
        return (np.float32(self.skills_feedback_weight) * skills.cosine(unit)).astype(np.float32)

    def head_z(self, head: np.ndarray) -> np.ndarray:
        """Standardised head scores."""
        mean, std = (float(x) for x in self.head_scale_)
        return (np.asarray(head, dtype=np.float32) - np.float32(mean)) * np.float32(1.0 / std)

    def combine(self, word: np.ndarray, char: np.ndarray, scale=None) -> np.ndarray:
        """Standardised sum of the channels (about 0 for an unrelated pair)."""
        mw, sw, mc, sc = (float(x) for x in (self.scale_ if scale is None else scale))
        out = np.asarray(word, dtype=np.float32) * (1.0 / sw)
        out += np.asarray(char, dtype=np.float32) * (1.0 / sc)
        out -= mw / sw + mc / sc
        return out


def _scale(scores: tuple[list, list]) -> np.ndarray:
    w, c = np.concatenate(scores[0]), np.concatenate(scores[1])
    return np.array([w.mean(), w.std() or 1.0, c.mean(), c.std() or 1.0], dtype=np.float64)


def text_value(z: np.ndarray) -> np.ndarray:
    """Map a standardised text score to (0, 1): 0.5 at z = 6, strictly increasing.

    A softsign, not a logistic: the logistic rounds every strong match (z above about 55) to
    exactly 1.0 in float32, which turns the top of a ranking into ties broken by row order.
    """
    s = (np.asarray(z, dtype=np.float32) - np.float32(6.0)) * np.float32(1.0 / 3.0)
    return np.float32(0.5) + np.float32(0.5) * s / (np.float32(1.0) + np.abs(s))
