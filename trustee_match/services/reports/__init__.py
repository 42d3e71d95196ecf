"""The staff reports: each a table of figures (which the page charts and the CSV repeats).
common.py holds the filters and shapes, people.py and ranker.py the reports themselves.

Counts are SQL aggregates grouped by month in the database. Medians need the durations
themselves (SQLite has no median aggregate), so one narrow query per report fetches them and
Python takes the median. Every report costs a fixed number of queries, whatever the data.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from ...extensions import db
from ...models import Match, MatchTransition, Need
from .common import Bar, ReportFilters, S, Table, bars, in_months, month_of, need_conditions
from .people import funnel, replies, time_to_introduction, volunteers_signed_up
from .ranker import (
    acceptance_by_month,
    acceptance_by_rank,
    acceptance_by_version,
    acceptance_counts,
)

__all__ = ["REPORTS", "Bar", "Impact", "ReportFilters", "Table", "all_reports", "bars", "impact"]

REPORTS = {
    "funnel": funnel,
    "time_to_introduction": time_to_introduction,
    "replies": replies,
    "acceptance_by_rank": acceptance_by_rank,
    "acceptance_by_month": acceptance_by_month,
    "acceptance_by_version": acceptance_by_version,
}


def all_reports(filters: ReportFilters) -> list[Table]:
    """Every report, in the order the page shows them (the three ranker tables share one
    query)."""
    counts = acceptance_counts(filters)
    return [
        funnel(filters),
        time_to_introduction(filters),
        replies(filters),
        acceptance_by_rank(filters, counts),
        acceptance_by_month(filters, counts),
        acceptance_by_version(filters, counts),
    ]


@dataclass(frozen=True)
class Impact:
    appointments: int
    charities_served: int
    hours_pledged: int  # hours a month, summed over the appointed roles
    introductions: int
    volunteers: int


def impact(filters: ReportFilters) -> Impact:
    """The funders' figures: appointments (by the month they were recorded), the charities
    they served, the hours a month they pledge; introductions and volunteers signed up."""
    appointed_at = MatchTransition.created_at
    appointments = (
        select(Match.id, Need.charity_id, Need.hours_per_month)
        .join(MatchTransition, MatchTransition.match_id == Match.id)
        .join(Need, Need.id == Match.need_id)
        .where(
            MatchTransition.to_state == S.APPOINTED,
            *need_conditions(filters),
            *in_months(month_of(appointed_at), filters),
        )
        .distinct()
        .subquery()
    )
    n, charities, hours = db.session.execute(
        select(
            func.count(appointments.c.id),
            func.count(appointments.c.charity_id.distinct()),
            func.coalesce(func.sum(appointments.c.hours_per_month), 0),
        )
    ).one()
    introductions = db.session.scalar(
        select(func.count(Match.id))
        .join(Need, Need.id == Match.need_id)
        .where(
            Match.introduced_at.is_not(None),
            *need_conditions(filters),
            *in_months(month_of(Match.introduced_at), filters),
        )
    )
    volunteers = volunteers_signed_up(filters)
    return Impact(n, charities, int(hours), introductions or 0, volunteers)
