"""A need's best candidates from one snapshot of the index, and the proposals made from them."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from matching.ranker import Scored
from matching.reasons import explain
from matching.records import NeedRecord, Proposal, VolunteerRecord


def make_proposal(
    snap, need, volunteer, scored: Scored, at: int, evidence=None, wanted=None, causes=None
) -> Proposal:
    """The proposal for the pair whose values sit at position ``at`` of ``scored`` (see
    :func:`~matching.reasons.explain` for what may be passed when already known)."""
    breakdown = {
        name: (round(float(v[at]), 4) if known[at] else None)
        for name, (v, known) in scored.signals.items()
    }
    blockers = int(scored.blockers[at])
    reasons = explain(
        need, volunteer, breakdown, snap.encoder, evidence, wanted, blockers, causes
    )
    return Proposal(
        need_id=need.id,
        volunteer_id=volunteer.id,
        score=float(scored.score[at]),
        breakdown=breakdown,
        reasons=reasons.staff,
        reasons_for_volunteer=reasons.volunteer,
        feasible=blockers == 0,
        why_not=reasons.why_not,
    )


@dataclass(frozen=True)
class Shortlist:
    """The best volunteers for one need, best first, read from one snapshot.

    Attributes
    ----------
    need : NeedRecord
    volunteer_ids : list of str
        Best first: every feasible candidate before any infeasible one, then by score.
    scores : ndarray of float
        The combined score of each, in [0, 1].
    feasible : ndarray of bool
        Whether each can meet the need's hard needs (see :mod:`matching.feasibility`).

    Proposals (with their reasons) are made only when asked for, so a caller that looks at
    many candidates and keeps a few pays for the reasons of the few.
    """

    need: NeedRecord
    volunteer_ids: list[str]
    scores: np.ndarray
    feasible: np.ndarray
    _snap: object
    _scored: Scored  # values for the shortlisted rows only, in shortlist order
    _rows: np.ndarray
    _wanted: tuple[frozenset[str], frozenset[str]]  # the need's required and desired skills
    _causes: frozenset[str]  # the need's causes

    def __len__(self) -> int:
        return len(self.volunteer_ids)

    def proposal(self, i: int) -> Proposal:
        """The proposal for the i-th candidate (0 is the best)."""
        row = int(self._rows[i])
        volunteers = self._snap.volunteers
        volunteer: VolunteerRecord = volunteers.record_at(row)
        causes = (self._causes, self._snap.encoder.causes_of(volunteer))
        return make_proposal(
            self._snap, self.need, volunteer, self._scored, i, volunteers.store.slugs[row],
            self._wanted, causes,
        )

    def proposals(self) -> list[Proposal]:
        """Every candidate's proposal, best first."""
        return [self.proposal(i) for i in range(len(self))]
