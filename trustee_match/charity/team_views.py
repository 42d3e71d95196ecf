"""Colleagues: who acts for the charity here, inviting more, and who gets match emails."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user, logout_user
from werkzeug.wrappers import Response

from ..extensions import db
from ..models import CharityInvitation, CharityMember
from ..models.base import utcnow
from ..services.colleagues import choose_match_email_members, invite_colleague, remove_member
from ..services.errors import ServiceError
from .blueprint import bp, my_charity
from .forms import ConfirmForm, InviteColleagueForm, MatchEmailsForm


def _emails_form(members: list[CharityMember]) -> MatchEmailsForm:
    form = MatchEmailsForm()
    form.members.choices = [(m.id, f"{m.contact_name} ({m.user.email})") for m in members]
    return form


def _page(invite: InviteColleagueForm | None = None, emails: MatchEmailsForm | None = None):
    charity = my_charity()
    members = sorted(charity.members, key=lambda m: m.created_at)
    emails = emails or _emails_form(members)
    if not emails.is_submitted():
        emails.members.data = [m.id for m in members if m.match_emails]
    pending = db.session.scalars(
        db.select(CharityInvitation)
        .where(
            CharityInvitation.charity_id == charity.id,
            CharityInvitation.used_at.is_(None),
            CharityInvitation.expires_at > utcnow(),
        )
        .order_by(CharityInvitation.created_at)
    ).all()
    return render_template(
        "charity/colleagues.html",
        charity=charity,
        members=members,
        pending=pending,
        invite_form=invite or InviteColleagueForm(),
        emails_form=emails,
        confirm_form=ConfirmForm(),
        can_leave=len(members) > 1,
    )


@bp.route("/colleagues")
def colleagues() -> str:
    return _page()


@bp.route("/colleagues/invite", methods=["POST"])
def invite() -> str | Response:
    form = InviteColleagueForm()
    if form.validate_on_submit():
        try:
            invite_colleague(current_user, my_charity(), form.email.data)
        except ServiceError as error:
            form.email.errors.append(str(error))
        else:
            flash(f"We've emailed an invitation to {form.email.data}.", "success")
            return redirect(url_for("charity.colleagues"))
    return _page(invite=form)


@bp.route("/colleagues/match-emails", methods=["POST"])
def match_emails() -> str | Response:
    charity = my_charity()
    form = _emails_form(list(charity.members))
    if form.validate_on_submit():
        try:
            choose_match_email_members(current_user, charity, form.members.data or [])
        except ServiceError as error:
            form.members.errors.append(str(error))
        else:
            flash("Saved: match emails go to the people you ticked.", "success")
            return redirect(url_for("charity.colleagues"))
    return _page(emails=form)


@bp.route("/colleagues/<int:member_id>/remove", methods=["POST"])
def remove(member_id: int) -> Response:
    charity = my_charity()
    member = db.session.get(CharityMember, member_id)
    if member is None or member.charity_id != charity.id:
        abort(404)  # another charity's member is not ours to know of
    if not ConfirmForm().validate_on_submit():
        abort(400)
    leaving = member.user_id == current_user.id
    try:
        remove_member(current_user, member)
    except ServiceError as error:
        flash(str(error), "error")
        return redirect(url_for("charity.colleagues"))
    if leaving:
        logout_user()
        flash(f"You have left {charity.name}.", "success")
        return redirect(url_for("auth.login"))
    flash("They are no longer a member here.", "success")
    return redirect(url_for("charity.colleagues"))
