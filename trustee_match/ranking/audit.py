"""Checking the ranker's stored proposals against what users were promised: none asks someone
who can't do the role while enough people who can exist, and no reason shows internal numbers."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import select

from ..extensions import db
from ..models import Cause, Match, MatchState, Skill
from .live_index import live_index

ENOUGH_FEASIBLE = 10  # "ten or more candidates who could", as the complaint put it
_INTERNAL = re.compile(r"\d|shared terms|score", re.IGNORECASE)


@dataclass
class ProposalAudit:
    """Counts over every ranker proposal waiting for review."""

    proposals: int = 0
    infeasible: int = 0  # fails a hard need
    infeasible_with_enough_others: int = 0  # ... while ENOUGH_FEASIBLE others could do it
    internal_terms: int = 0  # a reason (either voice) with a number or a ranker term
    examples: list[str] = field(default_factory=list)


def _vocabulary_names() -> list[str]:
    """Skill and cause names, some with digits of their own ("Microsoft 365")."""
    names = [*db.session.scalars(select(Skill.name)), *db.session.scalars(select(Cause.name))]
    return sorted(names, key=len, reverse=True)


def _shows_internals(reason: str, names: list[str]) -> bool:
    for name in names:
        reason = reason.replace(name, "").replace(name.lower(), "")
    return bool(_INTERNAL.search(reason))


def audit_proposals() -> ProposalAudit:
    """Score every proposal waiting for review against the live index (read only)."""
    index = live_index().get()
    names = _vocabulary_names()
    by_need: dict[int, list[Match]] = defaultdict(list)
    for match in db.session.scalars(
        select(Match).where(Match.state == MatchState.PROPOSED, Match.source == "ranker")
    ):
        by_need[match.need_id].append(match)
    report = ProposalAudit()
    known_needs = set(index.need_ids())
    for need_id, matches in by_need.items():
        report.proposals += len(matches)
        if str(need_id) in known_needs:
            ids, _, feasible = index.score_volunteers(str(need_id), return_feasible=True)
            verdict = dict(zip(ids, feasible, strict=True))
            feasible_count = int(sum(feasible))
        else:
            verdict, feasible_count = {}, 0
        for match in matches:
            if not verdict.get(str(match.volunteer_id), True):
                report.infeasible += 1
                if feasible_count - 1 >= ENOUGH_FEASIBLE:
                    report.infeasible_with_enough_others += 1
            shown = [*match.reasons, *match.volunteer_reasons]
            if any(_shows_internals(r, names) for r in shown):
                report.internal_terms += 1
                if len(report.examples) < 5:
                    report.examples.append(next(r for r in shown if _shows_internals(r, names)))
    return report
