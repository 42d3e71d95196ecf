"""Reports on the ranker: the share of its proposals staff approved, by place, month, version."""

from __future__ import annotations

from sqlalchemy import func, select

from ...extensions import db
from ...models import Match, Need
from .common import (
    ReportFilters,
    S,
    Table,
    in_months,
    month_of,
    need_conditions,
    reached_by_match,
    share,
)

Counts = list[tuple]  # (place, month, version, approved, rejected), one row per group


def acceptance_counts(filters: ReportFilters) -> Counts:
    """The ranker's reviewed proposals (approved or rejected by staff), counted once per place,
    month and weights version: one query, which the three tables regroup."""
    steps = reached_by_match()
    approved = func.coalesce(steps.c.approved, 0) == 1
    rejected = Match.state == S.REJECTED
    month = month_of(Match.created_at)
    keys = (Match.rank_position, month, Match.weights_version)
    return [
        tuple(row)
        for row in db.session.execute(
            select(
                *keys,
                func.count(Match.id).filter(approved),
                func.count(Match.id).filter(rejected),
            )
            .select_from(Match)
            .join(Need, Need.id == Match.need_id)
            .outerjoin(steps, steps.c.match_id == Match.id)
            .where(
                Match.source == "ranker",
                approved | rejected,
                *need_conditions(filters),
                *in_months(month, filters),
            )
            .group_by(*keys)
        )
    ]


def _acceptance(counts: Counts, by, order, label: str, key: str, title: str) -> Table:
    """Regroup the counts by `by(row)`, in `order` (a sort key for the group names)."""
    merged: dict[str, list[int]] = {}
    for row in counts:
        bucket = merged.setdefault(by(row), [0, 0])
        bucket[0] += row[3]
        bucket[1] += row[4]
    table = Table(
        key,
        title,
        "Of the ranker's proposals staff reviewed: the share they approved.",
        [label, "Approved (%)", "Reviewed", "Approved", "Rejected"],
        chart_unit="% approved",
    )
    for name in sorted(merged, key=order):
        a, r = merged[name]
        table.rows.append([name, share(a, a + r), a + r, a, r])
    return table


_PLACES = ["1", "2", "3", "4", "5", "6 to 10", "11 or lower", "Not recorded"]


def _place(row: tuple) -> str:
    position = row[0]
    if position is None:
        return "Not recorded"
    return str(position) if position <= 5 else ("6 to 10" if position <= 10 else "11 or lower")


def _version(row: tuple) -> str:
    version = row[2]
    if version is None:
        return "Not recorded"
    return "Default weights" if version == 0 else f"Version {version}"


def _version_order(name: str) -> tuple[int, int]:
    if name == "Default weights":
        return (0, 0)
    if name == "Not recorded":
        return (2, 0)
    return (1, int(name.removeprefix("Version ")))


def acceptance_by_rank(filters: ReportFilters, counts: Counts | None = None) -> Table:
    """Share approved by the proposal's place in its role's list (1 = the ranker's best)."""
    return _acceptance(
        acceptance_counts(filters) if counts is None else counts,
        _place,
        _PLACES.index,
        "Place in the role's list",
        "acceptance_by_rank",
        "Ranker proposals approved, by place in the list",
    )


def acceptance_by_month(filters: ReportFilters, counts: Counts | None = None) -> Table:
    return _acceptance(
        acceptance_counts(filters) if counts is None else counts,
        lambda row: row[1],
        lambda name: name,
        "Month proposed",
        "acceptance_by_month",
        "Ranker proposals approved, by month",
    )


def acceptance_by_version(filters: ReportFilters, counts: Counts | None = None) -> Table:
    return _acceptance(
        acceptance_counts(filters) if counts is None else counts,
        _version,
        _version_order,
        "Weights",
        "acceptance_by_version",
        "Ranker proposals approved, by weights version",
    )
