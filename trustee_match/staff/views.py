"""The staff console: verifying charities and looking after accounts."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload
from werkzeug.wrappers import Response

from ..downloads import json_download
from ..extensions import db
from ..models import Charity, CharityMember, CharityStatus, Need, User
from ..permissions import can_delete_account
from ..services import privacy
from ..services.accounts import set_user_active
from ..services.audit import record_contact_views
from ..services.charities import register_link, reject_charity, verify_charity
from ..services.errors import ServiceError
from ..services.people_search import accounts_matching
from ..services.staff_overview import QUIET_NEED_DAYS, days_since, todays_work
from .blueprint import bp
from .forms import ConfirmForm, RejectCharityForm, UserSearchForm

PAGE_SIZE = 50


@bp.route("/")
def dashboard() -> str:
    """What needs doing today, each with a count and a link."""
    return render_template("staff/dashboard.html", work=todays_work(), quiet_days=QUIET_NEED_DAYS)


CHARITY_TABS = [("pending", "Waiting"), ("verified", "Verified"), ("rejected", "Not verified")]


@bp.route("/charities")
def charities() -> str:
    status = request.args.get("status", CharityStatus.PENDING.value)
    if status not in {s.value for s in CharityStatus}:
        abort(404)
    query = (
        select(Charity)
        .where(Charity.status == status)
        .options(selectinload(Charity.causes))
        .order_by(Charity.created_at, Charity.id)  # oldest first: the longest wait on top
    )
    page = request.args.get("page", 1, type=int)
    results = db.paginate(query, page=page, per_page=PAGE_SIZE, error_out=False)
    return render_template(
        "staff/charities.html",
        results=results,
        tab=status,
        tabs=CHARITY_TABS,
        days_since=days_since,
    )


def _charity_page(charity_id: int, reject_form: RejectCharityForm | None = None) -> str:
    charity = db.one_or_404(
        select(Charity)
        .where(Charity.id == charity_id)
        .options(
            selectinload(Charity.members).joinedload(CharityMember.user),
            selectinload(Charity.causes),
            joinedload(Charity.verified_by),
        )
    )
    needs = db.session.scalars(
        select(Need).where(Need.charity_id == charity.id).order_by(Need.created_at.desc())
    ).all()
    return render_template(
        "staff/charity.html",
        charity=charity,
        needs=needs,
        register=register_link(charity.regulator_number),
        days_waiting=days_since(charity.created_at),
        reject_form=reject_form or RejectCharityForm(),
        verify_form=ConfirmForm(),
    )


@bp.route("/charities/<int:charity_id>")
def charity(charity_id: int) -> str:
    return _charity_page(charity_id)


@bp.route("/charities/<int:charity_id>/verify", methods=["POST"])
def verify(charity_id: int) -> Response:
    charity = db.get_or_404(Charity, charity_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        verify_charity(current_user, charity)
    except ServiceError as error:
        flash(str(error), "error")
    else:
        flash(f"{charity.name} is verified. Its members have been told.", "success")
    return redirect(url_for("staff.charities"))


@bp.route("/charities/<int:charity_id>/reject", methods=["POST"])
def reject(charity_id: int) -> str | Response:
    charity = db.get_or_404(Charity, charity_id)
    form = RejectCharityForm()
    if form.validate_on_submit():
        try:
            reject_charity(current_user, charity, form.reason.data)
        except ServiceError as error:
            flash(str(error), "error")
        else:
            flash(f"{charity.name} was not verified. Its members have been told why.", "success")
        return redirect(url_for("staff.charities"))
    return _charity_page(charity.id, form), 400


@bp.route("/users")
def users() -> tuple[str, int]:
    form = UserSearchForm(request.args)
    query = (
        select(User)
        .options(
            selectinload(User.volunteer_profile),
            selectinload(User.memberships).joinedload(CharityMember.charity),
        )
        # A purged match's stand-in is no one: not an account to look after.
        .where(User.email.not_like(f"%@{privacy.ANONYMISED_DOMAIN}"))
        .order_by(User.created_at.desc(), User.id.desc())
    )
    searching = form.validate() and bool((form.q.data or "").strip())
    if searching:
        query = query.where(User.id.in_(accounts_matching(form.q.data)))
    page = request.args.get("page", 1, type=int)
    results = db.paginate(query, page=page, per_page=PAGE_SIZE, error_out=False)
    html = render_template(
        "staff/users.html",
        form=form,
        results=results,
        toggle_form=ConfirmForm(),
        deletable={u.id for u in results.items if can_delete_account(current_user, u)},
    )
    volunteers = [u.id for u in results.items if u.is_volunteer]
    record_contact_views(current_user, volunteers, "people")
    return html, 400 if form.errors else 200


@bp.route("/users/<int:user_id>/export", methods=["POST"])
def export_user(user_id: int) -> Response:
    """A person's data, downloaded by staff on their request (audit-logged)."""
    user = db.get_or_404(User, user_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    data = privacy.export_user_data(current_user, user)
    return json_download(data, f"trusteematch-user-{user.id}.json")


@bp.route("/users/<int:user_id>/delete", methods=["POST"])
def delete_user(user_id: int) -> Response:
    """Delete an account on the person's request (audit-logged)."""
    user = db.get_or_404(User, user_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    email = user.email
    try:
        privacy.delete_account(current_user, user)
    except ServiceError as error:
        flash(str(error), "error")
    else:
        flash(f"The account of {email} is deleted.", "success")
    return redirect(url_for("staff.users", q=request.args.get("q", "")))


@bp.route("/users/<int:user_id>/active", methods=["POST"])
def set_active(user_id: int) -> Response:
    user = db.get_or_404(User, user_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    active = request.form.get("active") == "1"
    try:
        set_user_active(current_user, user, active)
    except ServiceError as error:
        flash(str(error), "error")
    else:
        flash(f"{user.email} is {'active again' if active else 'deactivated'}.", "success")
    return redirect(url_for("staff.users", q=request.args.get("q", "")))
