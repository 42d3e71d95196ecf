"""Scale benchmark on synthetic data.

Usage: ``python -m matching.bench --volunteers 100000 --needs 2000 [--json] [--semantic]``

``--semantic`` runs the benchmark twice, each in a process of its own (so that peak memory is
each one's): without the semantic signal and with it, and prints the two side by side. The
model itself is timed on ``--embed-sample`` real profiles (ms each, and the projected time for
20,000); the other rows get random unit vectors as their stored embeddings, since what a query
costs does not depend on the values. An update embeds the changed profile with the model.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import time
from dataclasses import replace

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from matching.blas import one_thread
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


def _with_embeddings(records: list, model, sample: int, seed: int) -> tuple[list, float]:
    """Records with stored vectors (the model's for the first `sample`, random unit ones for
    the rest) and the model's milliseconds per record."""
    rng = np.random.default_rng(seed)
    start = time.perf_counter()
    real = model.encode([r.semantic_text() for r in records[:sample]])
    ms_each = (time.perf_counter() - start) * 1000 / max(len(real), 1)
    fake = rng.standard_normal((len(records) - len(real), model.dim)).astype(np.float32)
    fake /= np.linalg.norm(fake, axis=1, keepdims=True)
    vectors = np.vstack([real, fake])
    return [replace(r, embedding=vectors[i]) for i, r in enumerate(records)], ms_each


def run(
    n_volunteers: int, n_needs: int, seed: int = 0, queries: int = 200, n_jobs: int | None = 2,
    semantic: bool = False, embed_sample: int = 500, batch: bool = True,
) -> dict:
    """Build, query, update and batch; return the figures."""
    def say(msg):
        print(f"[{time.perf_counter() - t0:6.1f}s] {msg}", file=sys.stderr, flush=True)

    t0 = time.perf_counter()
    say(f"generating {n_volunteers} volunteers and {n_needs} needs")
    vols = make_volunteers(n_volunteers, seed)
    needs = make_needs(n_needs, seed + 1)
    extra: dict = {}
    model = None
    if semantic:
        from matching.semantic import default_embedder

        model = default_embedder()
        if model is None:
            raise SystemExit("the semantic model is not installed (make install does it)")
        say(f"embedding {embed_sample} profiles with the model")
        vols, ms_each = _with_embeddings(vols, model, embed_sample, seed)
        needs, _ = _with_embeddings(needs, model, min(embed_sample, 100), seed + 1)
        extra = {"embed_ms_per_profile": ms_each, "embed_20000_profiles_s": ms_each * 20}
    index = MatchIndex(progress=say, random_state=seed, n_jobs=n_jobs, semantic=model)
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

    vectors = [snap.needs.record(n).embedding for n in need_ids] if semantic else []

    def embedding_floor(i):
        with one_thread():
            for seg in segments:
                seg.embedding @ vectors[i]

    # each need's floor is timed just before its query, so a busy machine slows both alike
    say("need top-10 queries, each beside the floor (one product of the fitted index)")
    need_ms, floor_ms, embedding_floor_ms = [], [], []
    for i, need_id in enumerate(need_ids):
        floor_ms += _ms(floor, [i])
        if semantic:
            embedding_floor_ms += _ms(embedding_floor, [i])
        need_ms += _ms(lambda n: index.top_volunteers(n, k=10), [need_id])
    if semantic:
        # With the signal, the fitted index is two matrices: a ranking that reads every
        # volunteer's vector does at least this product too (one thread, as the floor).
        floor_both = float(np.median(np.add(floor_ms, embedding_floor_ms)))
        extra["floor_with_vectors_ms_median"] = floor_both
        extra["need_top10_vs_floor_with_vectors"] = float(np.median(need_ms)) / floor_both
    say("volunteer top-10 queries")
    vol_ms = _ms(lambda v: index.top_needs(v, k=10), vol_ids)
    say("updates")
    def updates(ids, **changes) -> list[float]:
        records = [index.snapshot_.volunteers.record(i) for i in ids]
        return _ms(lambda v: index.update_volunteer(
            replace(v, bio=v.bio + " Now also mentoring.", **changes)), records)

    # A changed profile carries no stored vector: with the semantic signal the update embeds it.
    update_ms = updates(vol_ids[:50], embedding=None)
    if semantic:
        # The product's path: the worker embeds the profile; the update carries its vector.
        extra["update_stored_vector_ms"] = float(np.median(updates(vol_ids[50:100])))
    batch_figures: dict = {}
    if batch:
        say("capped batch over all needs")
        start = time.perf_counter()
        done = index.propose_batch(k=10, cap_per_volunteer=3)
        batch_figures = {
            "batch_s": time.perf_counter() - start,
            "batch_cost_fraction": done.cost_fraction,
            "batch_max_per_volunteer": done.max_per_volunteer,
        }
    naive = None
    if batch:
        say("naive ranker at small size")
        naive = naive_ms_per_pair()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "volunteers": n_volunteers,
        "needs": n_needs,
        "n_jobs": n_jobs,
        "semantic": semantic,
        **extra,
        "build_s": build_s,
        "need_top10_ms_median": float(np.median(need_ms)),
        "need_top10_ms_p95": float(np.percentile(need_ms, 95)),
        "volunteer_top10_ms_median": float(np.median(vol_ms)),
        "volunteer_top10_ms_p95": float(np.percentile(vol_ms, 95)),
        "update_ms": float(np.median(update_ms)),
        "update_ms_p95": float(np.percentile(update_ms, 95)),
        **batch_figures,
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
    parser.add_argument("--semantic", action="store_true",
                        help="run without and with the semantic signal, side by side")
    parser.add_argument("--embed-sample", type=int, default=500,
                        help="profiles embedded by the model itself (--semantic)")
    parser.add_argument("--only", choices=("text", "semantic"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.only:  # one side of --semantic, in its own process
        result = run(args.volunteers, args.needs, args.seed, n_jobs=args.n_jobs,
                     semantic=args.only == "semantic", embed_sample=args.embed_sample,
                     batch=False)
        print(json.dumps(result))
        return 0
    if args.semantic:
        sides = {}
        for side in ("text", "semantic"):
            cmd = [sys.executable, "-m", "matching.bench", "--only", side,
                   "--volunteers", str(args.volunteers), "--needs", str(args.needs),
                   "--seed", str(args.seed), "--n-jobs", str(args.n_jobs),
                   "--embed-sample", str(args.embed_sample)]
            out = subprocess.run(cmd, check=True, capture_output=True, text=True)  # noqa: S603
            sides[side] = json.loads(out.stdout.strip().splitlines()[-1])
        keys = [k for k in sides["semantic"] if k not in ("semantic",)]
        print(f"{'figure':34s} {'without':>12s} {'with semantic':>14s}")
        for key in keys:
            a, b = sides["text"].get(key), sides["semantic"].get(key)
            print(f"{key:34s} {_fmt(a):>12s} {_fmt(b):>14s}")
        print(json.dumps(sides))
        return 0
    result = run(args.volunteers, args.needs, args.seed, n_jobs=args.n_jobs)
    if args.json:
        print(json.dumps(result))
    else:
        for key, value in result.items():
            print(f"{key:34s} {_fmt(value):>12s}")
    return 0


def _fmt(value) -> str:
    if value is None:
        return "-"
    return f"{value:.3f}" if isinstance(value, float) else str(value)


if __name__ == "__main__":
    raise SystemExit(main())
