"""Time-driven steps: reminders, expiry at the deadline (staff are told too), the outcome
question, fresh listings, a ranker run for needs nobody has been proposed for yet, and the
staff's daily digest (once a day)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select

from ..db_locks import only_one
from ..extensions import db
from ..models import Match, MatchState
from ..models.base import utcnow
from ..ranking.changes import prune_changes
from ..ranking.runs import queue_run_for_new_needs
from ..services.alerts import lift_ended_pauses
from ..services.board_audit import remind_terms_ending
from ..services.errors import InvalidTransition
from ..services.listings import ask_still_recruiting, close_past_closing_date
from ..services.staff_digest import send_daily_digest, tell_staff_of_expiry
from . import emails
from .state import move


@dataclass
class ScheduleReport:
    reminded: int = 0
    expired: int = 0
    outcome_asked: int = 0
    new_needs_queued: int = 0  # open needs with no match yet, in a ranker run just queued
    changes_pruned: int = 0  # old rows of the ranker's change log
    digests_sent: int = 0  # staff digests queued (the first tick of a UTC day)
    roles_closed: int = 0  # past their closing date
    recruiting_asked: int = 0  # open 60 days: "still recruiting?"
    terms_ending: int = 0  # trustees whose term ends in three months
    pauses_lifted: int = 0  # volunteers matched again from today
    already_running: bool = False  # another tick held the lock: this one did nothing


def run_schedule(now: datetime | None = None) -> ScheduleReport:
    """One tick of the clock (`flask matches tick`, or the development background thread):
    the due match steps, a ranker run for new needs, and pruning the ranker's change log.

    Two ticks at once (a deploy's old and new schedule overlapping, or one run by hand) would
    each find today's digest unsent and the same reminders due: the second does nothing."""
    with only_one("matches-tick") as mine:
        if not mine:
            return ScheduleReport(already_running=True)
        return _tick(now)


def _tick(now: datetime | None) -> ScheduleReport:
    report = process_due_matches(now)
    report.roles_closed = close_past_closing_date(now.date() if now else None)
    report.recruiting_asked = ask_still_recruiting(now)
    report.terms_ending = remind_terms_ending(now.date() if now else None)
    report.pauses_lifted = lift_ended_pauses(now.date() if now else None)
    run = queue_run_for_new_needs()
    report.new_needs_queued = len(run.need_ids or ()) if run is not None else 0
    report.changes_pruned = prune_changes()
    report.digests_sent = send_daily_digest()
    return report


def process_due_matches(now: datetime | None = None) -> ScheduleReport:
    """Send due reminders, expire lapsed matches and ask for outcomes. Commits per match."""
    now = now or utcnow()
    config = current_app.config
    report = ScheduleReport()
    waiting = select(Match).where(Match.state == MatchState.AWAITING_REPLIES)

    for match in db.session.scalars(waiting.where(Match.replies_due_at <= now)).all():
        try:
            move(match, MatchState.EXPIRED, None, note="No reply by the deadline")
        except InvalidTransition:
            continue  # somebody replied in the meantime
        emails.send_expired(match)
        tell_staff_of_expiry(match)
        db.session.commit()
        report.expired += 1

    remind_from = now + timedelta(days=config["MATCH_REMINDER_DAYS_BEFORE"])
    for match in db.session.scalars(
        waiting.where(Match.replies_due_at <= remind_from, Match.reminded_at.is_(None))
    ).all():
        # Claim the reminder with a conditional UPDATE so two schedulers never both send it.
        claimed = db.session.execute(
            Match.__table__.update()
            .where(Match.id == match.id, Match.reminded_at.is_(None))
            .values(reminded_at=now)
        ).rowcount
        if claimed:
            emails.send_reminder(match)
            report.reminded += 1
        db.session.commit()

    ask_before = now - timedelta(days=config["OUTCOME_QUESTION_AFTER_DAYS"])
    for match in db.session.scalars(
        select(Match).where(
            Match.state == MatchState.INTRODUCED,
            Match.introduced_at <= ask_before,
            Match.outcome_asked_at.is_(None),
        )
    ).all():
        claimed = db.session.execute(
            Match.__table__.update()
            .where(Match.id == match.id, Match.outcome_asked_at.is_(None))
            .values(outcome_asked_at=now)
        ).rowcount
        if claimed:
            emails.send_outcome_question(match)
            report.outcome_asked += 1
        db.session.commit()
    return report
