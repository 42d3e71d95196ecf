"""Fitting the text model's vocabulary: word n-gram counts, their IDF, and the char map.

The character channel is factorised through the word vocabulary: ``char_map`` has one row
per word (its character n-grams inside the space-padded word), so ``counts @ char_map`` gives
a document's character counts without storing them.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import CountVectorizer

_EMPTY_VOCAB = {"\x00empty\x00": 0}


def fit_word_counts(
    texts: list[str], ngram_range: tuple[int, int], min_df: int
) -> tuple[sp.csr_matrix, CountVectorizer]:
    """Raw word n-gram counts of ``texts`` and the fitted vectoriser.

    Phrases (two or more words) seen in fewer than ``min_df`` texts are dropped; single words
    are all kept. Texts without a single token still get a (one-column, empty) vocabulary.
    """
    counts = None
    vec = CountVectorizer(ngram_range=ngram_range, dtype=np.float32)
    try:
        counts = vec.fit_transform(texts).tocsr() if texts else None
    except ValueError:  # no token anywhere
        counts = None
    if counts is not None and min_df > 1:
        counts, vec = _prune_phrases(counts, vec, min_df)
    if counts is None:
        vec = CountVectorizer(ngram_range=ngram_range, vocabulary=_EMPTY_VOCAB)
        vec.fit([""])
        counts = vec.transform(texts) if texts else sp.csr_matrix((0, 1), dtype=np.float32)
    counts = counts.tocsr()
    # sorted column indices, as ``transform`` gives: a row fitted and the same row added later
    # then sum in the same order and score exactly alike in float32
    counts.sort_indices()
    return counts, vec


def smooth_idf(df: np.ndarray, n_docs: int) -> np.ndarray:
    """scikit-learn's smoothed IDF, ``log((n + 1) / (df + 1)) + 1``, as float32."""
    n = max(n_docs, 1)
    return (np.log((n + 1) / (df + 1)) + 1).astype(np.float32)


def char_map(vocab: np.ndarray, ngram_range: tuple[int, int]) -> sp.csr_matrix:
    """Character n-gram counts of each single word of ``vocab`` (empty rows for phrases)."""
    padded = [f" {w} " if " " not in w else "" for w in vocab]
    cv = CountVectorizer(analyzer="char", ngram_range=ngram_range, lowercase=False,
                         dtype=np.float32)
    try:
        return cv.fit_transform(padded).tocsr()
    except ValueError:
        return sp.csr_matrix((len(vocab), 1), dtype=np.float32)


def char_document_frequency(counts: sp.csr_matrix, cmap: sp.csr_matrix) -> np.ndarray:
    """How many count rows hold each character n-gram (in blocks, to bound memory)."""
    cdf = np.zeros(cmap.shape[1], dtype=np.int64)
    for start in range(0, counts.shape[0], 5000):
        block = counts[start : start + 5000] @ cmap
        cdf += np.bincount(block.indices, minlength=block.shape[1])
    return cdf


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
