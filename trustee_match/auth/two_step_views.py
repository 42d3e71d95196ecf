"""Two-step verification pages: the code after the password, setting up an app, switching off.

After a right password a staff member (or anyone who switched it on) is only half logged in
(session.PENDING): these pages are all that half-login opens.
"""

from __future__ import annotations

import logging

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required, login_user
from werkzeug.wrappers import Response

from ..models import User
from ..permissions import can_turn_off_second_factor
from ..services import second_factor
from ..services.errors import ServiceError
from . import limits
from .blueprint import bp
from .forms import TurnOffTwoStepForm, TwoStepCodeForm
from .session import PendingLogin, finish_pending_login, pending_login
from .views import home_for

log = logging.getLogger(__name__)


@bp.route("/two-step", methods=["GET", "POST"])
@limits.per_ip
@limits.per_account_code
def two_step_verify() -> str | Response:
    """The code from the app (or a recovery code), after the password."""
    if current_user.is_authenticated:
        return redirect(home_for(current_user))
    pending = pending_login()
    if pending is None:
        flash("Please log in.", "info")
        return redirect(url_for("auth.login"))
    if not pending.user.has_second_factor:
        return redirect(url_for("auth.two_step_setup"))
    form = TwoStepCodeForm()
    if form.validate_on_submit():
        check = second_factor.check_login_code(pending.user, form.code.data)
        if check.ok:
            finish_pending_login(pending)
            log.info("login: user %s (two-step)", pending.user.id)
            if check.used_recovery_code:
                flash(_recovery_left_words(check.recovery_codes_left), "info")
            return redirect(pending.next or home_for(pending.user))
        limits.note_failed_login()
        log.warning("two-step code wrong: user %s", pending.user.id)
        form.code.errors.append(
            "That code is not right, or was used already. Enter the newest code your app shows, "
            "or one of your recovery codes."
        )
    return render_template("auth/two_step_verify.html", form=form)


def _recovery_left_words(left: int) -> str:
    if left == 0:
        return (
            "You have used your last recovery code. Set up two-step verification again, or ask "
            "us to, before you lose your phone."
        )
    return f"You used a recovery code; it will not work again. You have {left} left."


def _setup_user() -> tuple[User | None, PendingLogin | None]:
    """Who is setting up: the logged-in user, or a staff member half-way through logging in
    (staff set it up at their first login, and that login finishes with it)."""
    if current_user.is_authenticated:
        return current_user._get_current_object(), None
    pending = pending_login()
    return (pending.user, pending) if pending else (None, None)


@bp.route("/two-step/setup", methods=["GET", "POST"])
@limits.per_ip
@limits.per_account_code
def two_step_setup() -> str | Response:
    """Add the site to an authenticator app (QR code or key), confirmed by one of its codes."""
    user, pending = _setup_user()
    if user is None:
        flash("Please log in.", "info")
        return redirect(url_for("auth.login"))
    if user.has_second_factor:
        # Never a second setup with the password alone: that would skip the code.
        return redirect(url_for("auth.two_step_verify" if pending else "auth.two_step_settings"))
    form = TwoStepCodeForm()
    if form.validate_on_submit():
        try:
            codes = second_factor.confirm_setup(user, form.code.data)
        except ServiceError as error:
            limits.note_failed_login()
            form.code.errors.append(str(error))
        else:
            log.info("two-step verification on: user %s", user.id)
            if pending is not None:
                finish_pending_login(pending)
            else:
                # Keep this browser logged in with the account's new session token.
                login_user(user)
            next_page = (pending.next if pending else None) or home_for(user)
            return render_template("auth/two_step_codes.html", codes=codes, next_page=next_page)
    setup = second_factor.start_setup(user)
    return render_template(
        "auth/two_step_setup.html", form=form, setup=setup, logging_in=pending is not None
    )


@bp.route("/two-step/settings")
@login_required
def two_step_settings() -> str:
    """Whether two-step verification is on, recovery codes left, and switching it off."""
    return render_template(
        "auth/two_step_settings.html",
        on=current_user.has_second_factor,
        codes_left=second_factor.codes_left(current_user) if current_user.has_second_factor else 0,
        can_turn_off=can_turn_off_second_factor(current_user),
        form=TurnOffTwoStepForm(),
    )


@bp.route("/two-step/off", methods=["POST"])
@login_required
def two_step_off() -> str | Response:
    """Switch it off with the password (volunteers and charity members only)."""
    if not can_turn_off_second_factor(current_user):
        abort(403)
    form = TurnOffTwoStepForm()
    if form.validate_on_submit():
        try:
            second_factor.turn_off(current_user, form.password.data)
        except ServiceError as error:
            form.password.errors.append(str(error))
        else:
            flash("Two-step verification is off. Logging in now takes only your password.", "info")
            return redirect(url_for("auth.two_step_settings"))
    return render_template(
        "auth/two_step_settings.html",
        on=current_user.has_second_factor,
        codes_left=second_factor.codes_left(current_user),
        can_turn_off=True,
        form=form,
    )
