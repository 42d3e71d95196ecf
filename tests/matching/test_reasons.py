"""Reasons are honest and plain: ticked vs mentioned, levels, no numbers, two audiences."""

import json
import re
from pathlib import Path

import pytest

from matching.index import MatchIndex
from matching.reasons import hours_words, number_words
from matching.records import NeedRecord, VolunteerRecord, need_from_dict, volunteer_from_dict
from matching.synthetic import make_needs, make_volunteers

ROLE = NeedRecord(
    "role", title="Digital trustee", description="Cyber security and data protection help.",
    skills_required=("Cyber security", "Data protection"), skills_desired=("Risk",),
    causes=("Mental health",), region="Leeds", remote_ok=True, hours_per_month=4,
)
PEOPLE = [
    VolunteerRecord("ticked", headline="Security lead", bio="I lead on GDPR for our group.",
                    skills=("Cyber security",), causes=("mental health",), region="York",
                    remote_ok=True, hours_per_month=6),
    VolunteerRecord("expert", headline="Security lead", bio="Security and privacy.",
                    skills=(("Cyber security", "expert"), ("Data protection", "learning")),
                    region="Leeds", hours_per_month=4),
    VolunteerRecord("keyed", headline="Security lead", bio="Security and privacy.",
                    skills=("Cyber security", "Data protection"),
                    skill_levels={"cybersecurity": "expert", "Data protection": "learning"},
                    region="Leeds", hours_per_month=4),
    *(VolunteerRecord(f"other{i}", bio="Gardening and walking.", skills=("Horticulture",))
      for i in range(5)),
]


@pytest.fixture(scope="module")
def proposals():
    index = MatchIndex().fit(PEOPLE, [ROLE])
    return {p.volunteer_id: p for p in index.top_volunteers("role", k=len(PEOPLE))}


def test_a_skill_only_found_in_the_text_is_mentioned_not_had(proposals):
    ticked = proposals["ticked"]
    assert "Has one of the two required skills: cybersecurity" in ticked.reasons
    assert "Mentions GDPR in their profile (data protection)" in ticked.reasons
    assert "You have one of the two required skills: cybersecurity" in (
        ticked.reasons_for_volunteer)
    assert "You mention GDPR in your profile" in ticked.reasons_for_volunteer
    assert not any(r.startswith("Missing") for r in ticked.reasons)


def test_levels_are_said_and_learning_is_not_counted_as_had(proposals):
    expert = proposals["expert"]
    # The level is said with the skill, once: not "has cybersecurity" and "expert in it".
    assert "Has one of the two required skills: cybersecurity (expert)" in expert.reasons
    assert not any(r.startswith("Expert") for r in expert.reasons)
    assert "Learning data protection" in expert.reasons
    assert "You have one of the two required skills: cybersecurity (expert)" in (
        expert.reasons_for_volunteer)
    assert "You are learning data protection" in expert.reasons_for_volunteer
    # levels given as pairs or as a mapping (by slug or by name) read the same
    assert proposals["keyed"].reasons == expert.reasons
    assert proposals["keyed"].score == expert.score


@pytest.mark.parametrize("worse,better", [("learning", "practitioner"),
                                          ("practitioner", "expert")])
def test_a_higher_level_covers_a_required_skill_better(worse, better):
    def score(level):
        person = VolunteerRecord("p", headline="Security lead", skills=(("Cyber security", level),))
        index = MatchIndex().fit([person], [ROLE])
        prop = index.top_volunteers("role", k=1)[0]
        return prop.breakdown["skills_required"], prop.score

    assert score(worse)[0] < score(better)[0] and score(worse)[1] < score(better)[1]


def test_an_unknown_skill_level_is_refused():
    with pytest.raises(ValueError, match="unknown skill level"):
        VolunteerRecord("x", skills=(("Cyber security", "guru"),))
    with pytest.raises(ValueError, match="unknown skill level"):
        volunteer_from_dict({"id": "x", "skills": [{"name": "Audit", "level": "wizard"}]})
    ok = volunteer_from_dict({"id": "x", "skills": [["Audit", "Expert"], "Risk"]})
    assert ok.skill_terms() == [("Audit", "expert"), ("Risk", None)]


def test_numbers_are_written_in_words():
    assert number_words(4) == "four" and number_words(21) == "twenty-one"
    assert hours_words(6) == "six hours" and hours_words(2.5) == "two and a half hours"
    assert hours_words(1) == "an hour" and hours_words(0.5) == "half an hour"
    assert hours_words(8, unit=False) == "eight"


_OWN_NUMBERS = re.compile(r"\S*\d\S*")


def _own_numbers(*records) -> set[str]:
    """Words with digits that people wrote themselves ("ISO 27001" may be quoted back)."""
    out = set()
    for r in records:
        texts = [r.full_text(), *map(str, getattr(r, "skills", ())), *r.causes, r.region or ""]
        texts += [*getattr(r, "skills_required", ()), *getattr(r, "skills_desired", ())]
        out |= {w.strip(".,;:()") for t in texts for w in _OWN_NUMBERS.findall(t)}
    return out


def _check_plain(proposal, need, volunteer):
    for line in proposal.reasons + proposal.reasons_for_volunteer:
        for word in _own_numbers(need, volunteer):
            line = line.replace(word, "")
        assert not re.search(r"\d", line), line
        assert "shared terms" not in line and "h/month" not in line, line
    for line in proposal.reasons_for_volunteer:
        assert re.search(r"\byour?\b", line, re.IGNORECASE), line


def test_no_reason_shows_a_number_a_score_or_a_term_list():
    vols, needs = make_volunteers(120, 5), make_needs(6, 6)
    index = MatchIndex().fit(vols, needs)
    by_id = {v.id: v for v in vols}
    for need in needs:
        for p in index.top_volunteers(need.id, k=30):
            _check_plain(p, need, by_id[p.volunteer_id])
    need_of = {n.id: n for n in needs}
    for v in vols[:20]:
        for p in index.top_needs(v.id, k=6):
            _check_plain(p, need_of[p.need_id], v)


def test_the_hand_written_cases_read_plainly_for_both_audiences():
    data = json.loads((Path(__file__).parent / "data" / "trustee-cases.json").read_text())
    vols = [volunteer_from_dict(v) for v in data["volunteers"]]
    needs = [need_from_dict(n) for n in data["needs"]]
    index = MatchIndex().fit(vols, needs)
    by_id = {v.id: v for v in vols}
    for need in needs:
        for p in index.top_volunteers(need.id, k=15):
            _check_plain(p, need, by_id[p.volunteer_id])
