"""Skill vocabulary: normalise synonyms and aliases, and find skills named in free text."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

from matching.default_causes import DEFAULT_CAUSES
from matching.default_skills import DEFAULT_RELATED, DEFAULT_SKILLS

_WORD = re.compile(r"[\w&+#/]+", re.UNICODE)

# Single words that name a skill when someone ticks or lists them ("Risk", "Finance") but in a
# sentence are as likely to mean something else ("young people at risk", "a change of career").
# They are never taken as a mention of a skill in free text.
EVERYDAY = frozenset(
    """
    people change risk security policy strategy strategic leadership operations
    operational brand branding talent sales health product social chair press evaluation
    reporting automation payments compliance regulation regulatory contracts collaboration
    participation culture equity inclusion diversity resilience commercial trading
    clinical training estates buildings facilities tax volunteering wellbeing leisure
    justice council grants website websites developer cloud networking environmental
    conservation climate sustainability education schools teaching housing arts heritage
    sport sports lean law finance trustee trusteeship governance partnerships marketing
    communications campaigns campaigning advocacy recruitment analytics dashboards
    statistics coding programming infrastructure transformation modernisation
    modernization digitisation digitalisation evaluation outcomes bids tender tenders
    mergers consortia theatre museums galleries prisons policing probation rehabilitation
    psychology counselling nursing teacher payroll forecasting budgeting reserves
    investments endowment purchasing homelessness insight insights assurance
    """.split()  # noqa: SIM905 (a word list reads better as text)
)


def _tokens(text: str) -> list[str]:
    return [t.strip("/") for t in _WORD.findall(text) if t.strip("/")]


def _singular(word: str) -> str:
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


def _words(tokens: list[str]) -> list[str]:
    return ["and" if w == "&" else w.lower() for w in tokens]


def normalise_term(term: str) -> str:
    """Lower-case a term, drop punctuation, "&" as "and", and strip a plural ``s``."""
    words = _words(_tokens(term))
    if words:
        words[-1] = _singular(words[-1])
    return " ".join(words)


def _everyday(word: str) -> bool:
    return word.strip().lower() in EVERYDAY or normalise_term(word) in EVERYDAY


def _is_acronym(term: str) -> bool:
    return term.isupper() and len(term) <= 5 and " " not in term


def _is_named(term: str) -> bool:
    """A single word written with capitals: a product or a title ("Salesforce", "vCISO")."""
    return " " not in term.strip() and term != term.lower() and not _is_acronym(term)


class SkillVocabulary:
    """Map skill names, aliases and free text to canonical skill slugs.

    Parameters
    ----------
    entries : sequence of (slug, name, aliases)
        The taxonomy. ``aliases`` is an iterable of strings.
    related : mapping of slug to slugs, optional
        Skills close enough that having one is partial evidence of the others (a data
        scientist can analyse data). ``matching.default_skills.DEFAULT_RELATED`` suits any
        taxonomy with the product's slugs; pairs naming an unknown slug are ignored.

    Notes
    -----
    A ticked skill or a need's listed skill is read leniently: its name, any alias, or, for
    longer words ("Salesforce admin", "ITT / tendering"), every skill named inside it. Free
    text is read strictly, so that ordinary words do not pass for skills: an alias written
    in capitals and at most five letters long ("SOC", "DPIA") must be capitalised there
    (a plural "DPIAs" counts); a single word written with capitals ("Salesforce", "vCISO")
    must have a capital there; a single word in ``EVERYDAY`` ("risk", "people") never counts
    alone; phrases ("risk management") match in any case.

    Examples
    --------
    >>> vocab = SkillVocabulary.default()
    >>> sorted(vocab.find_in_text("I run our SOC"))
    ['security-operations']
    """

    def __init__(
        self,
        entries: Sequence[tuple[str, str, Iterable[str]]],
        related: Mapping[str, Iterable[str]] | None = None,
    ) -> None:
        self.entries = [(slug, name, tuple(aliases)) for slug, name, aliases in entries]
        known = {slug for slug, _name, _aliases in self.entries}
        self.related = {
            slug: tuple(t for t in targets if t in known and t != slug)
            for slug, targets in (related or {}).items()
            if slug in known
        }
        self._names: dict[str, str] = {}
        self._lookup: dict[str, str] = {}  # normalised term -> slug (lenient reading)
        self._acronyms: dict[str, str] = {}  # "SOC" -> slug, matched as written
        self._strict: dict[str, str] = {}  # normalised term -> slug (free text)
        for slug, name, aliases in self.entries:
            if not slug:
                raise ValueError("a skill slug must be a non-empty string")
            self._names[slug] = name
            for term in (slug.replace("-", " "), name, *aliases):
                key = normalise_term(term)
                if not key:
                    continue
                self._lookup.setdefault(key, slug)
                if _is_acronym(term.strip()):
                    self._acronyms.setdefault(term.strip(), slug)
                elif not _is_named(term) and not (" " not in key and _everyday(term)):
                    self._strict.setdefault(key, slug)
        self._named = {
            normalise_term(t): slug
            for slug, name, aliases in self.entries
            for t in (name, *aliases)
            if _is_named(t)
        }
        # phrase lengths by first word, so a scan tries only lengths some alias has
        self._lengths: dict[str, list[int]] = {}
        for key in self._lookup:
            parts = key.split()
            self._lengths.setdefault(parts[0], []).append(len(parts))
        self._lengths = {w: sorted(set(n), reverse=True) for w, n in self._lengths.items()}

    @classmethod
    def default(cls) -> SkillVocabulary:
        """The built-in taxonomy: the product's 83 trustee skills, with people's own words."""
        return cls(DEFAULT_SKILLS, DEFAULT_RELATED)

    @classmethod
    def default_causes(cls) -> SkillVocabulary:
        """The built-in causes taxonomy (the product's 25 causes, with people's words)."""
        return cls(DEFAULT_CAUSES)

    def name(self, slug: str) -> str:
        """Display name of a slug; unknown skills keep the caller's words."""
        if slug in self._names:
            return self._names[slug]
        return slug.removeprefix("other:")

    def normalise(self, term: str) -> str | None:
        """Canonical slug of a skill term, ``other:<term>`` if unknown, None if empty.

        A term naming several skills gives the first one it names (see :meth:`normalise_many`).
        """
        found = self._term(term)
        return None if found is None else found[0]

    def normalise_many(self, term: str) -> frozenset[str]:
        """Every skill a listed term names ("Finance and HR" -> two); empty if blank."""
        found = self._term(term)
        return frozenset(found or ())

    def normalise_all(self, terms: Iterable[str]) -> frozenset[str]:
        """Slugs of several terms (empty and blank terms dropped)."""
        return frozenset(s for t in terms for s in self.normalise_many(t))

    def _term(self, term: str) -> list[str] | None:
        if term.strip() in self._acronyms:
            return [self._acronyms[term.strip()]]
        key = normalise_term(term)
        if not key:
            return None
        if key in self._lookup:
            return [self._lookup[key]]
        inside = list(self.find_mentions(term, lenient=True))
        return inside or [f"other:{key}"]

    def find_in_text(self, text: str) -> frozenset[str]:
        """Skills named in free text, matched on whole words and phrases."""
        return frozenset(self.find_mentions(text))

    def find_mentions(self, text: str, lenient: bool = False) -> dict[str, str]:
        """Skills named in a text, each with the words that named it first.

        ``lenient`` reads the text as a listed skill rather than a sentence: every alias
        counts, in any case (two-letter acronyms such as "IT" still need their capitals).
        """
        raw = _tokens(text)
        words = _words(raw)
        found: dict[str, str] = {}
        i = 0
        while i < len(words):
            step = 1
            slug = self._acronym(raw[i], lenient)
            if slug is not None:
                found.setdefault(slug, raw[i])
            else:
                lengths = {*self._lengths.get(words[i], ()),
                           *self._lengths.get(_singular(words[i]), ())}
                for n in sorted((n for n in lengths if n <= len(words) - i), reverse=True):
                    key = " ".join([*words[i : i + n - 1], _singular(words[i + n - 1])])
                    slug = self._phrase(key, raw[i : i + n], lenient)
                    if slug is not None:
                        found.setdefault(slug, " ".join(raw[i : i + n]))
                        step = n
                        break
            i += step
        return found

    def _acronym(self, token: str, lenient: bool) -> str | None:
        for form in (token, token[:-1] if token.endswith("s") else None):
            if form and form in self._acronyms:
                return self._acronyms[form]
        upper = token.upper()
        if lenient and len(token) >= 3 and upper in self._acronyms:
            return self._acronyms[upper]
        return None

    def _phrase(self, key: str, raw: list[str], lenient: bool) -> str | None:
        """The slug of a phrase's normalised ``key`` (``raw``: its words as written)."""
        if lenient:
            if len(raw) == 1 and not raw[0].isupper() and len(raw[0]) <= 2:
                return None  # "it", "ai" in lower case are words, not acronyms
            return self._lookup.get(key)
        if key in self._strict:
            return self._strict[key]
        if len(raw) == 1 and key in self._named and raw[0] != raw[0].lower():
            return self._named[key]
        return None
