"""The pages behind emailed links that are not about a match (those live in respond/)."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_wtf import FlaskForm

from ..extensions import csrf, limiter
from ..services.alerts import check_unsubscribe, unsubscribe
from ..services.colleagues import InviteLink, accept_invitation, inspect_invitation
from ..services.listings import (
    RecruitingLink,
    RecruitingView,
    inspect_recruiting_link,
    use_recruiting_link,
)
from .forms import JoinCharityForm

bp = Blueprint("links", __name__)

_RECRUITING_CODES = {
    RecruitingLink.READY: 200,
    RecruitingLink.DONE: 200,
    RecruitingLink.ENDED: 200,
    RecruitingLink.INVALID: 404,
    RecruitingLink.EXPIRED: 410,
    RecruitingLink.USED: 410,
}


def _recruiting_page(view: RecruitingView, form: FlaskForm) -> tuple[str, int]:
    page = render_template("links/recruiting.html", view=view, form=form)
    return page, _RECRUITING_CODES[view.status]


@bp.route("/role/<int:need_id>/<answer>/<token>", methods=["GET"])
@limiter.limit("60 per minute")
def recruiting(need_id: int, answer: str, token: str) -> tuple[str, int]:
    return _recruiting_page(inspect_recruiting_link(need_id, answer, token), FlaskForm())


@bp.route("/role/<int:need_id>/<answer>/<token>", methods=["POST"])
@limiter.limit("30 per minute")
def recruiting_act(need_id: int, answer: str, token: str) -> tuple[str, int]:
    form = FlaskForm()
    if not form.validate_on_submit():
        return _recruiting_page(inspect_recruiting_link(need_id, answer, token), form)
    return _recruiting_page(use_recruiting_link(need_id, answer, token), form)


_INVITE_CODES = {
    InviteLink.READY: 200,
    InviteLink.DONE: 200,
    InviteLink.HAS_ACCOUNT: 409,
    InviteLink.INVALID: 404,
    InviteLink.EXPIRED: 410,
    InviteLink.USED: 410,
}


@bp.route("/invitation/<token>", methods=["GET", "POST"])
@limiter.limit("30 per minute", methods=["POST"])
def invitation(token: str) -> tuple[str, int]:
    form = JoinCharityForm()
    view = inspect_invitation(token)
    if view.status == InviteLink.READY and form.validate_on_submit():
        view = accept_invitation(
            token,
            contact_name=form.contact_name.data,
            job_title=form.job_title.data,
            password=form.password.data,
        )
    page = render_template("links/invitation.html", view=view, form=form)
    return page, _INVITE_CODES[view.status]


@bp.route("/alerts/unsubscribe/<token>", methods=["GET"])
@limiter.limit("60 per minute")
def unsubscribe_page(token: str) -> tuple[str, int]:
    volunteer = check_unsubscribe(token)
    form = FlaskForm()
    page = render_template("links/unsubscribe.html", volunteer=volunteer, done=False, form=form)
    return page, 200 if volunteer is not None else 404


@bp.route("/alerts/unsubscribe/<token>", methods=["POST"])
@csrf.exempt  # RFC 8058: the mail client POSTs "List-Unsubscribe=One-Click", with no form
@limiter.limit("30 per minute")
def unsubscribe_now(token: str) -> tuple[str, int]:
    volunteer = unsubscribe(token)
    page = render_template("links/unsubscribe.html", volunteer=volunteer, done=True, form=None)
    return page, 200 if volunteer is not None else 404
