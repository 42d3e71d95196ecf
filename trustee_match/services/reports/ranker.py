"""Reports on the ranker: the share of its proposals staff approved, by place, month, version."""

from __future__ import annotations

from sqlalchemy import func, select

from ...extensions import db
from ...models import Match, Need
from .common import ReportFilters, S, Table, in_months, month_of, need_conditions, reached, share


def _acceptance(filters: ReportFilters, group, label: str, key: str, title: str) -> Table:
    """The ranker's reviewed proposals (approved or rejected by staff), grouped by `group`."""
    approved = reached(S.APPROVED)
    rejected = Match.state == S.REJECTED
    month = month_of(Match.created_at)
    rows = db.session.execute(
        select(
            group,
            func.count(Match.id).filter(approved),
            func.count(Match.id).filter(rejected),
        )
        .join(Need, Need.id == Match.need_id)
        .where(
            Match.source == "ranker",
            approved | rejected,
            *need_conditions(filters),
            *in_months(month, filters),
        )
        .group_by(group)
        .order_by(group)
    ).all()
    table = Table(
        key,
        title,
        "Of the ranker's proposals staff reviewed: the share they approved.",
        [label, "Approved (%)", "Reviewed", "Approved", "Rejected"],
        chart_unit="% approved",
    )
    for value, n_approved, n_rejected in rows:
        reviewed = n_approved + n_rejected
        table.rows.append([value, share(n_approved, reviewed), reviewed, n_approved, n_rejected])
    return table


def _place(position: int | None) -> str:
    if position is None:
        return "Not recorded"
    return str(position) if position <= 5 else ("6 to 10" if position <= 10 else "11 or lower")


def acceptance_by_rank(filters: ReportFilters) -> Table:
    """Share approved by the proposal's place in its role's list (1 = the ranker's best)."""
    table = _acceptance(
        filters,
        Match.rank_position,
        "Place in the role's list",
        "acceptance_by_rank",
        "Ranker proposals approved, by place in the list",
    )
    merged: dict[str, list[int]] = {}
    for position, *_, n_approved, n_rejected in table.rows:
        bucket = merged.setdefault(_place(position), [0, 0])
        bucket[0] += n_approved
        bucket[1] += n_rejected
    order = ["1", "2", "3", "4", "5", "6 to 10", "11 or lower", "Not recorded"]
    table.rows = [
        [place, share(a, a + r), a + r, a, r]
        for place in order
        if place in merged
        for a, r in [merged[place]]
    ]
    return table


def acceptance_by_month(filters: ReportFilters) -> Table:
    return _acceptance(
        filters,
        month_of(Match.created_at),
        "Month proposed",
        "acceptance_by_month",
        "Ranker proposals approved, by month",
    )


def acceptance_by_version(filters: ReportFilters) -> Table:
    table = _acceptance(
        filters,
        Match.weights_version,
        "Weights",
        "acceptance_by_version",
        "Ranker proposals approved, by weights version",
    )
    for row in table.rows:
        row[0] = (
            "Not recorded"
            if row[0] is None
            else ("Default weights" if row[0] == 0 else f"Version {row[0]}")
        )
    return table
