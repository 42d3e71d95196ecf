"""The staff's match pages: list by state, ask the ranker, propose by hand, approve, reject,
withdraw, history."""

from __future__ import annotations

from datetime import timedelta

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload
from werkzeug.wrappers import Response

from ..extensions import db
from ..matches.actions import approve_match, propose_match, reject_match, withdraw_match
from ..matches.pages import with_page_details
from ..models import (
    Cause,
    Charity,
    Match,
    MatchState,
    MatchTransition,
    Need,
    OutboxMessage,
    RejectReason,
    User,
    need_causes,
)
from ..models.base import utcnow
from ..ranking.runs import ask_for_run, latest_run, run_report
from ..services.audit import record_contact_views
from ..services.errors import ServiceError
from ..services.role_search import open_role, role_choices
from ..services.staff_overview import outcome_missing_filter
from ..services.volunteer_search import contains, volunteer_search
from .blueprint import bp
from .forms import (
    ConfirmForm,
    MatchFilterForm,
    ProposeMatchForm,
    RejectMatchForm,
    VolunteerSearchForm,
)

PAGE_SIZE = 50
SEARCH_PAGE_SIZE = 20
TABS = [
    ("proposed", "To review"),
    ("awaiting_replies", "Waiting for replies"),
    ("introduced", "Introduced"),
    ("stalled", "Stalled"),
    ("closed", "Closed"),
]
_CLOSED = [
    MatchState.REJECTED,
    MatchState.DECLINED,
    MatchState.WITHDRAWN,
    MatchState.APPOINTED,
    MatchState.NOT_PROCEEDING,
]


def _matches_query(tab: str):
    query = select(Match).options(
        selectinload(Match.need).selectinload(Need.charity),
        selectinload(Match.volunteer).selectinload(User.volunteer_profile),
    )
    if tab == "stalled":
        # Lapsed, or past the deadline and not yet swept up by the scheduler.
        return query.where(
            (Match.state == MatchState.EXPIRED)
            | ((Match.state == MatchState.AWAITING_REPLIES) & (Match.replies_due_at <= utcnow()))
        ).order_by(Match.updated_at.desc())
    if tab == "closed":
        return query.where(Match.state.in_(_CLOSED)).order_by(Match.updated_at.desc())
    if tab == "proposed":
        # Grouped by role, best suggestion first, so staff compare like with like.
        return query.where(Match.state == MatchState.PROPOSED).order_by(
            Match.need_id, Match.score.desc().nulls_last(), Match.created_at
        )
    return query.where(Match.state == MatchState(tab)).order_by(Match.created_at)


def _filtered(query, form: MatchFilterForm):
    """The queue narrowed by the filters staff chose (each one optional)."""
    data = form.data
    if data["cause"]:
        query = query.where(
            Match.need_id.in_(
                select(need_causes.c.need_id)
                .join(Cause, Cause.id == need_causes.c.cause_id)
                .where(Cause.slug == data["cause"])
            )
        )
    if data["region"]:
        query = query.where(Match.need_id.in_(select(Need.id).where(Need.region == data["region"])))
    if (data["charity"] or "").strip():
        query = query.where(
            Match.need_id.in_(
                select(Need.id)
                .join(Charity, Charity.id == Need.charity_id)
                .where(contains(func.lower(Charity.name), data["charity"].strip()))
            )
        )
    if data["min_score"] is not None:
        query = query.where(Match.score >= float(data["min_score"]))
    if data["source"]:
        query = query.where(Match.source == data["source"])
    if data["min_age"] is not None:
        query = query.where(Match.created_at <= utcnow() - timedelta(days=data["min_age"]))
    if request.args.get("reminded"):
        query = query.where(Match.reminded_at.is_not(None))
    if request.args.get("outcome_due"):
        query = query.where(outcome_missing_filter())
    return query


def match_filter_form() -> MatchFilterForm:
    """The filter form from the query string, with the causes to choose from."""
    form = MatchFilterForm(request.args)
    causes = db.session.scalars(select(Cause).order_by(Cause.position)).all()
    form.cause.choices = [("", "Any cause")] + [(c.slug, c.name) for c in causes]
    return form


@bp.route("/matches")
def matches() -> tuple[str, int]:
    tab = request.args.get("state", "proposed")
    if tab not in dict(TABS):
        abort(404)
    form = match_filter_form()
    valid = form.validate()
    query = _filtered(_matches_query(tab), form) if valid else _matches_query(tab)
    page = request.args.get("page", 1, type=int)
    results = db.paginate(query, page=page, per_page=PAGE_SIZE, error_out=False)
    run = latest_run()
    html = render_template(
        "staff/matches.html",
        results=results,
        tab=tab,
        tabs=TABS,
        filters=form,
        filter_args={k: v for k, v in request.args.items() if k not in ("page", "state")},
        form=ConfirmForm(),
        run=run,
        run_report=run_report(run) if run is not None else None,
    )
    return html, 200 if valid else 400


@bp.route("/matches/rank", methods=["POST"])
def rank() -> Response:
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        ask_for_run(current_user)
    except ServiceError as error:
        flash(str(error), "info")
    else:
        flash(
            "The ranker run is queued. A worker starts it within seconds; this page shows how "
            "it is going.",
            "success",
        )
    return redirect(url_for("staff.matches", state="proposed"))


@bp.route("/matches/new", methods=["GET", "POST"])
def propose() -> tuple[str, int] | Response:
    """Propose by hand: search for a volunteer and a role (GET), choose them (POST)."""
    search = VolunteerSearchForm(request.args)
    valid = search.validate()
    searched = bool(search.q.data) and valid
    page = request.args.get("page", 1, type=int)
    results = db.paginate(
        volunteer_search(search.q.data if searched else ""),
        page=page,
        per_page=SEARCH_PAGE_SIZE,
        error_out=False,
    )
    chosen_need = request.args.get("need_id", type=int)
    form = ProposeMatchForm(need_id=chosen_need)
    fixed_role = open_role(chosen_need)
    role_term = (search.role.data or "") if valid else ""
    more_roles = False
    if request.method == "POST":
        # Any open role may be proposed for; the search only narrows what the page offers.
        chosen = open_role(request.form.get("need_id", type=int))
        form.need_id.choices, more_roles = role_choices(chosen, "")
    elif results.items:
        form.need_id.choices, more_roles = role_choices(fixed_role, role_term)
    valid_post = form.validate_on_submit()
    if request.method == "POST" and not form.need_id.choices:
        form.need_id.errors = ["Choose one of the open roles the search finds."]
    if valid_post:
        volunteer = db.session.get(User, form.volunteer_id.data)
        if volunteer is None:
            form.volunteer_id.errors.append("Choose a volunteer from the search results.")
        else:
            try:
                match = propose_match(
                    current_user, db.session.get(Need, form.need_id.data), volunteer
                )
            except ServiceError as error:
                form.volunteer_id.errors.append(str(error))
            else:
                flash("Match proposed. Review and approve it when ready.", "success")
                return redirect(url_for("staff.match", match_id=match.id))
    page_html = render_template(
        "staff/propose_match.html",
        form=form,
        search=search,
        results=results,
        searched=searched,
        search_args={k: v for k, v in request.args.items() if k != "page"},
        fixed_role=fixed_role,
        role_term=role_term,
        more_roles=more_roles,
    )
    record_contact_views(current_user, [u.id for u in results.items], "propose a match")
    return page_html, 400 if search.errors else 200


@bp.route("/matches/<int:match_id>")
def match(match_id: int) -> str:
    match = db.one_or_404(
        select(Match)
        .where(Match.id == match_id)
        .options(
            *with_page_details(),
            selectinload(Match.transitions).joinedload(MatchTransition.actor),
        )
    )
    emails = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.match_id == match.id).order_by(OutboxMessage.id)
    ).all()
    html = render_template(
        "staff/match.html",
        match=match,
        back_tab=match.state.value if match.state.value in dict(TABS) else "closed",
        emails=emails,
        confirm_form=ConfirmForm(),
        reject_form=RejectMatchForm(),
    )
    # After rendering: the commit would otherwise expire what the template reads.
    record_contact_views(current_user, [match.volunteer_id], f"match {match.id}")
    return html


@bp.route("/matches/<int:match_id>/<action>", methods=["POST"])
def match_action(match_id: int, action: str) -> Response:
    match = db.get_or_404(Match, match_id)
    form = RejectMatchForm() if action == "reject" else ConfirmForm()
    if action not in ("approve", "reject", "withdraw") or not form.validate_on_submit():
        abort(400)
    try:
        if action == "approve":
            approve_match(current_user, match)
            flash("Approved. Both sides have been emailed.", "success")
        elif action == "reject":
            reject_match(current_user, match, RejectReason(form.reason.data), form.note.data or "")
            flash("Rejected. The reason is kept to improve future suggestions.", "success")
        else:
            withdraw_match(current_user, match)
            flash("Withdrawn. Anyone who knew of the match has been told.", "success")
    except ServiceError as error:
        flash(str(error), "error")
    return redirect(url_for("staff.match", match_id=match.id))
