"""The charity's pages: its profile and its needs."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from ..extensions import db
from ..matches.pages import (
    MatchActionForm,
    handle_match_action,
    render_match_page,
    with_list_details,
    with_page_details,
)
from ..models import Cause, Charity, Match, MatchState, Need, Skill
from ..permissions import can_edit_need, can_view_match, matches_visible_to
from ..services import taxonomy
from ..services.charities import CharityProfile, update_charity
from ..services.errors import ServiceError
from ..services.need_stats import need_rows, reply_record
from ..services.needs import (
    NeedFields,
    change_need_status,
    create_need,
    update_need,
    with_need_details,
)
from .blueprint import bp, my_charity
from .forms import CharityProfileForm, NeedForm, NeedStatusForm

PAGE_SIZE = 20
WAITING_SHOWN = 10


def _my_charity() -> Charity:
    charity = current_user.charity
    if charity is None:
        abort(403)
    return charity


def _my_need(need_id: int) -> Need:
    need = db.one_or_404(db.select(Need).where(Need.id == need_id).options(*with_need_details()))
    # Another charity's need is simply not found: its existence is not ours to reveal.
    if not can_edit_need(current_user, need):
        abort(404)
    return need


def _cause_choices() -> list[tuple[int, str]]:
    return [(c.id, c.name) for c in db.session.scalars(db.select(Cause).order_by(Cause.position))]


def _skill_choices() -> list[tuple[int, str]]:
    return [(s.id, s.name) for s in db.session.scalars(db.select(Skill).order_by(Skill.position))]


@bp.route("/")
def dashboard() -> str:
    charity = _my_charity()
    needs = db.paginate(
        db.select(Need)
        .where(Need.charity_id == charity.id)
        .order_by(Need.created_at.desc(), Need.id.desc()),
        page=request.args.get("page", 1, type=int),
        per_page=PAGE_SIZE,
        error_out=False,
    )
    # The few due soonest; the introductions page lists them all. One more is read only to
    # know whether there are more (a count would be another query).
    waiting = db.session.scalars(
        _charity_matches()
        .where(Match.state == MatchState.AWAITING_REPLIES, Match.charity_reply.is_(None))
        .options(*with_list_details())
        .order_by(Match.replies_due_at, Match.id)
        .limit(WAITING_SHOWN + 1)
    ).all()
    # The oldest introductions first (their outcome is longest overdue); the list has the rest.
    introduced = db.session.scalars(
        _charity_matches()
        .where(Match.state == MatchState.INTRODUCED)
        .options(*with_list_details())
        .order_by(Match.id)
        .limit(WAITING_SHOWN + 1)
    ).all()
    return render_template(
        "charity/dashboard.html",
        charity=charity,
        needs=needs.items,
        results=needs,
        rows=need_rows(charity, needs.items),
        replies=reply_record(charity),
        introduced=introduced[:WAITING_SHOWN],
        more_introduced=len(introduced) > WAITING_SHOWN,
        outcome_form=MatchActionForm(),
        waiting=waiting[:WAITING_SHOWN],
        more_waiting=len(waiting) > WAITING_SHOWN,
        status_form=NeedStatusForm(),
    )


@bp.route("/profile", methods=["GET", "POST"])
def profile() -> str | Response:
    charity = _my_charity()
    form = CharityProfileForm(obj=charity if request.method == "GET" else None)
    form.causes.choices = _cause_choices()
    if request.method == "GET":
        form.causes.data = [c.id for c in charity.causes]
        form.income_band.data = charity.income_band.value if charity.income_band else ""
    if form.validate_on_submit():
        try:
            update_charity(
                current_user,
                charity,
                CharityProfile(
                    name=form.name.data,
                    description=form.description.data or "",
                    region=form.region.data,
                    town=form.town.data,
                    income_band=form.income_band.data,
                    website=form.website.data,
                    cause_ids=form.causes.data,
                ),
            )
        except ServiceError as error:
            form.causes.errors.append(str(error))
        else:
            flash("The charity's profile is saved.", "success")
            return redirect(url_for("charity.dashboard"))
    return render_template("charity/profile.html", form=form, charity=charity)


def _need_fields(form: NeedForm) -> NeedFields:
    return NeedFields(
        title=form.title.data,
        description=form.description.data,
        region=form.region.data,
        town=form.town.data,
        remote_ok=form.remote_ok.data,
        hours_per_month=form.hours_per_month.data,
        closing_date=form.closing_date.data,
        required_skill_ids=form.required_skills.data,
        desired_skill_ids=[
            s for s in form.desired_skills.data if s not in form.required_skills.data
        ],
        cause_ids=form.causes.data,
    )


def _need_form(need: Need | None) -> NeedForm:
    form = NeedForm(obj=need if request.method == "GET" else None)
    skills = _skill_choices()
    form.required_skills.choices = skills
    form.desired_skills.choices = skills
    form.causes.choices = _cause_choices()
    if request.method == "GET" and need is not None:
        form.required_skills.data = [s.id for s in need.required_skills]
        form.desired_skills.data = [s.id for s in need.desired_skills]
        form.causes.data = [c.id for c in need.causes]
    elif request.method == "GET":
        # A new role starts where the charity is and with what it works on.
        charity = my_charity()
        form.remote_ok.data = True
        form.region.data = charity.region or ""
        form.town.data = charity.town
        form.causes.data = [c.id for c in charity.causes]
    return form


@bp.route("/needs/new", methods=["GET", "POST"])
def new_need() -> str | Response:
    charity = _my_charity()
    form = _need_form(None)
    if form.validate_on_submit():
        try:
            need = create_need(current_user, charity, _need_fields(form))
        except ServiceError as error:
            form.title.errors.append(str(error))
        else:
            flash("Saved as a draft. Publish it when you are ready.", "success")
            return redirect(url_for("charity.need", need_id=need.id))
    return render_template(
        "charity/need_form.html",
        form=form,
        need=None,
        charity=charity,
        groups=taxonomy.skill_groups(),
    )


@bp.route("/needs/<int:need_id>")
def need(need_id: int) -> str:
    need = _my_need(need_id)
    return render_template("charity/need.html", need=need, status_form=NeedStatusForm())


@bp.route("/needs/<int:need_id>/edit", methods=["GET", "POST"])
def edit_need(need_id: int) -> str | Response:
    need = _my_need(need_id)
    form = _need_form(need)
    if form.validate_on_submit():
        try:
            update_need(current_user, need, _need_fields(form))
        except ServiceError as error:
            form.title.errors.append(str(error))
        else:
            flash("Your changes are saved.", "success")
            return redirect(url_for("charity.need", need_id=need.id))
    return render_template(
        "charity/need_form.html",
        form=form,
        need=need,
        charity=need.charity,
        groups=taxonomy.skill_groups(),
    )


@bp.route("/needs/<int:need_id>/status", methods=["POST"])
def need_status(need_id: int) -> Response:
    need = _my_need(need_id)
    form = NeedStatusForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        change_need_status(current_user, need, form.action.data)
    except ServiceError as error:
        flash(str(error), "error")
    else:
        messages = {
            "publish": "The role is published: volunteers can now find it.",
            "pause": "The role is paused and hidden from volunteers.",
            "close": "The role is closed.",
            "mark_filled": "Congratulations: the role is marked as filled.",
        }
        flash(messages[form.action.data], "success")
    return redirect(url_for("charity.need", need_id=need.id))


def _charity_matches():
    _my_charity()  # a charity account without its charity has no matches page
    return db.select(Match).where(matches_visible_to(current_user))


@bp.route("/matches")
def matches() -> str:
    results = db.paginate(
        _charity_matches()
        .options(*with_list_details())
        .order_by(Match.updated_at.desc(), Match.id.desc()),
        page=request.args.get("page", 1, type=int),
        per_page=PAGE_SIZE,
        error_out=False,
    )
    return render_template("charity/matches.html", matches=results.items, results=results)


def _our_match(match_id: int) -> Match:
    _my_charity()
    match = db.session.scalar(
        db.select(Match).where(Match.id == match_id).options(*with_page_details())
    )
    if match is None or not can_view_match(current_user, match):
        abort(404)
    return match


@bp.route("/matches/<int:match_id>")
def match(match_id: int) -> str:
    return render_match_page(_our_match(match_id), "charity/match.html")


@bp.route("/matches/<int:match_id>/act", methods=["POST"])
def match_action(match_id: int) -> Response:
    return handle_match_action(_our_match(match_id), "charity.match")
