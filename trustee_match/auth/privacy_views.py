"""Your data: download it as JSON, or delete your account (GDPR rights; services/privacy.py)."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from ..downloads import json_download
from ..extensions import limiter
from ..permissions import can_delete_account
from ..services import privacy
from ..services.errors import ServiceError
from .blueprint import bp
from .forms import DeleteAccountForm
from .session import forget_session


@bp.route("/data")
@login_required
def your_data() -> str:
    return render_template(
        "auth/your_data.html", can_delete=can_delete_account(current_user, current_user)
    )


@bp.route("/data/download")
@login_required
def download_data() -> Response:
    data = privacy.export_user_data(current_user, current_user)
    return json_download(data, "trusteematch-your-data.json")


@bp.route("/delete", methods=["GET", "POST"])
@login_required
# It checks a password: a borrowed session must not become a way to guess it.
@limiter.limit("10 per hour", methods=["POST"])
def delete_account() -> str | Response:
    if not can_delete_account(current_user, current_user):
        flash("Staff accounts are closed by another member of staff.", "error")
        return redirect(url_for("auth.your_data"))
    form = DeleteAccountForm()
    problem = None
    if form.validate_on_submit():
        try:
            privacy.delete_account(current_user, current_user, form.password.data)
        except privacy.LastMember as error:
            problem = str(error)
        except ServiceError as error:
            form.password.errors.append(str(error))
        else:
            forget_session()  # the service already ended every other session
            flash("Your account has been deleted. Thank you for your time with us.", "success")
            return redirect(url_for("public.home"))
    return render_template("auth/delete_account.html", form=form, problem=problem)
