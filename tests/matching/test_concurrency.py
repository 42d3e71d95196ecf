"""Readers on several threads while updates and a full rebuild swap in."""

import threading
from dataclasses import replace

from matching.index import MatchIndex
from matching.synthetic import make_needs, make_volunteers

VOLS = make_volunteers(300, 11)
NEEDS = make_needs(8, 12)


def test_readers_are_safe_while_updates_and_a_rebuild_swap_in():
    index = MatchIndex().fit(VOLS, NEEDS)
    stop = threading.Event()
    errors: list[BaseException] = []
    reads = [0]
    excluded = {v.id for v in VOLS[:20]}

    def reader(j: int) -> None:
        try:
            while not stop.is_set():
                need = NEEDS[(j + reads[0]) % len(NEEDS)].id
                props = index.top_volunteers(need, k=10, exclude=excluded)
                assert len(props) == 10
                assert all(0.0 <= p.score <= 1.0 for p in props)
                assert not excluded & {p.volunteer_id for p in props}
                assert [p.score for p in props] == sorted((p.score for p in props), reverse=True)
                ids, scores = index.score_volunteers(need)
                assert len(ids) == len(scores) == len(set(ids))
                index.top_needs(VOLS[30 + j].id, k=3)
                reads[0] += 1
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=reader, args=(j,)) for j in range(3)]
    for t in threads:
        t.start()
    try:
        for i, vol in enumerate(VOLS[40:140]):
            index.update_volunteer(replace(vol, bio=vol.bio + " Also a school governor."))
            if i % 10 == 0:
                index.remove_volunteer(VOLS[200 + i].id)
                index.add_need(replace(NEEDS[i % len(NEEDS)], hours_per_month=4.0))
        index.fit(VOLS[:-5], NEEDS)  # a full rebuild swaps in under the readers
        for vol in VOLS[140:160]:
            index.update_volunteer(replace(vol, hours_per_month=9.0))
    finally:
        stop.set()
        for t in threads:
            t.join()
    assert not errors, errors[0]
    assert reads[0] > 0
    assert index.n_volunteers == len(VOLS) - 5


def test_a_snapshot_held_by_a_reader_does_not_change_under_updates():
    index = MatchIndex().fit(VOLS, NEEDS)
    snap = index.snapshot_
    before = index._score_need(snap, NEEDS[0], ()).score.copy()
    for vol in VOLS[:50]:
        index.update_volunteer(replace(vol, bio="completely different text about gardening"))
    index.remove_volunteer(VOLS[60].id)
    after = index._score_need(snap, NEEDS[0], ()).score
    assert (before == after).all()
    assert snap.volunteers.row(VOLS[60].id) is not None
    assert index.snapshot_.volunteers.row(VOLS[60].id) is None
