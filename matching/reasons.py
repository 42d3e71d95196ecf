"""Plain-English reasons for one proposed pair."""

from __future__ import annotations

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from matching.encoder import Encoder
from matching.records import NeedRecord, VolunteerRecord


def _names(enc: Encoder, slugs) -> str:
    return ", ".join(sorted(enc.vocabulary.name(s) for s in slugs))


def _hours(h: float) -> str:
    return f"{h:g}"


def explain(
    need: NeedRecord,
    volunteer: VolunteerRecord,
    breakdown: dict,
    enc: Encoder,
    has: frozenset[str] | None = None,
    wanted: tuple[frozenset[str], frozenset[str]] | None = None,
) -> list[str]:
    """Reasons for a proposal: matched and missing skills, causes, place, time, text.

    ``has`` (the volunteer's skill slugs) and ``wanted`` (the need's required and desired
    slugs) may be passed when already known, to skip re-reading the texts.
    """
    reasons: list[str] = []
    has = enc.volunteer_skills(volunteer) if has is None else has
    required, desired = enc.need_skills(need) if wanted is None else wanted
    if required:
        got = required & has
        line = f"Has {len(got)} of {len(required)} required skills"
        reasons.append(f"{line}: {_names(enc, got)}" if got else line)
        if required - got:
            reasons.append(f"Missing: {_names(enc, required - got)}")
    if desired & has:
        reasons.append(f"Also has desired skills: {_names(enc, desired & has)}")
    shared = enc.causes_of(need) & enc.causes_of(volunteer)
    if shared:
        reasons.append(f"Both care about {', '.join(sorted(shared))}")
    reasons.extend(_place(need, volunteer))
    if need.hours_per_month is not None and volunteer.hours_per_month is not None:
        enough = volunteer.hours_per_month >= need.hours_per_month
        reasons.append(
            f"{_hours(volunteer.hours_per_month)} h/month available, role needs "
            f"{_hours(need.hours_per_month)}" + ("" if enough else " (short)")
        )
    if volunteer.board_experience:
        reasons.append("Has served on a board before")
    text = breakdown.get("text")
    if text is not None:
        words = shared_terms(need, volunteer, enc)
        strength = "closely" if text >= 0.6 else "partly" if text >= 0.25 else "weakly"
        line = f"Profile text {strength} matches the role ({text:.2f})"
        reasons.append(f"{line}; shared terms: {', '.join(words)}" if words else line)
    return reasons


def _place(need: NeedRecord, volunteer: VolunteerRecord) -> list[str]:
    nr, vr = need.region, volunteer.region
    if nr and vr and nr.strip().lower() == vr.strip().lower():
        return [f"Both in {nr}"]
    if need.remote_ok and volunteer.remote_ok:
        return [f"Can attend remotely; charity is in {nr}" if nr else "Can attend remotely"]
    if nr and vr and (need.remote_ok is False or volunteer.remote_ok is False):
        return [f"Based in {vr}; charity is in {nr} and needs in-person attendance"]
    return []


def shared_terms(need: NeedRecord, volunteer: VolunteerRecord, enc: Encoder, n: int = 5):
    """The words that contribute most to the pair's text relevance."""
    vec = enc.text.vectorizer_
    limit = enc.text.max_text_chars
    tokenize = vec.build_tokenizer()
    words_a = {w.lower() for w in tokenize(need.full_text()[:limit])}
    words_b = {w.lower() for w in tokenize(volunteer.full_text()[:limit])}
    scored = []
    for w in words_a & words_b:
        j = vec.vocabulary_.get(w)
        if j is not None and not w.isdigit() and w not in ENGLISH_STOP_WORDS:
            scored.append((-float(enc.text.idf_[j]), w))
    return [w for _, w in sorted(scored)[:n]]
