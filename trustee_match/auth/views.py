"""Sign-up, log-in, email verification and passwords."""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user
from werkzeug.wrappers import Response

from ..extensions import limiter
from ..services import accounts, second_factor
from ..services.accounts import CharitySignup
from ..services.errors import ServiceError
from ..services.tokens import TokenProblem, check_token
from ..validators import personal_words
from . import limits
from .blueprint import bp
from .forms import (
    ChangePasswordForm,
    CharitySignupForm,
    ForgotPasswordForm,
    LoginForm,
    ResetPasswordForm,
    VolunteerSignupForm,
)
from .session import begin_pending_login, begin_session, end_session, forget_session

log = logging.getLogger(__name__)


def safe_next(target: str | None) -> str | None:
    """Only a path on this site: no scheme, no host, no '//' or backslash tricks."""
    if not target:
        return None
    target = target.strip()
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target or any(ord(c) < 32 for c in target):
        return None
    return target


def home_for(user) -> str:
    """Where a user lands after logging in."""
    if user.is_staff:
        return url_for("staff.dashboard")
    if user.is_charity:
        return url_for("charity.dashboard")
    return url_for("volunteer.dashboard")


def _personal_words(user) -> list[str]:
    """The user's own details, which a new password must not be built from."""
    charity = user.charity.name if user.is_charity and user.charity else None
    return personal_words(user.email, accounts.display_name_of(user), charity)


@bp.route("/signup")
def signup() -> str:
    return render_template("auth/signup_choice.html")


@bp.route("/signup/volunteer", methods=["GET", "POST"])
@limiter.limit("10 per hour", methods=["POST"])
def signup_volunteer() -> str | Response:
    form = VolunteerSignupForm()
    if form.validate_on_submit():
        accounts.register_volunteer(
            display_name=form.display_name.data,
            email=form.email.data,
            password=form.password.data,
        )
        return redirect(url_for("auth.check_email"))
    return render_template("auth/signup_volunteer.html", form=form)


@bp.route("/signup/charity", methods=["GET", "POST"])
@limiter.limit("10 per hour", methods=["POST"])
def signup_charity() -> str | Response:
    form = CharitySignupForm()
    if form.validate_on_submit():
        signup = CharitySignup(
            contact_name=form.contact_name.data,
            job_title=form.job_title.data or None,
            email=form.email.data,
            password=form.password.data,
            charity_name=form.charity_name.data,
            regulator_number=None if form.not_registered.data else form.regulator_number.data,
            not_registered_reason=(
                form.not_registered_reason.data.strip() if form.not_registered.data else None
            ),
            region=form.region.data,
        )
        try:
            accounts.register_charity(signup)
        except ServiceError as error:
            form.regulator_number.errors.append(str(error))
        else:
            return redirect(url_for("auth.check_email"))
    return render_template("auth/signup_charity.html", form=form)


@bp.route("/check-email")
def check_email() -> str:
    return render_template("auth/check_email.html")


@bp.route("/verify/<token>")
def verify_email(token: str) -> str | Response:
    # A GET that uses the token is acceptable here: verifying is idempotent and harmless if a mail
    # scanner does it, unlike accepting a match.
    check = accounts.verify_email(token)
    if check.ok:
        flash("Thank you: your email address is confirmed. You can log in now.", "success")
        return redirect(url_for("auth.login"))
    return render_template("auth/link_problem.html", problem=check.problem, kind="verify"), 400


@bp.route("/login", methods=["GET", "POST"])
@limits.per_ip
@limits.per_account
def login() -> str | Response:
    if current_user.is_authenticated:
        return redirect(home_for(current_user))
    form = LoginForm()
    if form.validate_on_submit():
        user = accounts.authenticate(form.email.data, form.password.data)
        if user is None:
            limits.note_failed_login()
            known = accounts.find_user_by_email(form.email.data)
            log.warning("login failed: user %s", known.id if known else "unknown")
            form.password.errors.append("That email and password do not match an account.")
        elif not user.email_verified:
            accounts.resend_verification(user)
            flash("Please confirm your email address first: we have sent you a new link.", "info")
            return redirect(url_for("auth.check_email"))
        elif second_factor.required_for(user):
            begin_pending_login(
                user,
                remember=form.remember.data,
                next_path=safe_next(request.args.get("next")),
                account_key=limits.account_key(form.email.data),
            )
            log.info("password right, code asked: user %s", user.id)
            step = "verify" if user.has_second_factor else "setup"
            return redirect(url_for(f"auth.two_step_{step}"))
        else:
            begin_session(user, remember=form.remember.data)
            log.info("login: user %s", user.id)
            return redirect(safe_next(request.args.get("next")) or home_for(user))
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
def logout() -> Response:
    end_session()
    flash("You have logged out.", "info")
    response = redirect(url_for("public.home"))
    # A shared computer's next user must not find this person's pages in the browser's cache.
    response.headers["Clear-Site-Data"] = '"cache", "storage"'
    return response


@bp.route("/forgot-password", methods=["GET", "POST"])
@limiter.limit("5 per hour", methods=["POST"])
def forgot_password() -> str | Response:
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        accounts.request_password_reset(form.email.data)
        flash(
            "If an account uses that address, we have emailed it a link to reset the password. "
            "The link works once and for a short time.",
            "info",
        )
        return redirect(url_for("auth.login"))
    return render_template("auth/forgot_password.html", form=form)


@bp.route("/reset-password/<token>", methods=["GET", "POST"])
def reset_password(token: str) -> str | Response:
    check = check_token(token, accounts.RESET)
    if not check.ok:
        return render_template("auth/link_problem.html", problem=check.problem, kind="reset"), 400
    form = ResetPasswordForm()
    form.personal_words = _personal_words(check.token.user)
    if form.validate_on_submit():
        result = accounts.reset_password(token, form.password.data)
        if not result.ok:
            problem = result.problem or TokenProblem.INVALID
            return render_template("auth/link_problem.html", problem=problem, kind="reset"), 400
        forget_session()
        flash("Your password has been set. Please log in with it.", "success")
        return redirect(url_for("auth.login"))
    return render_template("auth/reset_password.html", form=form)


@bp.route("/password", methods=["GET", "POST"])
@login_required
def change_password() -> str | Response:
    form = ChangePasswordForm()
    form.personal_words = _personal_words(current_user)
    if form.validate_on_submit():
        try:
            accounts.change_password(current_user, form.current_password.data, form.password.data)
        except ServiceError as error:
            form.current_password.errors.append(str(error))
        else:
            # Keep this session alive with the new session token; all others are now invalid.
            login_user(current_user._get_current_object())
            flash("Your password has been changed. Other devices have been logged out.", "success")
            return redirect(home_for(current_user))
    return render_template("auth/change_password.html", form=form)


from . import privacy_views  # noqa: E402, F401 - adds the "your data" routes to `bp`
