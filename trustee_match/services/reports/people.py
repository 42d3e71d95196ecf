"""Reports on people's progress: the funnel, days to introduction, replies from each side."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import and_, exists, func, select

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
    reached,
    share,
)


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
            func.count(User.id).filter(exists().where(of_volunteer, reached(S.APPROVED))),
            func.count(User.id).filter(
                exists().where(of_volunteer, Match.introduced_at.is_not(None))
            ),
            func.count(User.id).filter(exists().where(of_volunteer, reached(S.APPOINTED))),
        )
        .select_from(User)
        .outerjoin(profile, profile.user_id == User.id)
        .where(User.role == Role.VOLUNTEER, *in_months(month_of(User.created_at), filters))
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
        table.rows.append([step, count, share(count, counts[0]), share(count, before)])
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
            Need.published_at.is_not(None), *need_conditions(filters), *in_months(month, filters)
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
