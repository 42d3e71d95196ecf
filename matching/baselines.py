"""Reference rankers printed beside ours, as in ``shared/data/README.md``.

- TF-IDF cosine with scikit-learn's ``TfidfVectorizer`` (``sublinear_tf=True``, otherwise
  defaults), fitted on the volunteers and needs of the file: word 1-2 grams, char_wb 3-5
  grams, and the mean of the two. Sublinear TF is what reproduces the README's figures (rjdb
  test: word 0.952, char 0.959); plain raw-count defaults score lower (0.940, 0.931) and would
  flatter the ranker;
- Okapi BM25 over word unigrams (k1=1.2, b=0.75).
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer

_VARIANTS = {
    "word": {"ngram_range": (1, 2)},
    "char": {"analyzer": "char_wb", "ngram_range": (3, 5)},
}


class TfidfCosine:
    """TF-IDF cosine similarity: ``"word"``, ``"char"`` or ``"mean"`` of the two.

    Parameters
    ----------
    variant : {"word", "char", "mean"}, default="mean"
    """

    def __init__(self, variant: str = "mean") -> None:
        self.variant = variant

    def fit(self, docs: list[str], queries: list[str]) -> TfidfCosine:
        """Fit the vectoriser(s) on documents and queries, and store the document rows."""
        if self.variant not in (*_VARIANTS, "mean"):
            raise ValueError(f"unknown TF-IDF variant {self.variant!r}")
        names = list(_VARIANTS) if self.variant == "mean" else [self.variant]
        texts = docs + queries
        self.vectorizers_ = [
            TfidfVectorizer(dtype=np.float32, sublinear_tf=True, **_VARIANTS[n]).fit(texts)
            for n in names
        ]
        self.docs_ = [v.transform(docs).T.tocsr() for v in self.vectorizers_]
        return self

    def score(self, query: str) -> np.ndarray:
        """Cosine similarity of the query to every document (mean over the channels)."""
        parts = [
            (v.transform([query]) @ d).toarray().ravel()
            for v, d in zip(self.vectorizers_, self.docs_, strict=True)
        ]
        return np.mean(parts, axis=0)


class BM25:
    """Okapi BM25 over word unigrams.

    Parameters
    ----------
    k1 : float, default=1.2
    b : float, default=0.75
    """

    def __init__(self, k1: float = 1.2, b: float = 0.75) -> None:
        self.k1 = k1
        self.b = b

    def fit(self, docs: list[str], queries: list[str]) -> BM25:
        """Index the documents (the vocabulary also covers the queries' words)."""
        self.vec_ = CountVectorizer(dtype=np.float32).fit(docs + queries)
        x = self.vec_.transform(docs).tocoo()
        n = max(x.shape[0], 1)
        df = np.bincount(x.col, minlength=x.shape[1])
        idf = np.log(1 + (n - df + 0.5) / (df + 0.5)).astype(np.float32)
        length = np.bincount(x.row, weights=x.data, minlength=x.shape[0])
        avg = length.mean() if len(length) else 1.0
        denom = x.data + self.k1 * (1 - self.b + self.b * length[x.row] / max(avg, 1e-9))
        data = x.data * (self.k1 + 1) / denom * idf[x.col]
        self.weights_ = sp.csr_matrix((data, (x.col, x.row)), shape=(x.shape[1], x.shape[0]))
        return self

    def score(self, query: str) -> np.ndarray:
        """BM25 score of every document (each query term counted as often as it occurs)."""
        q = self.vec_.transform([query])
        return (q @ self.weights_).toarray().ravel()
