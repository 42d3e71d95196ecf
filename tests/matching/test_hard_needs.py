"""Hard needs hold: a volunteer who cannot do the role never ranks above one who can."""

from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matching.index import MatchIndex
from matching.places import resolve_region
from matching.records import NeedRecord, VolunteerRecord

BOARD = NeedRecord(
    "leeds-board", title="Cyber security trustee",
    description="A domestic abuse charity in Leeds needs a trustee for cyber security and "
                "incident response. The board meets in person in Leeds.",
    skills_required=("Cyber security",), causes=("Domestic abuse",), region="Leeds",
    remote_ok=False, hours_per_month=6,
)
EXPERT = VolunteerRecord(
    "expert", headline="Head of information security",
    bio="I run the security team and the incident response for a bank: cyber security, "
        "incident response, ISO 27001 and board reporting. I care about domestic abuse.",
    skills=("Cyber security", "Incident response"), causes=("Domestic abuse",),
    region="Manchester", remote_ok=True, hours_per_month=8, board_experience=True,
)
NEARBY = VolunteerRecord(
    "nearby", headline="IT manager", bio="I look after IT and some security at a school.",
    skills=("Cyber security",), region="Harrogate", remote_ok=True, hours_per_month=6,
)
FILLER = [
    VolunteerRecord(f"f{i}", headline="Gardener", bio=f"I grow vegetables, plot {i}.",
                    skills=("Horticulture",), region="Leeds", remote_ok=True, hours_per_month=6)
    for i in range(6)
]


def _fit(volunteers, needs=(BOARD,)):
    return MatchIndex().fit(list(volunteers), list(needs))


def _by_id(proposals):
    return {p.volunteer_id: p for p in proposals}


def test_an_in_person_role_ranks_someone_elsewhere_below_someone_in_the_region():
    props = _fit([EXPERT, NEARBY, *FILLER]).top_volunteers("leeds-board", k=10)
    ids = [p.volunteer_id for p in props]
    assert ids.index("nearby") < ids.index("expert")
    expert = _by_id(props)["expert"]
    assert not expert.feasible and _by_id(props)["nearby"].feasible
    why = "Can't attend in person: lives in Manchester, in the North West; the role meets in Leeds"
    assert expert.why_not == [why] and expert.reasons[0] == why
    assert expert.reasons_for_volunteer[0] == (
        "The role meets in person in Leeds, and you live in Manchester, in the North West"
    )
    # a better profile than anyone feasible still scores below every feasible one
    assert expert.breakdown["skills_required"] >= _by_id(props)["nearby"].breakdown[
        "skills_required"]
    assert expert.score < min(p.score for p in props if p.feasible)


def test_someone_who_wont_attend_remotely_ranks_below_for_a_role_elsewhere():
    remote_role = replace(BOARD, remote_ok=True)
    homebody = replace(EXPERT, id="homebody", remote_ok=False, region="Bristol")
    props = _by_id(_fit([homebody, NEARBY, *FILLER], [remote_role]).top_volunteers(
        "leeds-board", k=10))
    assert not props["homebody"].feasible and props["nearby"].feasible
    assert props["homebody"].why_not == [
        "Attends in person only: lives in Bristol, in the South West; the role is in Leeds"
    ]
    assert props["homebody"].score < props["nearby"].score


def test_under_half_the_hours_is_infeasible_and_exactly_half_is_not():
    short = replace(EXPERT, id="short", region="Leeds", hours_per_month=2.5)
    half = replace(EXPERT, id="half", region="Leeds", hours_per_month=3)
    props = _by_id(_fit([short, half, NEARBY, *FILLER]).top_volunteers("leeds-board", k=10))
    assert props["short"].why_not == [
        "Offers two and a half hours a month; the role asks for six"
    ]
    assert props["half"].feasible and props["half"].why_not == []
    assert props["short"].score < props["nearby"].score


def test_none_of_the_required_skills_is_infeasible_only_when_others_have_some():
    writer = VolunteerRecord("writer", headline="Copywriter",
                             bio="Domestic abuse survivor, now a copywriter in Leeds.",
                             skills=("Copywriting",), causes=("Domestic abuse",),
                             region="Leeds", remote_ok=True, hours_per_month=6)
    props = _by_id(_fit([writer, NEARBY, *FILLER]).top_volunteers("leeds-board", k=10))
    assert props["writer"].why_not == ["Has none of the required skills: cybersecurity"]
    assert props["writer"].score < props["nearby"].score
    alone = _by_id(_fit([writer, *FILLER]).top_volunteers("leeds-board", k=10))
    assert alone["writer"].feasible  # nobody has any: skills decide nothing


def test_unknown_fields_never_make_a_volunteer_infeasible():
    unknown = VolunteerRecord("unknown")  # no region, remote, hours, skills or text
    vague = VolunteerRecord("vague", bio="Happy to help.", region="UK-wide")  # no skills listed
    props = _by_id(_fit([unknown, vague, NEARBY]).top_volunteers("leeds-board", k=10))
    assert props["unknown"].feasible and props["vague"].feasible
    assert props["vague"].why_not == []


@pytest.mark.parametrize("where", ["  leeds ", "LEEDS", "Yorkshire", "West Yorkshire",
                                   "Headingley, Leeds", "Bradford"])
def test_places_compare_by_region_in_any_case_or_spacing(where):
    local = replace(NEARBY, id="local", region=where)
    props = _by_id(_fit([local, EXPERT, *FILLER]).top_volunteers("leeds-board", k=10))
    assert props["local"].feasible


def test_needs_a_volunteer_cannot_attend_come_after_those_they_can():
    here = replace(BOARD, id="manchester", region="Manchester", description="In Manchester.")
    there = replace(BOARD, id="leeds")
    index = _fit([EXPERT, NEARBY, *FILLER], [there, here])
    props = index.top_needs("expert", k=2)
    assert [p.need_id for p in props] == ["manchester", "leeds"]
    assert props[1].reasons_for_volunteer[0].startswith("The role meets in person in Leeds")


def test_the_batch_leaves_out_infeasible_volunteers_while_enough_feasible_ones_exist():
    second = replace(NEARBY, id="second", region="York")
    index = _fit([EXPERT, NEARBY, second])
    enough = index.propose_batch(k=2).proposals["leeds-board"]
    assert {p.volunteer_id for p in enough} == {"nearby", "second"}
    filled = index.propose_batch(k=3).proposals["leeds-board"]
    assert [p.volunteer_id for p in filled][-1] == "expert"  # fills a short list, marked
    assert not filled[-1].feasible and filled[-1].why_not
    strict = index.propose_batch(k=3, fill_with_infeasible=False).proposals["leeds-board"]
    assert [p.volunteer_id for p in strict] == [p.volunteer_id for p in enough]


# --- the ordering as a property, against the rules written out here ---------------------------

PLACES = [None, "Leeds", "York", "Manchester", "Bristol", "London", "Cardiff"]
SKILLS = ["Cyber security", "Fundraising", "Finance", "Copywriting"]


def _blocked(need: NeedRecord, v: VolunteerRecord, others_have_skill: bool) -> bool:
    nr, vr = resolve_region(need.region), resolve_region(v.region)
    apart = nr is not None and vr is not None and nr != vr
    if apart and (need.remote_ok is False or v.remote_ok is False):
        return True
    if v.hours_per_month is not None and need.hours_per_month is not None and (
        v.hours_per_month < need.hours_per_month / 2
    ):
        return True
    has = "Cyber security" in v.skills
    return others_have_skill and not has and bool(v.skills)  # no skills listed: unknown


volunteers = st.builds(
    lambda i, place, remote, hours, skills: VolunteerRecord(
        f"v{i}", bio=f"Volunteer number {i}", skills=tuple(skills), region=place,
        remote_ok=remote, hours_per_month=hours,
    ),
    st.integers(0, 10_000), st.sampled_from(PLACES), st.sampled_from([None, True, False]),
    st.sampled_from([None, 1.0, 2.0, 3.0, 5.0, 8.0, 12.0]),
    st.lists(st.sampled_from(SKILLS), max_size=2, unique=True),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(volunteers, min_size=2, max_size=12, unique_by=lambda v: v.id),
       st.sampled_from(PLACES[1:]), st.sampled_from([None, True, False]),
       st.sampled_from([None, 4.0, 8.0]))
def test_no_infeasible_volunteer_ranks_above_a_feasible_one(pool, place, remote, hours):
    need = replace(BOARD, region=place, remote_ok=remote, hours_per_month=hours)
    props = _fit(pool, [need]).top_volunteers(need.id, k=len(pool))
    others = any("Cyber security" in v.skills for v in pool)
    expected = {v.id: not _blocked(need, v, others) for v in pool}
    assert {p.volunteer_id: p.feasible for p in props} == expected
    flags = [p.feasible for p in props]
    assert flags == sorted(flags, reverse=True)  # every feasible one first
    assert all(bool(p.why_not) != p.feasible for p in props)
