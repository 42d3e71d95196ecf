"""A need's live candidates for staff: filter them, propose one, or propose and approve."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from werkzeug.wrappers import Response

from ..extensions import db
from ..models import Need, NeedSkill, NeedStatus, Skill, User
from ..ranking.candidates import (
    PAGE_SIZES,
    CandidateFilters,
    ProposedNotApproved,
    candidates_for,
    propose_candidate,
)
from ..services.errors import ServiceError
from .blueprint import bp
from .forms import CandidateFilterForm, ConfirmForm

FILTER_KEYS = ("region", "remote", "skill", "min_hours", "k")


def _need(need_id: int) -> Need:
    need = db.session.scalar(
        select(Need)
        .where(Need.id == need_id)
        .options(
            selectinload(Need.charity), selectinload(Need.skill_links).joinedload(NeedSkill.skill)
        )
    )
    if need is None:
        abort(404)
    return need


def _filters(form: CandidateFilterForm, skills: list[Skill]) -> CandidateFilters:
    """The filters that passed validation (a bad one is shown with its error and ignored)."""
    by_slug = {s.slug: s.id for s in skills}

    def valid(name: str):
        return None if form[name].errors else form[name].data

    return CandidateFilters(
        region=valid("region") or None,
        remote_ok=bool(valid("remote")),
        skill_id=by_slug.get(valid("skill") or ""),
        min_hours=valid("min_hours"),
    )


@bp.route("/needs/<int:need_id>/candidates")
def candidates(need_id: int) -> str:
    need = _need(need_id)
    skills = list(db.session.scalars(select(Skill).order_by(Skill.name)))
    form = CandidateFilterForm(request.args)
    form.skill.choices = [("", "Any skill")] + [(s.slug, s.name) for s in skills]
    form.validate()
    k = request.args.get("k", PAGE_SIZES[0], type=int)
    if k not in PAGE_SIZES:
        k = PAGE_SIZES[0]
    filters = _filters(form, skills)
    listing = candidates_for(need, filters, k)
    args = {key: request.args[key] for key in FILTER_KEYS if request.args.get(key)}
    return render_template(
        "staff/candidates.html",
        need=need,
        listing=listing,
        form=form,
        k=k,
        filter_args=args,
        filtered=filters.any,
        open=need.status == NeedStatus.OPEN,
        action_form=ConfirmForm(),
    )


@bp.route("/needs/<int:need_id>/candidates/<int:volunteer_id>", methods=["POST"])
def propose_candidate_view(need_id: int, volunteer_id: int) -> Response:
    need = db.get_or_404(Need, need_id)
    volunteer = db.get_or_404(User, volunteer_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    approve = request.form.get("then") == "approve"
    name = volunteer.volunteer_profile.display_name if volunteer.volunteer_profile else "They"
    try:
        propose_candidate(current_user, need, volunteer, approve=approve)
    except ProposedNotApproved as error:
        flash(f"{name} is proposed, but not approved: {error}", "error")
    except ServiceError as error:
        flash(str(error), "error")
    else:
        if approve:
            flash(f"{name} is proposed and approved. Both sides have been emailed.", "success")
        else:
            flash(f"{name} is proposed. Approve the match when ready.", "success")
    args = {key: request.args[key] for key in FILTER_KEYS if request.args.get(key)}
    return redirect(url_for("staff.candidates", need_id=need.id, **args))
