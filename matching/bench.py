"""Scale benchmark on synthetic data.

Usage: ``python -m matching.bench --volunteers 100000 --needs 2000 [--json]``
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import sys
import time
from dataclasses import replace

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from matching.index import MatchIndex
from matching.synthetic import make_needs, make_volunteers


def _ms(fn, items) -> list[float]:
    out = []
    for item in items:
        start = time.perf_counter()
        fn(item)
        out.append((time.perf_counter() - start) * 1000)
    return out


def naive_ms_per_pair(n_volunteers: int = 300, n_needs: int = 5, seed: int = 0) -> float:
    """Refit a vectoriser per query and score pairs one by one in Python."""
    vols = make_volunteers(n_volunteers, seed)
    needs = make_needs(n_needs, seed + 1)
    start = time.perf_counter()
    for need in needs:
        texts = [v.full_text() for v in vols] + [need.full_text()]
        x = TfidfVectorizer().fit_transform(texts).tolil()
        q = dict(zip(x.rows[-1], x.data[-1], strict=True))
        for i in range(len(vols)):
            sum(q.get(j, 0.0) * v for j, v in zip(x.rows[i], x.data[i], strict=True))
    return (time.perf_counter() - start) * 1000 / (n_volunteers * n_needs)


def run(
    n_volunteers: int, n_needs: int, seed: int = 0, queries: int = 200, n_jobs: int | None = 2
) -> dict:
    """Build, query, update and batch; return the figures."""
    def say(msg):
        print(f"[{time.perf_counter() - t0:6.1f}s] {msg}", file=sys.stderr, flush=True)

    t0 = time.perf_counter()
    say(f"generating {n_volunteers} volunteers and {n_needs} needs")
    vols = make_volunteers(n_volunteers, seed)
    needs = make_needs(n_needs, seed + 1)
    index = MatchIndex(progress=say, random_state=seed, n_jobs=n_jobs)
    start = time.perf_counter()
    index.fit(vols, needs)
    build_s = time.perf_counter() - start
    rng = random.Random(seed)
    need_ids = rng.sample([n.id for n in needs], min(queries, len(needs)))
    vol_ids = rng.sample([v.id for v in vols], min(queries, len(vols)))
    snap, enc = index.snapshot_, index.encoder_
    counts = enc.text.counts([snap.needs.record(n).full_text() for n in need_ids])
    segments = snap.volunteers.segments

    def floor(i):
        u = np.ascontiguousarray(enc.text.query_vectors(counts[i])[:, 0])
        for seg in segments:
            seg.text.counts @ u

    # each need's floor is timed just before its query, so a busy machine slows both alike
    say("need top-10 queries, each beside the floor (one product of the fitted index)")
    need_ms, floor_ms = [], []
    for i, need_id in enumerate(need_ids):
        floor_ms += _ms(floor, [i])
        need_ms += _ms(lambda n: index.top_volunteers(n, k=10), [need_id])
    say("volunteer top-10 queries")
    vol_ms = _ms(lambda v: index.top_needs(v, k=10), vol_ids)
    say("updates")
    update_ms = _ms(
        lambda v: index.update_volunteer(replace(v, bio=v.bio + " Now also mentoring.")),
        [index.snapshot_.volunteers.record(i) for i in vol_ids[:50]],
    )
    say("capped batch over all needs")
    start = time.perf_counter()
    batch = index.propose_batch(k=10, cap_per_volunteer=3)
    batch_s = time.perf_counter() - start
    say("naive ranker at small size")
    naive = naive_ms_per_pair()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "volunteers": n_volunteers,
        "needs": n_needs,
        "n_jobs": n_jobs,
        "build_s": build_s,
        "need_top10_ms_median": float(np.median(need_ms)),
        "need_top10_ms_p95": float(np.percentile(need_ms, 95)),
        "volunteer_top10_ms_median": float(np.median(vol_ms)),
        "volunteer_top10_ms_p95": float(np.percentile(vol_ms, 95)),
        "update_ms": float(np.median(update_ms)),
        "update_ms_p95": float(np.percentile(update_ms, 95)),
        "batch_s": batch_s,
        "batch_cost_fraction": batch.cost_fraction,
        "batch_max_per_volunteer": batch.max_per_volunteer,
        "peak_mb": peak_mb,
        "floor_ms_median": float(np.median(floor_ms)),
        "need_top10_vs_floor": float(np.median(need_ms) / np.median(floor_ms)),
        "naive_ms_per_pair": naive,
    }


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(prog="python -m matching.bench", description=__doc__)
    parser.add_argument("--volunteers", type=int, default=100_000)
    parser.add_argument("--needs", type=int, default=2_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--n-jobs", type=int, default=2, help="threads per query and batch")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)
    result = run(args.volunteers, args.needs, args.seed, n_jobs=args.n_jobs)
    if args.json:
        print(json.dumps(result))
    else:
        for key, value in result.items():
            print(f"{key:28s} {value:12.3f}" if isinstance(value, float) else f"{key:28s} {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
