"""MatchIndex behaves like a scikit-learn estimator: parameters in, fitted state out."""

import pickle
from dataclasses import replace

import numpy as np
import pytest
from sklearn.base import clone

from matching import ranker
from matching.batch import propose_batch
from matching.index import MatchIndex, effective_n_jobs
from matching.records import NeedRecord, VolunteerRecord
from matching.synthetic import make_needs, make_volunteers

VOLS = make_volunteers(120, 21)
NEEDS = make_needs(6, 22)


def _ranking(index, need):
    return [(p.volunteer_id, p.score, p.reasons) for p in index.top_volunteers(need, k=10)]


def test_init_only_stores_its_parameters():
    index = MatchIndex(weights={"text": 1.0}, random_state=3, n_jobs=2)
    assert vars(index) == index.get_params()
    assert index.get_params()["n_jobs"] == 2 and index.get_params()["random_state"] == 3


def test_a_clone_is_an_unfitted_copy_with_the_same_parameters():
    index = MatchIndex(text_params={"pivot": 0.5}, n_jobs=2).fit(VOLS, NEEDS)
    copy = clone(index)
    assert copy.get_params() == index.get_params()
    with pytest.raises(RuntimeError, match="not fitted"):
        copy.top_volunteers(NEEDS[0].id)
    assert _ranking(copy.fit(VOLS, NEEDS), NEEDS[0].id) == _ranking(index, NEEDS[0].id)


def test_a_fitted_index_survives_pickling_and_can_still_be_updated():
    index = MatchIndex().fit(VOLS, NEEDS)
    index.update_volunteer(replace(VOLS[0], bio="Chartered accountant and charity treasurer."))
    loaded = pickle.loads(pickle.dumps(index))  # noqa: S301 (our own bytes)
    for need in NEEDS[:3]:
        assert _ranking(loaded, need.id) == _ranking(index, need.id)
    loaded.remove_volunteer(VOLS[1].id)  # the unpickled index makes its own write lock
    assert loaded.n_volunteers == index.n_volunteers - 1


def test_n_jobs_changes_speed_not_results(monkeypatch):
    monkeypatch.setattr(ranker, "THREADED_ROWS", 0)  # thread even this small table
    one = MatchIndex(n_jobs=1).fit(VOLS, NEEDS)
    two = MatchIndex(n_jobs=2).fit(VOLS, NEEDS)
    for need in NEEDS:
        a, b = one.score_volunteers(need.id), two.score_volunteers(need.id)
        assert a[0] == b[0] and np.array_equal(a[1], b[1])
    assert one.propose_batch(k=3).proposals == two.propose_batch(k=3).proposals
    assert effective_n_jobs(None) == 1 and effective_n_jobs(-1) >= 1


def test_scoring_a_need_from_an_unseen_region_leaves_the_index_unchanged():
    index = MatchIndex().fit(VOLS, NEEDS)
    before = pickle.dumps(index)
    need = NeedRecord(
        "new", title="Treasurer", description="Finance trustee for an island charity",
        skills_required=("basket weaving", "finance"), causes=("lighthouses",),
        region="Atlantis", remote_ok=False, hours_per_month=4,
    )
    props = index.top_volunteers(need, k=5)
    index.score_volunteers(need)
    index.top_needs(VolunteerRecord("x", bio="treasurer", region="Lyonesse", remote_ok=False))
    assert pickle.dumps(index) == before
    # the unseen region is a real place, just not the volunteers': in person is impossible
    assert all(p.breakdown["place"] in (0.0, None) for p in props)


class _PublicOnly:
    """The index as a caller outside the class sees it: no private attributes."""

    def __init__(self, index: MatchIndex) -> None:
        self._index = index

    def __getattr__(self, name: str):
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self._index, name)


def test_the_batch_step_needs_only_the_public_methods_of_the_index():
    index = MatchIndex().fit(VOLS, NEEDS)
    via_public = propose_batch(_PublicOnly(index), k=4, cap_per_volunteer=2)
    assert via_public.proposals == index.propose_batch(k=4, cap_per_volunteer=2).proposals
    assert sum(len(p) for p in via_public.proposals.values()) == 4 * len(NEEDS)
