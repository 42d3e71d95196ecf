"""Reference rankers printed beside ours: TF-IDF word+char cosine, and Okapi BM25."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer


class TfidfCosine:
    """Mean of word 1-2 gram and char_wb 3-5 gram TF-IDF cosine similarities."""

    def fit(self, docs: list[str], queries: list[str]) -> TfidfCosine:
        texts = docs + queries
        self.word_ = TfidfVectorizer(ngram_range=(1, 2), dtype=np.float32).fit(texts)
        self.char_ = TfidfVectorizer(
            analyzer="char_wb", ngram_range=(3, 5), dtype=np.float32
        ).fit(texts)
        self.docs_ = (self.word_.transform(docs).T.tocsr(), self.char_.transform(docs).T.tocsr())
        return self

    def score(self, query: str) -> np.ndarray:
        w = (self.word_.transform([query]) @ self.docs_[0]).toarray().ravel()
        c = (self.char_.transform([query]) @ self.docs_[1]).toarray().ravel()
        return (w + c) / 2


class BM25:
    """Okapi BM25 over word unigrams (k1=1.2, b=0.75)."""

    def __init__(self, k1: float = 1.2, b: float = 0.75) -> None:
        self.k1 = k1
        self.b = b

    def fit(self, docs: list[str], queries: list[str]) -> BM25:
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
        q = self.vec_.transform([query])
        q.data[:] = 1.0
        return (q @ self.weights_).toarray().ravel()
