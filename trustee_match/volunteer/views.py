"""The volunteer's pages: dashboard, skills profile, browsing open roles."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from ..extensions import db
from ..matches.actions import propose_match
from ..matches.pages import (
    MatchActionForm,
    handle_match_action,
    render_match_page,
    with_list_details,
    with_page_details,
)
from ..models import Cause, Match, MatchState, Need, Role, Skill
from ..permissions import can_view_match, can_view_need, matches_visible_to, require_role
from ..ranking.suggestions import suggest_needs_for
from ..services import taxonomy
from ..services.alerts import update_alert_settings
from ..services.completeness import profile_completeness
from ..services.errors import ServiceError
from ..services.needs import NeedFilters, open_needs_query, with_need_details
from ..services.profiles import ProfileUpdate, update_volunteer_profile
from .forms import LEVEL_CHOICES, AlertSettingsForm, NeedFilterForm, ProfileForm

bp = Blueprint("volunteer", __name__)
bp.before_request(require_role(Role.VOLUNTEER))

PAGE_SIZE = 20
OUTCOMES_SHOWN = 10  # introductions whose outcome the dashboard asks for


@bp.route("/")
def dashboard() -> str:
    profile = current_user.volunteer_profile
    waiting = db.session.scalars(
        db.select(Match)
        .where(
            Match.volunteer_id == current_user.id,
            Match.state == MatchState.AWAITING_REPLIES,
            Match.volunteer_reply.is_(None),
        )
        .options(*with_list_details())
    ).all()
    # The oldest introductions first (their outcome is longest overdue); the list has the rest.
    introduced = db.session.scalars(
        db.select(Match)
        .where(Match.volunteer_id == current_user.id, Match.state == MatchState.INTRODUCED)
        .options(*with_list_details())
        .order_by(Match.id)
        .limit(OUTCOMES_SHOWN + 1)
    ).all()
    return render_template(
        "volunteer/dashboard.html",
        profile=profile,
        waiting=waiting,
        suggestions=suggest_needs_for(current_user, k=5),
        completeness=profile_completeness(profile),
        introduced=introduced[:OUTCOMES_SHOWN],
        more_introduced=len(introduced) > OUTCOMES_SHOWN,
        outcome_form=MatchActionForm(),
    )


@bp.route("/alerts", methods=["GET", "POST"])
def alerts() -> str | Response:
    profile = current_user.volunteer_profile
    form = AlertSettingsForm(obj=profile if request.method == "GET" else None)
    if request.method == "GET":
        form.alert_frequency.data = profile.alert_frequency.value
    if form.validate_on_submit():
        try:
            update_alert_settings(current_user, form.alert_frequency.data, form.paused_until.data)
        except ServiceError as error:
            form.paused_until.errors.append(str(error))
        else:
            flash("Saved.", "success")
            return redirect(url_for("volunteer.dashboard"))
    return render_template("volunteer/alerts.html", form=form, profile=profile)


def _profile_choices(form: ProfileForm) -> None:
    form.skills.choices = [(s.id, s.name) for s in db.session.scalars(db.select(Skill))]
    form.causes.choices = [
        (c.id, c.name) for c in db.session.scalars(db.select(Cause).order_by(Cause.position))
    ]


def _is_id(text: str) -> bool:
    # str.isdigit() also passes '²' and 5,000-digit strings, which int() refuses.
    return text.isascii() and text.isdigit() and len(text) <= 9


@bp.route("/profile", methods=["GET", "POST"])
def profile() -> str | Response:
    profile = current_user.volunteer_profile
    form = ProfileForm(obj=profile if request.method == "GET" else None)
    _profile_choices(form)
    if request.method == "GET":
        form.skills.data = [entry.skill_id for entry in profile.skills]
        form.causes.data = [cause.id for cause in profile.causes]
        form.board_experience.data = profile.board_experience.value
    raw_levels = {
        int(key.removeprefix("level-")): value
        for key, value in request.form.items()
        if key.startswith("level-") and _is_id(key.removeprefix("level-"))
    }
    if form.validate_on_submit():
        levels = form.skill_levels(raw_levels)
        if levels is not None:
            update = ProfileUpdate(
                display_name=form.display_name.data,
                headline=form.headline.data,
                bio=form.bio.data or "",
                region=form.region.data,
                remote_ok=form.remote_ok.data,
                hours_per_month=form.hours_per_month.data,
                board_experience=form.board_experience.data,
                linkedin_url=form.linkedin_url.data,
                phone=form.phone.data,
                available=form.available.data,
                skill_levels=levels,
                cause_ids=form.causes.data,
            )
            try:
                update_volunteer_profile(current_user, update)
            except ServiceError as error:
                form.skills.errors.append(str(error))
            else:
                flash("Your profile is saved.", "success")
                return redirect(url_for("volunteer.dashboard"))
    current_levels = (
        {k: v for k, v in raw_levels.items()}
        if request.method == "POST"
        else {entry.skill_id: entry.level.value for entry in profile.skills}
    )
    return render_template(
        "volunteer/profile.html",
        form=form,
        groups=taxonomy.skill_groups(),
        levels=current_levels,
        level_choices=LEVEL_CHOICES,
    )


@bp.route("/needs")
def needs() -> str:
    form = NeedFilterForm(request.args)
    skills = list(db.session.scalars(db.select(Skill).order_by(Skill.name)))
    causes = list(db.session.scalars(db.select(Cause).order_by(Cause.position)))
    form.skill.choices = [("", "Any skill")] + [(s.slug, s.name) for s in skills]
    form.cause.choices = [("", "Any cause")] + [(c.slug, c.name) for c in causes]
    form.validate()
    by_slug_skill = {s.slug: s.id for s in skills}
    by_slug_cause = {c.slug: c.id for c in causes}
    filters = NeedFilters(
        skill_id=by_slug_skill.get(form.skill.data or ""),
        cause_id=by_slug_cause.get(form.cause.data or ""),
        region=form.region.data or None if not form.region.errors else None,
        remote_only=bool(form.remote.data),
    )
    page = request.args.get("page", 1, type=int)
    results = db.paginate(open_needs_query(filters), page=page, per_page=PAGE_SIZE, error_out=False)
    filter_args = {k: v for k, v in request.args.items() if k != "page"}
    return render_template(
        "volunteer/needs.html", form=form, results=results, filter_args=filter_args
    )


@bp.route("/needs/<int:need_id>")
def need(need_id: int) -> str:
    need = db.one_or_404(db.select(Need).where(Need.id == need_id).options(*with_need_details()))
    if not can_view_need(current_user, need):
        abort(404)
    existing = db.session.scalar(
        db.select(Match).where(Match.need_id == need.id, Match.volunteer_id == current_user.id)
    )
    return render_template("volunteer/need.html", need=need, match=existing, form=FlaskForm())


@bp.route("/needs/<int:need_id>/interest", methods=["POST"])
def interest(need_id: int) -> Response:
    need = db.get_or_404(Need, need_id)
    if not can_view_need(current_user, need) or not FlaskForm().validate_on_submit():
        abort(404 if not can_view_need(current_user, need) else 400)
    try:
        propose_match(current_user, need, current_user, source="interest")
    except ServiceError as error:
        flash(str(error), "error")
    else:
        flash("Thank you: our team will look at your interest and be in touch.", "success")
    return redirect(url_for("volunteer.need", need_id=need.id))


@bp.route("/matches")
def matches() -> str:
    results = db.paginate(
        db.select(Match)
        .where(matches_visible_to(current_user))
        .options(*with_list_details())
        .order_by(Match.updated_at.desc(), Match.id.desc()),
        page=request.args.get("page", 1, type=int),
        per_page=PAGE_SIZE,
        error_out=False,
    )
    return render_template("volunteer/matches.html", matches=results.items, results=results)


def _my_match(match_id: int) -> Match:
    match = db.session.scalar(
        db.select(Match).where(Match.id == match_id).options(*with_page_details())
    )
    if match is None or not can_view_match(current_user, match):
        abort(404)
    return match


@bp.route("/matches/<int:match_id>")
def match(match_id: int) -> str:
    return render_match_page(_my_match(match_id), "volunteer/match.html")


@bp.route("/matches/<int:match_id>/act", methods=["POST"])
def match_action(match_id: int) -> Response:
    return handle_match_action(_my_match(match_id), "volunteer.match")
