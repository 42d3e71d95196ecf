"""Stored text rows: sublinear word counts, channel norms, and the counts of two document parts.

The parts are a document's head (its first line or sentence: a headline, a title, an
occupation's label) and its skills section (see :mod:`matching.sections`). Each is kept as
word counts through the same vocabulary plus its character-channel norm, so the ranker can
score a part with the same factorised character vector as the whole text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp

_HEAD_END = re.compile(r"(?<=[.!?])\s|\n")


def head_text(text: str, max_chars: int = 200) -> str:
    """The head of a text: its first non-empty line or sentence, at most ``max_chars``."""
    text = text.strip()
    match = _HEAD_END.search(text)
    return (text[: match.start()] if match else text)[:max_chars]


def sublinear(x: sp.spmatrix) -> sp.csr_matrix:
    """``1 + log(count)`` for every stored count."""
    x = sp.csr_matrix(x, dtype=np.float32)
    x.data = 1.0 + np.log(x.data)
    return x


def pivot(norm: np.ndarray, exponent: float) -> np.ndarray:
    """``norm ** exponent``, with 1 for empty rows."""
    return np.where(norm > 0, norm, 1.0) ** exponent


@dataclass(frozen=True)
class PartRows:
    """Word counts of one part of every document, and that part's character-channel norm."""

    counts: sp.csr_matrix
    norm: np.ndarray

    def __getitem__(self, rows) -> PartRows:
        return PartRows(self.counts[rows], self.norm[rows])

    def stack(self, other: PartRows) -> PartRows:
        return PartRows(
            sp.vstack([self.counts, other.counts], format="csr"),
            np.concatenate([self.norm, other.norm]),
        )

    def cosine(self, u_char: np.ndarray) -> np.ndarray:
        """Character-channel cosine with a unit query vector (0 for rows without the part)."""
        norm = np.where(self.norm > 0, self.norm, np.float32(1.0))
        return (self.counts @ u_char) / norm


@dataclass(frozen=True)
class TextRows:
    """Transformed documents: sublinear counts, the two channel norms, and the parts.

    The inverse pivots (``1 / norm**exponent``) are computed once, when the rows are made, so
    reading rows never writes to them.
    """

    counts: sp.csr_matrix
    word_norm: np.ndarray
    char_norm: np.ndarray
    head: PartRows | None = None
    skills: PartRows | None = None
    exponent: float = 0.6
    inv_word: np.ndarray = field(init=False, compare=False, repr=False)
    inv_char: np.ndarray = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        inv_word, inv_char = _inverse_pivots(self.word_norm, self.char_norm, self.exponent)
        object.__setattr__(self, "inv_word", inv_word)
        object.__setattr__(self, "inv_char", inv_char)

    def inverse_pivots(self, exponent: float) -> tuple[np.ndarray, np.ndarray]:
        """``1 / norm**exponent`` for both channels (1 for empty rows)."""
        if exponent == self.exponent:
            return self.inv_word, self.inv_char
        return _inverse_pivots(self.word_norm, self.char_norm, exponent)

    @property
    def has_text(self) -> np.ndarray:
        return self.word_norm > 0

    def __getitem__(self, rows) -> TextRows:
        """The same rows restricted to a slice or an array of row numbers."""
        return TextRows(
            self.counts[rows],
            self.word_norm[rows],
            self.char_norm[rows],
            None if self.head is None else self.head[rows],
            None if self.skills is None else self.skills[rows],
            self.exponent,
        )

    def stack(self, other: TextRows) -> TextRows:
        """These rows followed by ``other``'s (a part is kept only if both have it)."""
        return TextRows(
            sp.vstack([self.counts, other.counts], format="csr"),
            np.concatenate([self.word_norm, other.word_norm]),
            np.concatenate([self.char_norm, other.char_norm]),
            _stack_parts(self.head, other.head),
            _stack_parts(self.skills, other.skills),
            self.exponent,
        )


def _inverse_pivots(word_norm, char_norm, exponent: float) -> tuple[np.ndarray, np.ndarray]:
    return (
        (1.0 / pivot(word_norm, exponent)).astype(np.float32),
        (1.0 / pivot(char_norm, exponent)).astype(np.float32),
    )


def _stack_parts(a: PartRows | None, b: PartRows | None) -> PartRows | None:
    return None if a is None or b is None else a.stack(b)
