"""Reports on people's progress: the funnel, days to introduction, replies from each side."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import and_, case, func, select

from ...extensions import db
from ...models import (
    Cause,
    Match,
    MatchTransition,
    Need,
    Role,
    User,
    VolunteerProfile,
    volunteer_causes,
)
from ...models.volunteer import VolunteerSkill
from .common import (
    ReportFilters,
    S,
    Table,
    in_months,
    median_days,
    month_of,
    need_conditions,
    reached_by_match,
    share,
)


def _of_volunteers(query, filters: ReportFilters):
    """Narrow a query over volunteers (joined to their profiles) to the filters' region and
    cause, and to those who signed up in the filters' months."""
    query = query.where(User.role == Role.VOLUNTEER, *in_months(month_of(User.created_at), filters))
    if filters.region:
        query = query.where(VolunteerProfile.region == filters.region)
    if filters.cause:
        query = query.where(
            VolunteerProfile.id.in_(
                select(volunteer_causes.c.profile_id)
                .join(Cause, Cause.id == volunteer_causes.c.cause_id)
                .where(Cause.slug == filters.cause)
            )
        )
    return query


def volunteers_signed_up(filters: ReportFilters) -> int:
    """How many volunteers signed up (under the filters)."""
    query = (
        select(func.count(User.id))
        .select_from(User)
        .outerjoin(VolunteerProfile, VolunteerProfile.user_id == User.id)
    )
    return db.session.scalar(_of_volunteers(query, filters)) or 0


def funnel(filters: ReportFilters) -> Table:
    """Volunteers at each step: signed up, profile complete, proposed, approved, introduced,
    appointed. Region and cause are the volunteer's; the months are those they signed up in."""
    profile = VolunteerProfile
    steps_of = reached_by_match()
    # One row per volunteer with any match: which steps any of their matches reached.
    reached_steps = (
        select(
            Match.volunteer_id,
            func.max(func.coalesce(steps_of.c.approved, 0)).label("approved"),
            func.max(case((Match.introduced_at.is_not(None), 1), else_=0)).label("introduced"),
            func.max(func.coalesce(steps_of.c.appointed, 0)).label("appointed"),
        )
        .select_from(Match)
        .outerjoin(steps_of, steps_of.c.match_id == Match.id)
        .group_by(Match.volunteer_id)
        .subquery()
    )
    complete = and_(
        profile.headline != "",
        profile.region.is_not(None),
        profile.hours_per_month > 0,
        profile.id.in_(select(VolunteerSkill.profile_id)),
    )
    query = (
        select(
            func.count(User.id),
            func.count(User.id).filter(complete),
            func.count(reached_steps.c.volunteer_id),
            func.count(User.id).filter(reached_steps.c.approved == 1),
            func.count(User.id).filter(reached_steps.c.introduced == 1),
            func.count(User.id).filter(reached_steps.c.appointed == 1),
        )
        .select_from(User)
        .outerjoin(profile, profile.user_id == User.id)
        .outerjoin(reached_steps, reached_steps.c.volunteer_id == User.id)
    )
    counts = db.session.execute(_of_volunteers(query, filters)).one()
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
        table.rows.append([step, count, share(count, counts[0]), share(count, before)])
    return table


def time_to_introduction(filters: ReportFilters) -> Table:
    """Median days from a role being posted to its first introduction, and to its first
    appointment, by the month it was posted."""
    first_intro = (
        select(Match.need_id, func.min(Match.introduced_at).label("at"))
        .where(Match.introduced_at.is_not(None))
        .group_by(Match.need_id)
        .subquery()
    )
    first_appointed = (
        select(Match.need_id, func.min(MatchTransition.created_at).label("at"))
        .select_from(Match)
        .join(MatchTransition, MatchTransition.match_id == Match.id)
        .where(MatchTransition.to_state == S.APPOINTED)
        .group_by(Match.need_id)
        .subquery()
    )
    month = month_of(Need.published_at)
    posted = (
        Need.published_at.is_not(None),
        *need_conditions(filters),
        *in_months(month, filters),
    )
    by_month: dict[str, list] = defaultdict(lambda: [0, [], []])
    for key, count in db.session.execute(
        select(month, func.count()).select_from(Need).where(*posted).group_by(month)
    ):
        by_month[key][0] += count
        by_month["All months"][0] += count
    # The durations themselves, only for the roles that have one.
    rows = db.session.execute(
        select(month, Need.published_at, first_intro.c.at, first_appointed.c.at)
        .select_from(Need)
        .outerjoin(first_intro, first_intro.c.need_id == Need.id)
        .outerjoin(first_appointed, first_appointed.c.need_id == Need.id)
        .where(*posted, first_intro.c.at.is_not(None) | first_appointed.c.at.is_not(None))
    ).all()
    for key, published, intro, appointed in rows:
        for bucket in (by_month[key], by_month["All months"]):
            if intro is not None:
                bucket[1].append((intro - published).total_seconds())
            if appointed is not None:
                bucket[2].append((appointed - published).total_seconds())
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
                median_days(intros),
                posted,
                len(intros),
                median_days(appointments),
                len(appointments),
            ]
        )
    return table


def replies(filters: ReportFilters) -> Table:
    """For matches sent to both sides: how many each side answered, accepted, and the median
    days they took; by the month the match was sent."""
    first_sent = (
        select(MatchTransition.match_id, func.min(MatchTransition.created_at).label("sent_at"))
        .where(MatchTransition.to_state == S.AWAITING_REPLIES)
        .group_by(MatchTransition.match_id)
        .subquery()
    )
    sent = (
        select(
            first_sent.c.sent_at,
            Match.volunteer_reply,
            Match.volunteer_replied_at,
            Match.charity_reply,
            Match.charity_replied_at,
        )
        .select_from(Match)
        .join(first_sent, first_sent.c.match_id == Match.id)
        .join(Need, Need.id == Match.need_id)
        .where(*need_conditions(filters))
        .subquery()
    )
    month = month_of(sent.c.sent_at)
    rows = db.session.execute(
        select(month, sent).where(sent.c.sent_at.is_not(None), *in_months(month, filters))
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
                share(v[0], b["sent"]),
                b["sent"],
                share(v[1], b["sent"]),
                median_days(v[2]),
                share(c[0], b["sent"]),
                share(c[1], b["sent"]),
                median_days(c[2]),
            ]
        )
    return table
