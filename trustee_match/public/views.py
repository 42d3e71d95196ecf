"""Pages anyone can see."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template

bp = Blueprint("public", __name__)


@bp.route("/")
def home() -> str:
    return render_template("public/home.html")


@bp.route("/privacy")
def privacy() -> str:
    """The privacy notice: what we keep, why, for how long, and how to use your rights."""
    return render_template(
        "public/privacy.html",
        retention_days=current_app.config["PRIVACY_RETENTION_DAYS"],
    )

