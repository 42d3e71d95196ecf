"""The daily digest: a preview of what it says today, and taking it or not."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from ..services.staff_digest import build_digest, digest_sent_today, set_digest_opt_out
from .blueprint import bp
from .forms import DigestForm


@bp.route("/digest", methods=["GET", "POST"])
def digest() -> str | Response:
    form = DigestForm(take_digest=not current_user.staff_digest_opt_out)
    if form.validate_on_submit():
        set_digest_opt_out(current_user, not form.take_digest.data)
        flash(
            "You will get the daily digest."
            if form.take_digest.data
            else "You will no longer get the daily digest or expiry notes.",
            "success",
        )
        return redirect(url_for("staff.digest"))
    return render_template(
        "staff/digest.html", form=form, digest=build_digest(), sent_today=digest_sent_today()
    )
