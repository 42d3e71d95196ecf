"""The hand-written UK trustee cases: reproducible, hard needs respected, figures held."""

import importlib.util
import json
from collections import defaultdict
from pathlib import Path

import numpy as np
import pytest

from matching.index import MatchIndex
from matching.metrics import ndcg_at_k
from matching.records import need_from_dict, volunteer_from_dict

DATA = Path(__file__).parent / "data"


def _builder():
    spec = importlib.util.spec_from_file_location("build", DATA / "build_trustee_cases.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


BUILD = _builder()
SOURCE = json.loads((DATA / "trustee-cases-source.json").read_text(encoding="utf-8"))
CASES = json.loads((DATA / "trustee-cases.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def index():
    vols = [volunteer_from_dict(v) for v in CASES["volunteers"]]
    return MatchIndex().fit(vols, [need_from_dict(n) for n in CASES["needs"]])


def test_the_benchmark_file_is_what_the_builder_makes_from_the_source():
    assert BUILD.build(SOURCE) == CASES


def test_own_words_places_and_hours_rule_out_exactly_the_pairs_the_truth_does(index):
    people = {p["id"]: p for p in BUILD.expand(SOURCE)}
    wrong = []
    for need in SOURCE["needs"]:
        for p in index.top_volunteers(need["id"], k=len(people)):
            ranked_out = any(w.startswith(("Can't attend", "Attends", "Offers")) for w in p.why_not)
            if ranked_out == BUILD.can_attend(need, people[p.volunteer_id]):
                wrong.append((need["id"], p.volunteer_id))
    assert wrong == []


def test_look_alikes_rank_below_the_profile_they_copy(index):
    people = BUILD.expand(SOURCE)
    for need in SOURCE["needs"]:
        ids, scores = index.score_volunteers(need["id"])
        score = dict(zip(ids, scores, strict=True))
        for twin in (p for p in people if p.get("lookalike_of")):
            original = next(p for p in people if p["id"] == twin["lookalike_of"])
            if BUILD.can_work(need, original) and not BUILD.can_work(need, twin):
                assert score[original["id"]] > score[twin["id"]], (need["id"], twin["id"])


def test_the_test_split_meets_the_quality_targets(index):
    grades, prefs = defaultdict(dict), defaultdict(list)
    for q in CASES["qrels"]:
        grades[q["need"]][q["volunteer"]] = q["grade"]
    for p in CASES["preferences"]:
        prefs[p["need"]].append((p["better"], p["worse"]))
    ndcg, right = [], []
    for need in (n for n in CASES["needs"] if n["split"] == "test"):
        ids, scores = index.score_volunteers(need["id"])
        at = {v: i for i, v in enumerate(ids)}
        ndcg.append(ndcg_at_k(scores, np.array([grades[need["id"]].get(v, 0) for v in ids])))
        right += [scores[at[b]] > scores[at[w]] for b, w in prefs[need["id"]]]
    assert np.mean(ndcg) >= 0.95 and np.mean(right) >= 0.90
