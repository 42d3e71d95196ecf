"""Skill vocabulary: normalise synonyms and aliases, and find skills named in free text."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from matching.default_skills import DEFAULT_SKILLS

_WORD = re.compile(r"[\w&+#/]+", re.UNICODE)
_MAX_PHRASE = 6


def _tokens(text: str) -> list[str]:
    return [t.strip("/") for t in _WORD.findall(text) if t.strip("/")]


def normalise_term(term: str) -> str:
    """Lower-case a term, drop punctuation, and strip a plural ``s``."""
    words = [w.lower() for w in _tokens(term)]
    if words and len(words[-1]) > 3 and words[-1].endswith("s") and not words[-1].endswith("ss"):
        words[-1] = words[-1][:-1]
    return " ".join(words)


class SkillVocabulary:
    """Map skill names, aliases and free text to canonical skill slugs.

    Parameters
    ----------
    entries : sequence of (slug, name, aliases)
        The taxonomy. ``aliases`` is an iterable of strings. An alias written entirely in
        capitals and at most five characters long (``"SOC"``) is matched in free text only
        when it is capitalised there, so short acronyms do not fire on ordinary words.

    Examples
    --------
    >>> vocab = SkillVocabulary.default()
    >>> sorted(vocab.find_in_text("I run our SOC"))
    ['security-operations']
    """

    def __init__(self, entries: Sequence[tuple[str, str, Iterable[str]]]) -> None:
        self.entries = list(entries)
        self._names: dict[str, str] = {}
        self._lookup: dict[str, str] = {}
        self._acronyms: dict[str, str] = {}
        for slug, name, aliases in self.entries:
            if not slug:
                raise ValueError("a skill slug must be a non-empty string")
            self._names[slug] = name
            for term in (slug.replace("-", " "), name, *aliases):
                if term.isupper() and len(term) <= 5 and " " not in term:
                    self._acronyms.setdefault(term, slug)
                key = normalise_term(term)
                if key:
                    self._lookup.setdefault(key, slug)
        self._first_words = {key.split()[0] for key in self._lookup}
        spelled = {
            normalise_term(t)
            for slug, name, aliases in self.entries
            for t in (slug.replace("-", " "), name, *aliases)
            if not (t.isupper() and len(t) <= 5)
        }
        self._acronym_keys = {normalise_term(a) for a in self._acronyms} - spelled

    @classmethod
    def default(cls) -> SkillVocabulary:
        """The built-in vocabulary of about 60 digital and classic trustee skills."""
        return cls(DEFAULT_SKILLS)

    def name(self, slug: str) -> str:
        """Display name of a slug; unknown skills keep the caller's words."""
        if slug in self._names:
            return self._names[slug]
        return slug.removeprefix("other:")

    def normalise(self, term: str) -> str | None:
        """Canonical slug of a skill term, ``other:<term>`` if unknown, None if empty."""
        if term.strip() in self._acronyms:
            return self._acronyms[term.strip()]
        key = normalise_term(term)
        if not key:
            return None
        return self._lookup.get(key, f"other:{key}")

    def normalise_all(self, terms: Iterable[str]) -> frozenset[str]:
        """Slugs of several terms (empty and blank terms dropped)."""
        return frozenset(s for s in (self.normalise(t) for t in terms) if s is not None)

    def _starts_phrase(self, word: str) -> bool:
        first = self._first_words
        return word in first or (
            word.endswith("s") and word[:-1] in first and normalise_term(word) in first
        )

    def find_in_text(self, text: str) -> frozenset[str]:
        """Skills named in free text, matched on whole words and phrases."""
        raw = _tokens(text)
        words = [w.lower() for w in raw]
        found: set[str] = set()
        i = 0
        while i < len(words):
            step = 1
            if raw[i] in self._acronyms:
                found.add(self._acronyms[raw[i]])
            elif self._starts_phrase(words[i]):
                for n in range(min(_MAX_PHRASE, len(words) - i), 0, -1):
                    key = normalise_term(" ".join(words[i : i + n]))
                    slug = self._lookup.get(key)
                    if slug is not None and not (n == 1 and key in self._acronym_keys):
                        found.add(slug)
                        step = n
                        break
            i += step
        return frozenset(found)
