"""Role alerts: emailing volunteers who opted in the new roles that suit them, from the live
index, with the reasons in their own words; each role at most once per volunteer.

`flask alerts send` (every tick, for "as soon as a role appears") and `flask alerts send
--digest` (weekly) run `send_alerts`. Safe to repeat: a role goes into `sent_alerts` in the
same transaction as the email that carries it, so a second run queues nothing new.
"""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import insert, select

from ..email import queue_email
from ..email.links import external_url
from ..extensions import db
from ..models import (
    AlertFrequency,
    Match,
    Need,
    SentAlert,
    User,
    VolunteerProfile,
)
from ..models.base import utcnow
from ..models.ranker_change import ChangeKind
from ..ranking.changes import record_change
from ..ranking.live_index import live_index
from ..ranking.records import open_needs
from .errors import NotAllowed, ServiceError

# A role counts as new for this long after it is published.
NEW_FOR = timedelta(days=14)
# How far down each new role's list of candidates an alert may go: the best few dozen
# subscribers who can meet its hard needs, not everyone the ranker can score.
CANDIDATES_PER_ROLE = 40
ROLES_PER_EMAIL = 5
REASONS_PER_ROLE = 3
COMMIT_EVERY = 500


@dataclass
class AlertRun:
    emails: int = 0
    roles: int = 0  # new roles looked at
    seconds: float = 0.0


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="link:alerts-unsubscribe")


def unsubscribe_token(user: User | int) -> str:
    """A signed token naming the volunteer. It never expires: an unsubscribe link in an old
    email must still work (RFC 8058), and using it twice does no harm."""
    return _serializer().dumps(user if isinstance(user, int) else user.id)


def unsubscribe_url(user_id: int) -> str:
    return external_url("links.unsubscribe_page", token=unsubscribe_token(user_id))


def _volunteer_of(token: str) -> User | None:
    try:
        user_id = _serializer().loads(token)
    except BadSignature:
        return None
    user = db.session.get(User, user_id) if isinstance(user_id, int) else None
    return user if user is not None and user.volunteer_profile is not None else None


def check_unsubscribe(token: str) -> User | None:
    """The volunteer a link is for, or None if it is not a valid link (a GET changes nothing)."""
    return _volunteer_of(token)


def unsubscribe(token: str) -> User | None:
    """Turn the link's volunteer's alerts off; commits. None if the link is not valid."""
    user = _volunteer_of(token)
    if user is None:
        return None
    user.volunteer_profile.alert_frequency = AlertFrequency.OFF
    db.session.commit()
    return user


def update_alert_settings(
    actor: User, frequency: str, paused_until: date | None
) -> None:
    """A volunteer's own alert choice and pause; commits. A pause stops proposals and alerts
    until the day it ends (the tick lifts it then)."""
    profile = actor.volunteer_profile
    if profile is None or not actor.is_volunteer:
        raise NotAllowed("Only volunteers get role alerts.")
    if paused_until is not None and paused_until <= date.today():
        raise ServiceError("Choose a date after today to pause until, or leave it empty.")
    profile.alert_frequency = AlertFrequency(frequency)
    if profile.paused_until != paused_until:
        profile.paused_until = paused_until
        record_change(ChangeKind.VOLUNTEER, actor.id)  # in or out of the ranker's candidates
    db.session.commit()


def lift_ended_pauses(today: date | None = None) -> int:
    """Volunteers whose pause has ended are matched again; commits."""
    today = today or date.today()
    profiles = db.session.scalars(
        select(VolunteerProfile).where(VolunteerProfile.paused_until <= today)
    ).all()
    for profile in profiles:
        profile.paused_until = None
        record_change(ChangeKind.VOLUNTEER, profile.user_id)
    db.session.commit()
    return len(profiles)


def _subscribers(frequency: AlertFrequency, today: date) -> dict[int, tuple[str, str]]:
    """user id -> (display name, email) of every volunteer who wants this kind of alert now."""
    rows = db.session.execute(
        select(VolunteerProfile.user_id, VolunteerProfile.display_name, User.email)
        .join(User, User.id == VolunteerProfile.user_id)
        .where(
            VolunteerProfile.alert_frequency == frequency,
            VolunteerProfile.available.is_(True),
            (VolunteerProfile.paused_until.is_(None)) | (VolunteerProfile.paused_until <= today),
            User.active.is_(True),
            User.email_verified_at.is_not(None),
            User.email_bounced_at.is_(None),
        )
    )
    return {user_id: (name, email) for user_id, name, email in rows.tuples()}


def _taken(need_ids: list[int]) -> set[tuple[int, int]]:
    """(volunteer id, need id) pairs already alerted, or already matched."""
    pairs = set(
        db.session.execute(
            select(SentAlert.volunteer_id, SentAlert.need_id).where(SentAlert.need_id.in_(need_ids))
        ).tuples()
    )
    pairs |= set(
        db.session.execute(
            select(Match.volunteer_id, Match.need_id).where(Match.need_id.in_(need_ids))
        ).tuples()
    )
    return pairs


@dataclass(frozen=True)
class _Pick:
    score: float
    need: Need
    shortlist: object
    at: int


def send_alerts(*, digest: bool, now: datetime | None = None) -> AlertRun:
    """Queue one email per opted-in volunteer with the new roles that suit them; commits."""
    started = time.perf_counter()
    now = now or utcnow()
    run = AlertRun()
    frequency = AlertFrequency.WEEKLY if digest else AlertFrequency.INSTANT
    subscribers = _subscribers(frequency, now.date())
    index = live_index().get()
    in_index = set(index.need_ids())
    fresh = [
        n
        for n in open_needs()
        if n.published_at is not None and n.published_at >= now - NEW_FOR and str(n.id) in in_index
    ]
    run.roles = len(fresh)
    if not subscribers or not fresh:
        run.seconds = time.perf_counter() - started
        return run

    wanted = {str(user_id) for user_id in subscribers}
    others = [v for v in index.volunteer_ids() if v not in wanted]
    taken = _taken([n.id for n in fresh])

    picks: dict[int, list[_Pick]] = defaultdict(list)
    for need in fresh:
        # Who a role suits does not depend on whom we told before: the already-told and the
        # already-matched are left out after choosing, so a later run never goes further down.
        shortlist = index.shortlist(str(need.id), CANDIDATES_PER_ROLE, exclude=others)
        for at, volunteer_id in enumerate(shortlist.volunteer_ids):
            if not shortlist.feasible[at]:
                break  # the rest can't meet the role's hard needs
            if (int(volunteer_id), need.id) not in taken:
                picks[int(volunteer_id)].append(
                    _Pick(float(shortlist.scores[at]), need, shortlist, at)
                )

    pending: list[dict] = []
    for user_id, found in picks.items():
        ranked = sorted(found, key=lambda p: -p.score)
        best = ranked[:ROLES_PER_EMAIL]
        roles = [
            {
                "need": p.need,
                "link": external_url("volunteer.need", need_id=p.need.id),
                "reasons": p.shortlist.proposal(p.at).reasons_for_volunteer[:REASONS_PER_ROLE],
            }
            for p in best
        ]
        _queue_alert(user_id, *subscribers[user_id], roles, len(ranked) - len(best), digest)
        # The ones past the first few are counted in the email ("and 2 more"), so they are
        # told of too: a later run must not send them again.
        pending += [
            {"volunteer_id": user_id, "need_id": p.need.id, "sent_at": now} for p in ranked
        ]
        run.emails += 1
        if run.emails % COMMIT_EVERY == 0:
            db.session.execute(insert(SentAlert), pending)
            db.session.commit()
            pending = []
    if pending:
        db.session.execute(insert(SentAlert), pending)
    db.session.commit()
    run.seconds = time.perf_counter() - started
    return run


def _queue_alert(
    user_id: int, name: str, email: str, roles: list[dict], more: int, digest: bool
) -> None:
    unsubscribe_link = unsubscribe_url(user_id)
    count = len(roles) + more
    subject = (
        f"{count} new trustee role{'s' if count > 1 else ''} that suit you"
        if digest or count > 1
        else f"A new trustee role that suits you: {roles[0]['need'].title}"
    )
    message = queue_email(
        "role_alert",
        email,
        subject=subject[:255],
        to_name=name,
        name=name,
        roles=roles,
        more=more,
        browse=external_url("volunteer.needs"),
        digest=digest,
        unsubscribe=unsubscribe_link,
        settings=external_url("volunteer.alerts"),
        headers={
            # RFC 8058: mail clients offer one-click unsubscribe, POSTing to this address.
            "List-Unsubscribe": f"<{unsubscribe_link}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    message.user_id = user_id  # the volunteer's own email, found by account like the others
