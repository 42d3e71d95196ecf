"""The board skills audit: the current board, the grid of skills it has and lacks, and a draft
role from the gaps."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from ..extensions import db
from ..models import BoardMember, Skill
from ..services import taxonomy
from ..services.board_audit import (
    add_board_member,
    board_of,
    draft_role_from_gaps,
    remove_board_member,
    skills_grid,
)
from ..services.errors import ServiceError
from .blueprint import bp, my_charity
from .forms import BoardMemberForm, ConfirmForm


def _member_form() -> BoardMemberForm:
    form = BoardMemberForm()
    form.skills.choices = [
        (s.id, s.name) for s in db.session.scalars(db.select(Skill).order_by(Skill.position))
    ]
    return form


def _page(form: BoardMemberForm | None = None) -> str:
    charity = my_charity()
    board = board_of(charity)
    return render_template(
        "charity/board.html",
        charity=charity,
        board=board,
        grid=skills_grid(charity, board),
        form=form or _member_form(),
        confirm_form=ConfirmForm(),
        groups=taxonomy.skill_groups(),
    )


@bp.route("/board")
def board() -> str:
    return _page()


@bp.route("/board/members", methods=["POST"])
def add_trustee() -> str | Response:
    form = _member_form()
    if form.validate_on_submit():
        try:
            add_board_member(
                current_user,
                my_charity(),
                form.name.data,
                form.skills.data or [],
                form.term_ends_on.data,
            )
        except ServiceError as error:
            form.skills.errors.append(str(error))
        else:
            flash("Added to your board.", "success")
            return redirect(url_for("charity.board"))
    return _page(form)


@bp.route("/board/members/<int:member_id>/remove", methods=["POST"])
def remove_trustee(member_id: int) -> Response:
    member = db.session.get(BoardMember, member_id)
    if member is None or member.charity_id != my_charity().id:
        abort(404)  # another charity's board is not ours to know of
    if not ConfirmForm().validate_on_submit():
        abort(400)
    remove_board_member(current_user, member)
    flash("Taken off your board list.", "success")
    return redirect(url_for("charity.board"))


@bp.route("/board/draft-role", methods=["POST"])
def draft_role() -> Response:
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        need = draft_role_from_gaps(current_user, my_charity())
    except ServiceError as error:
        flash(str(error), "error")
        return redirect(url_for("charity.board"))
    flash("We've drafted a role from your board's gaps. Check it, then publish.", "success")
    return redirect(url_for("charity.edit_need", need_id=need.id))
