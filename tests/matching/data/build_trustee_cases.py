"""Build ``trustee-cases.json`` (the benchmark format of ``shared/data/README.md``) from the
hand-written ``trustee-cases-source.json``.

The source holds UK trustee needs and volunteer profiles in people's own words, each with its
truth written by hand: the region a place is really in, and the skills a person really has (at
what level) or a role really requires. Look-alikes copy a profile and change what makes it fail a
hard need (another region, won't attend remotely, too few hours, or other skills). Grades and
preferences come from the truth alone, never from the ranker:

- a pair that cannot work (in-person role elsewhere, won't attend remotely and the role is
  elsewhere, under half the hours, none of the required skills) is grade 0;
- otherwise coverage of the required skills (expert or practitioner 1, learning 0.4) gives
  grade 3 when full, 2 from a half, 1 when some;
- preferences: each feasible profile of grade 2 or more above its own look-alikes that fail a
  hard need; then other feasible ones above others that fail one (grade 2 or more by skills),
  and grade 3 above grade 1; at most ``MAX_PREFS`` per need, in that order.

Usage: ``python tests/matching/data/build_trustee_cases.py`` (rewrites the JSON beside it).
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

HERE = Path(__file__).parent
FIELDS = ("id", "headline", "bio", "skills", "causes", "region", "remote_ok", "hours_per_month",
          "board_experience")
NEED_FIELDS = ("id", "split", "title", "description", "skills_required", "skills_desired",
               "causes", "region", "remote_ok", "hours_per_month")
LEVEL_CREDIT = {"expert": 1.0, "practitioner": 1.0, "learning": 0.4}
MAX_PREFS = 30


def expand(source: dict) -> list[dict]:
    """The hand-written profiles followed by their look-alikes."""
    by_id = {p["id"]: p for p in source["profiles"]}
    out = list(source["profiles"])
    for spec in source["lookalikes"]:
        twin = copy.deepcopy(by_id[spec["of"]])
        change = dict(spec["change"])
        twin["id"] = spec["id"]
        if "truth_skills" in change:
            twin["truth"]["skills"] = change.pop("truth_skills")
        twin.update(change)
        if "true_region" in spec:
            twin["truth"]["region"] = spec["true_region"]
        twin["lookalike_of"] = spec["of"]
        out.append(twin)
    return out


def can_attend(need: dict, person: dict) -> bool:
    """The hard needs of place and time, judged on the truth."""
    nr, vr = need["truth"]["region"], person["truth"]["region"]
    apart = nr is not None and vr is not None and nr != vr
    if apart and (need["remote_ok"] is False or person["remote_ok"] is False):
        return False
    hours = person["hours_per_month"]
    return hours is None or hours >= need["hours_per_month"] / 2


def can_work(need: dict, person: dict) -> bool:
    """Every hard need, judged on the truth: place, time and some of the required skills."""
    held = set(person["truth"]["skills"])
    return can_attend(need, person) and bool(set(need["truth"]["required"]) & held)


def skill_grade(need: dict, person: dict) -> int:
    """The grade the skills alone would give."""
    held = person["truth"]["skills"]
    required = need["truth"]["required"]
    cover = sum(LEVEL_CREDIT[held[s]] for s in required if s in held) / len(required)
    return 3 if cover >= 1 else 2 if cover >= 0.5 else 1 if cover > 0 else 0


def build(source: dict) -> dict:
    people = expand(source)
    twin_of = {p["id"]: p.get("lookalike_of") for p in people}
    qrels, prefs = [], []
    for need in source["needs"]:
        grades = {p["id"]: (skill_grade(need, p), can_work(need, p)) for p in people}
        for pid, (grade, ok) in grades.items():
            if grade and ok:
                qrels.append({"need": need["id"], "volunteer": pid, "grade": grade})
        good = [pid for pid, (g, ok) in grades.items() if ok and g >= 2]
        blocked = [pid for pid, (g, ok) in grades.items() if not ok and g >= 2]
        best = [pid for pid, (g, ok) in grades.items() if ok and g == 3]
        some = [pid for pid, (g, ok) in grades.items() if ok and g == 1]
        twins = [(twin_of[b], b) for b in blocked if twin_of.get(b) in good]
        pairs = twins + [(a, b) for a in good for b in blocked if (a, b) not in twins]
        pairs += [(a, b) for a in best for b in some]
        prefs += [{"need": need["id"], "better": a, "worse": b} for a, b in pairs[:MAX_PREFS]]
    return {
        "name": "trustee-cases",
        "source": "hand-written for TrusteeMatch (tests/matching/data/trustee-cases-source.json)",
        "about": "UK trustee needs and volunteer profiles in people's own words, with look-alike "
                 "profiles that fail a hard need; graded from hand-written truth.",
        "volunteers": [{k: p[k] for k in FIELDS if p.get(k) is not None} for p in people],
        "needs": [{k: n[k] for k in NEED_FIELDS if n.get(k) is not None}
                  for n in source["needs"]],
        "qrels": qrels,
        "preferences": prefs,
    }


def main() -> None:
    source = json.loads((HERE / "trustee-cases-source.json").read_text(encoding="utf-8"))
    out = build(source)
    (HERE / "trustee-cases.json").write_text(
        json.dumps(out, indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    print(f"{len(out['needs'])} needs, {len(out['volunteers'])} volunteers, "
          f"{len(out['qrels'])} graded pairs, {len(out['preferences'])} preferences")


if __name__ == "__main__":
    main()
