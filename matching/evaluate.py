"""Score the ranker and the baselines on a benchmark file.

Usage: ``python -m matching.evaluate FILE.json [--split test] [--k 10] [--json] [--no-semantic]``

The ranker is scored twice in one run when the semantic model is installed: ``ranker`` with
the semantic signal and ``ranker_text`` without it. Embeddings are kept between runs in
``$MATCHING_CACHE`` (default ``~/.cache/trustee-match``), keyed by text.

Baselines (see ``shared/data/README.md``): ``tfidf`` is the mean of the word 1-2 gram and
char_wb 3-5 gram TF-IDF cosines (``tfidf_word`` and ``tfidf_char`` alone), ``bm25`` Okapi BM25.
The last line names the best baseline per metric and whether the ranker beats it.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections import defaultdict

import numpy as np

from matching.baselines import BM25, TfidfCosine
from matching.index import MatchIndex
from matching.metrics import mean_or_none, mrr, ndcg_at_k, recall_at_k
from matching.records import need_from_dict, volunteer_from_dict
from matching.semantic import CachedEmbedder, default_embedder


def cached_embedder() -> CachedEmbedder | None:
    """The default embedder with its vectors kept on disk between runs (None if absent)."""
    model = default_embedder()
    if model is None:
        return None
    folder = os.environ.get("MATCHING_CACHE") or os.path.expanduser("~/.cache/trustee-match")
    return CachedEmbedder(model, os.path.join(folder, "minilm-embeddings.npz"))


def load_benchmark(path: str) -> dict:
    """Read a benchmark file and check its shape."""
    with open(path, encoding="utf-8") as fh:
        data = json.load(fh)
    for key in ("volunteers", "needs"):
        if not isinstance(data.get(key), list):
            raise ValueError(f"{path}: expected a list under {key!r}")
    data.setdefault("qrels", [])
    data.setdefault("preferences", [])
    return data


def _evaluate(score_fn, needs, vol_pos, qrels, prefs, k) -> dict:
    ndcg, rr, rec, pref, times = [], [], [], [], []
    for need in needs:
        start = time.perf_counter()
        scores = score_fn(need)
        np.argpartition(-scores, min(k, len(scores) - 1))[:k] if len(scores) else None
        times.append((time.perf_counter() - start) * 1000)
        grades = np.zeros(len(vol_pos))
        for vid, grade in qrels.get(need.id, {}).items():
            if vid in vol_pos:
                grades[vol_pos[vid]] = grade
        ndcg.append(ndcg_at_k(scores, grades, k))
        rr.append(mrr(scores, grades))
        rec.append(recall_at_k(scores, grades, 50))
        for better, worse in prefs.get(need.id, []):
            if better in vol_pos and worse in vol_pos:
                pref.append(float(scores[vol_pos[better]] > scores[vol_pos[worse]]))
    return {
        f"ndcg@{k}": mean_or_none(ndcg),
        "mrr": mean_or_none(rr),
        "recall@50": mean_or_none(rec),
        "preference_accuracy": mean_or_none(pref),
        "ms_median": float(np.median(times)) if times else None,
        "ms_p95": float(np.percentile(times, 95)) if times else None,
    }


def evaluate_file(
    path: str, split: str | None = "test", k: int = 10, semantic: bool = True
) -> dict:
    """Metrics for the ranker (with and without the semantic signal, when its model is
    installed and ``semantic``) and the TF-IDF and BM25 baselines on one file."""
    data = load_benchmark(path)
    volunteers = [volunteer_from_dict(v) for v in data["volunteers"]]
    all_needs = [need_from_dict(n) for n in data["needs"]]
    split_of = {str(n["id"]): n.get("split") for n in data["needs"]}
    needs = [n for n in all_needs if split is None or split_of[n.id] in (split, None)]
    vol_pos = {v.id: i for i, v in enumerate(volunteers)}
    qrels: dict[str, dict[str, float]] = defaultdict(dict)
    for r in data["qrels"]:
        qrels[str(r["need"])][str(r["volunteer"])] = float(r.get("grade", 1))
    prefs: dict[str, list] = defaultdict(list)
    for p in data["preferences"]:
        prefs[str(p["need"])].append((str(p["better"]), str(p["worse"])))

    def scorer(index: MatchIndex):
        def ours(need):
            ids, scores = index.score_volunteers(need)
            out = np.zeros(len(vol_pos))
            out[[vol_pos[i] for i in ids]] = scores
            return out

        return ours

    embedder = cached_embedder() if semantic else None
    rankers = {}
    if embedder is not None:
        rankers["ranker"] = MatchIndex(semantic=embedder).fit(volunteers, all_needs)
        embedder.save()
    rankers["ranker_text" if rankers else "ranker"] = MatchIndex().fit(volunteers, all_needs)

    doc_texts = [v.full_text() for v in volunteers]
    query_texts = [n.full_text() for n in all_needs]
    baselines = {
        "tfidf": TfidfCosine("mean"),
        "tfidf_word": TfidfCosine("word"),
        "tfidf_char": TfidfCosine("char"),
        "bm25": BM25(),
    }
    args = (needs, vol_pos, qrels, prefs, k)
    result = {name: _evaluate(scorer(ix), *args) for name, ix in rankers.items()}
    result["baselines"] = {}
    for name, model in baselines.items():
        model.fit(doc_texts, query_texts)
        result["baselines"][name] = _evaluate(lambda n, m=model: m.score(n.full_text()), *args)
    return result


def _fmt(v) -> str:
    return "   -  " if v is None else f"{v:6.3f}" if abs(v) < 10 else f"{v:6.1f}"


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(prog="python -m matching.evaluate", description=__doc__)
    parser.add_argument("file")
    parser.add_argument("--split", default="test", help="need split to score ('all' for every)")
    parser.add_argument("--k", type=int, default=10)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--no-semantic", action="store_true", help="score without embeddings")
    args = parser.parse_args(argv)
    try:
        split = None if args.split == "all" else args.split
        result = evaluate_file(args.file, split, args.k, semantic=not args.no_semantic)
    except (OSError, ValueError, KeyError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(result))
        return 0
    keys = [f"ndcg@{args.k}", "mrr", "recall@50", "preference_accuracy", "ms_median", "ms_p95"]
    print(f"{args.file} (split={args.split})")
    print(f"{'method':10s} " + " ".join(f"{k:>10s}" for k in keys))
    ours_rows = [(n, m) for n, m in result.items() if n != "baselines"]
    rows = [*ours_rows, *result["baselines"].items()]
    for name, m in rows:
        print(f"{name:10s} " + " ".join(f"{_fmt(m[k]):>10s}" for k in keys))
    for key in keys[:4]:
        scored = [(m[key], name) for name, m in result["baselines"].items() if m[key] is not None]
        ours = result["ranker"][key]
        if scored and ours is not None:
            best, name = max(scored)
            verdict = "beats" if ours > best else "does NOT beat"
            print(f"{key}: ranker {ours:.3f} {verdict} best baseline {name} {best:.3f}")
    if "ranker_text" in result:
        with_, without = result["ranker"][keys[0]], result["ranker_text"][keys[0]]
        print(f"semantic signal: {keys[0]} {with_:.3f} with, {without:.3f} without")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
