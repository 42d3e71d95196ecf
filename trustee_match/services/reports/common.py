"""What every report shares: the filters, the table and chart shapes, and SQL pieces."""

from __future__ import annotations

from dataclasses import dataclass, field
from statistics import median

from sqlalchemy import case, exists, func, select
from sqlalchemy.sql import ColumnElement

from ...extensions import db
from ...models import Cause, Match, MatchState, MatchTransition, Need, need_causes

S = MatchState
DAY = 86400.0


@dataclass(frozen=True)
class ReportFilters:
    cause: str = ""  # a cause slug
    region: str = ""
    since: str = ""  # "YYYY-MM", inclusive
    until: str = ""  # "YYYY-MM", inclusive

    def as_args(self) -> dict[str, str]:
        """The filters as query-string arguments (the CSV links carry them)."""
        return {k: v for k, v in vars(self).items() if v}


@dataclass
class Table:
    """One report: its table, and which column the chart draws (by the first column)."""

    key: str
    title: str
    summary: str
    columns: list[str]
    rows: list[list] = field(default_factory=list)
    chart_column: int = 1
    chart_unit: str = ""

    @property
    def chart(self) -> list[tuple[str, float]]:
        """(label, value) for each row with a value in the charted column."""
        return [
            (str(row[0]), float(row[self.chart_column]))
            for row in self.rows
            if isinstance(row[self.chart_column], int | float)
        ]


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    y: int  # the bar's top, in the chart's own units
    width: float  # of BAR_SPACE, in proportion to the largest value


BAR_SPACE, BAR_STEP = 300, 28


def bars(table: Table) -> list[Bar]:
    """The chart's bars, laid out: what the SVG template draws."""
    data = table.chart
    top = max((value for _, value in data), default=0) or 1
    return [
        Bar(label, value, 8 + i * BAR_STEP, round(BAR_SPACE * value / top, 1))
        for i, (label, value) in enumerate(data)
    ]


def month_of(column) -> ColumnElement[str]:
    """'YYYY-MM' of a timestamp, in UTC, on either database."""
    if db.engine.dialect.name == "postgresql":
        return func.to_char(func.timezone("UTC", column), "YYYY-MM")
    return func.strftime("%Y-%m", column)


def in_months(month: ColumnElement[str], filters: ReportFilters) -> list[ColumnElement[bool]]:
    conditions = []
    if filters.since:
        conditions.append(month >= filters.since)
    if filters.until:
        conditions.append(month <= filters.until)
    return conditions


def need_conditions(filters: ReportFilters) -> list[ColumnElement[bool]]:
    conditions = []
    if filters.region:
        conditions.append(Need.region == filters.region)
    if filters.cause:
        conditions.append(
            Need.id.in_(
                select(need_causes.c.need_id)
                .join(Cause, Cause.id == need_causes.c.cause_id)
                .where(Cause.slug == filters.cause)
            )
        )
    return conditions


def reached(state: MatchState) -> ColumnElement[bool]:
    return exists().where(MatchTransition.match_id == Match.id, MatchTransition.to_state == state)


def reached_by_match():
    """Per match that reached them: whether it was ever approved, ever appointed (one pass
    over the history, not a lookup per row)."""
    t = MatchTransition
    return (
        select(
            t.match_id,
            func.max(case((t.to_state == S.APPROVED, 1), else_=0)).label("approved"),
            func.max(case((t.to_state == S.APPOINTED, 1), else_=0)).label("appointed"),
        )
        .where(t.to_state.in_([S.APPROVED, S.APPOINTED]))
        .group_by(t.match_id)
        .subquery()
    )


def share(part: int, whole: int) -> float | str:
    return round(100.0 * part / whole, 1) if whole else "—"


def median_days(seconds: list[float]) -> float | str:
    return round(median(seconds) / DAY, 1) if seconds else "—"
