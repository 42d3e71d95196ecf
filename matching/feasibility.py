"""Hard needs: which pairs cannot work, as bit masks over every candidate at once.

A pair is infeasible when the volunteer cannot do what the role needs, whatever the score:

- ``IN_PERSON``: the role meets in person only (need ``remote_ok`` False) and the volunteer is
  in another region;
- ``NO_REMOTE``: the volunteer won't attend remotely (volunteer ``remote_ok`` False) and the
  role is in another region;
- ``HOURS``: the volunteer offers under half the hours a month the role asks for;
- ``SKILLS``: the volunteer lists skills, but none of the role's required ones (ticked, named
  in their profile, or close to one they ticked) while other candidates in the same pool have
  some.

Unknown values (None, no region, no hours, no skills listed) never make a pair infeasible.
Regions are compared as codes of resolved UK regions (see ``places``).

The combined score carries the verdict (``fold``): feasible pairs score in [0.5, 1] and
infeasible ones below 0.49, so any list sorted by score (a ranking, a batch, a staff queue)
puts every pair that can work above every pair that cannot.
"""

from __future__ import annotations

import numpy as np

IN_PERSON = np.uint8(1)
NO_REMOTE = np.uint8(2)
HOURS = np.uint8(4)
SKILLS = np.uint8(8)
ALL = (IN_PERSON, NO_REMOTE, HOURS, SKILLS)
MIN_HOURS_SHARE = 0.5


def blockers(
    need_region, need_remote, volunteer_region, volunteer_remote, volunteer_hours,
    need_hours, has_some_required, n_required, skills_known, pool,
) -> np.ndarray:
    """The hard needs each pair fails, as ``uint8`` bits (0: feasible).

    One side's values may be scalars and the other's arrays (one need against every
    volunteer, or one volunteer against every need). Regions are integer codes (-1 unknown),
    remote flags 1, 0 or -1 (unknown), hours NaN when unknown. ``has_some_required`` says
    whether the volunteer holds any required skill; ``pool`` marks the candidates whose
    skills are compared (the rows allowed for this query).
    """
    out = np.zeros(np.shape(pool), dtype=np.uint8)
    need_region, volunteer_region = np.asarray(need_region), np.asarray(volunteer_region)
    if np.any(need_region >= 0):  # no known region on the role side: no place rule
        apart = (need_region >= 0) & (volunteer_region >= 0) & (need_region != volunteer_region)
        _mark(out, apart & (np.asarray(need_remote) == 0), IN_PERSON)
        _mark(out, apart & (np.asarray(volunteer_remote) == 0), NO_REMOTE)
    if not np.all(np.isnan(need_hours)):
        with np.errstate(invalid="ignore"):
            _mark(out, np.asarray(volunteer_hours) < MIN_HOURS_SHARE * np.asarray(need_hours),
                  HOURS)
    wanted = np.asarray(n_required) > 0
    if np.any(wanted):
        some = np.asarray(has_some_required)
        if np.any(pool & wanted & some):  # others in the pool have some
            _mark(out, wanted & ~some & np.asarray(skills_known), SKILLS)
    return out


def _mark(out: np.ndarray, mask, bit: np.uint8) -> None:
    """Set ``bit`` where ``mask`` holds (a scalar mask sets it everywhere or nowhere)."""
    if np.ndim(mask) == 0:
        if mask:
            out |= bit
        return
    out |= mask.view(np.uint8) * bit


def fold(quality: np.ndarray, blocked: np.ndarray) -> np.ndarray:
    """The score of each pair from its quality in [0, 1] and its blockers: feasible pairs in
    [0.5, 1], infeasible ones in [0, 0.49]."""
    q = np.asarray(quality, dtype=np.float32)
    return np.where(blocked == 0, np.float32(0.5) + np.float32(0.5) * q, np.float32(0.49) * q)
