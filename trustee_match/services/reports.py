"""The staff reports: each a table of figures (which the page charts and the CSV repeats).

Counts are SQL aggregates grouped by month in the database. Medians need the durations
themselves (SQLite has no median aggregate), so one narrow query per report fetches them and
Python takes the median. Every report costs a fixed number of queries, whatever the data.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from statistics import median

from sqlalchemy import and_, exists, func, select
from sqlalchemy.sql import ColumnElement

from ..extensions import db
from ..models import (
    Cause,
    Match,
    MatchState,
    MatchTransition,
    Need,
    Role,
    User,
    VolunteerProfile,
    need_causes,
    volunteer_causes,
)
from ..models.volunteer import VolunteerSkill

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


def _in_months(month: ColumnElement[str], filters: ReportFilters) -> list[ColumnElement[bool]]:
    conditions = []
    if filters.since:
        conditions.append(month >= filters.since)
    if filters.until:
        conditions.append(month <= filters.until)
    return conditions


def _need_conditions(filters: ReportFilters) -> list[ColumnElement[bool]]:
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


def _reached(state: MatchState) -> ColumnElement[bool]:
    return exists().where(MatchTransition.match_id == Match.id, MatchTransition.to_state == state)


def _share(part: int, whole: int) -> float | str:
    return round(100.0 * part / whole, 1) if whole else "—"


def _median_days(seconds: list[float]) -> float | str:
    return round(median(seconds) / DAY, 1) if seconds else "—"


def funnel(filters: ReportFilters) -> Table:
    """Volunteers at each step: signed up, profile complete, proposed, approved, introduced,
    appointed. Region and cause are the volunteer's; the months are those they signed up in."""
    profile = VolunteerProfile
    of_volunteer = Match.volunteer_id == User.id
    complete = and_(
        profile.headline != "",
        profile.region.is_not(None),
        profile.hours_per_month > 0,
        exists().where(VolunteerSkill.profile_id == profile.id),
    )
    query = (
        select(
            func.count(User.id),
            func.count(User.id).filter(complete),
            func.count(User.id).filter(exists().where(of_volunteer)),
            func.count(User.id).filter(exists().where(of_volunteer, _reached(S.APPROVED))),
            func.count(User.id).filter(
                exists().where(of_volunteer, Match.introduced_at.is_not(None))
            ),
            func.count(User.id).filter(exists().where(of_volunteer, _reached(S.APPOINTED))),
        )
        .select_from(User)
        .outerjoin(profile, profile.user_id == User.id)
        .where(User.role == Role.VOLUNTEER, *_in_months(month_of(User.created_at), filters))
    )
    if filters.region:
        query = query.where(profile.region == filters.region)
    if filters.cause:
        query = query.where(
            profile.id.in_(
                select(volunteer_causes.c.profile_id)
                .join(Cause, Cause.id == volunteer_causes.c.cause_id)
                .where(Cause.slug == filters.cause)
            )
        )
    counts = db.session.execute(query).one()
    steps = ["Signed up", "Profile complete", "Proposed", "Approved", "Introduced", "Appointed"]
    table = Table(
        "funnel",
        "From sign-up to appointment",
        "How many volunteers reached each step.",
        ["Step", "Volunteers", "% of signed up", "% of the step before"],
        chart_unit="volunteers",
    )
    for i, (step, count) in enumerate(zip(steps, counts, strict=True)):
        before = counts[i - 1] if i else count
        table.rows.append([step, count, _share(count, counts[0]), _share(count, before)])
    return table


def time_to_introduction(filters: ReportFilters) -> Table:
    """Median days from a role being posted to its first introduction, and to its first
    appointment, by the month it was posted."""
    first_intro = (
        select(func.min(Match.introduced_at)).where(Match.need_id == Need.id).scalar_subquery()
    )
    first_appointed = (
        select(func.min(MatchTransition.created_at))
        .join(Match, Match.id == MatchTransition.match_id)
        .where(Match.need_id == Need.id, MatchTransition.to_state == S.APPOINTED)
        .scalar_subquery()
    )
    month = month_of(Need.published_at)
    rows = db.session.execute(
        select(month, Need.published_at, first_intro, first_appointed).where(
            Need.published_at.is_not(None), *_need_conditions(filters), *_in_months(month, filters)
        )
    ).all()
    by_month: dict[str, list] = defaultdict(lambda: [0, [], []])
    for key, posted, intro, appointed in rows:
        for bucket in (by_month[key], by_month["All months"]):
            bucket[0] += 1
            if intro is not None:
                bucket[1].append((intro - posted).total_seconds())
            if appointed is not None:
                bucket[2].append((appointed - posted).total_seconds())
    table = Table(
        "time_to_introduction",
        "Days from a role posted to its first introduction",
        "Median days, by the month the role was posted.",
        [
            "Month posted",
            "Median days to first introduction",
            "Roles posted",
            "Roles with an introduction",
            "Median days to first appointment",
            "Roles with an appointment",
        ],
        chart_unit="days",
    )
    for key in [*sorted(k for k in by_month if k != "All months"), "All months"]:
        if key not in by_month:
            continue
        posted, intros, appointments = by_month[key]
        table.rows.append(
            [
                key,
                _median_days(intros),
                posted,
                len(intros),
                _median_days(appointments),
                len(appointments),
            ]
        )
    return table


def replies(filters: ReportFilters) -> Table:
    """For matches sent to both sides: how many each side answered, accepted, and the median
    days they took; by the month the match was sent."""
    sent_at = (
        select(func.min(MatchTransition.created_at))
        .where(MatchTransition.match_id == Match.id, MatchTransition.to_state == S.AWAITING_REPLIES)
        .scalar_subquery()
    )
    sent = (
        select(
            sent_at.label("sent_at"),
            Match.volunteer_reply,
            Match.volunteer_replied_at,
            Match.charity_reply,
            Match.charity_replied_at,
        )
        .join(Need, Need.id == Match.need_id)
        .where(*_need_conditions(filters))
        .subquery()
    )
    month = month_of(sent.c.sent_at)
    rows = db.session.execute(
        select(month, sent).where(sent.c.sent_at.is_not(None), *_in_months(month, filters))
    ).all()
    by_month: dict[str, dict] = defaultdict(
        lambda: {"sent": 0, "volunteer": [0, 0, []], "charity": [0, 0, []]}
    )
    for key, at, v_reply, v_at, c_reply, c_at in rows:
        for bucket in (by_month[key], by_month["All months"]):
            bucket["sent"] += 1
            for side, reply, when in (("volunteer", v_reply, v_at), ("charity", c_reply, c_at)):
                if reply is not None:
                    bucket[side][0] += 1
                    bucket[side][1] += reply == "accepted"
                    if when is not None:
                        bucket[side][2].append((when - at).total_seconds())
    table = Table(
        "replies",
        "Replies from each side",
        "Of the matches sent to both sides: the share each side answered and accepted, and "
        "the median days to answer, by the month sent.",
        [
            "Month sent",
            "Volunteers who replied (%)",
            "Sent",
            "Volunteers who accepted (%)",
            "Volunteers' median days to reply",
            "Charities who replied (%)",
            "Charities who accepted (%)",
            "Charities' median days to reply",
        ],
        chart_unit="% replied",
    )
    for key in [*sorted(k for k in by_month if k != "All months"), "All months"]:
        if key not in by_month:
            continue
        b = by_month[key]
        v, c = b["volunteer"], b["charity"]
        table.rows.append(
            [
                key,
                _share(v[0], b["sent"]),
                b["sent"],
                _share(v[1], b["sent"]),
                _median_days(v[2]),
                _share(c[0], b["sent"]),
                _share(c[1], b["sent"]),
                _median_days(c[2]),
            ]
        )
    return table


def _acceptance(filters: ReportFilters, group, label: str, key: str, title: str) -> Table:
    """The ranker's reviewed proposals (approved or rejected by staff), grouped by `group`."""
    approved = _reached(S.APPROVED)
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
            *_need_conditions(filters),
            *_in_months(month, filters),
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
        table.rows.append([value, _share(n_approved, reviewed), reviewed, n_approved, n_rejected])
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
        [place, _share(a, a + r), a + r, a, r]
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


REPORTS = {
    "funnel": funnel,
    "time_to_introduction": time_to_introduction,
    "replies": replies,
    "acceptance_by_rank": acceptance_by_rank,
    "acceptance_by_month": acceptance_by_month,
    "acceptance_by_version": acceptance_by_version,
}


def all_reports(filters: ReportFilters) -> list[Table]:
    """Every report, in the order the page shows them."""
    return [build(filters) for build in REPORTS.values()]


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
            *_need_conditions(filters),
            *_in_months(month_of(appointed_at), filters),
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
            *_need_conditions(filters),
            *_in_months(month_of(Match.introduced_at), filters),
        )
    )
    volunteers = funnel(filters).rows[0][1]
    return Impact(n, charities, int(hours), introductions or 0, volunteers)
