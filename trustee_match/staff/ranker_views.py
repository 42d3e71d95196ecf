"""The staff's Ranker page: how its proposals fare, learned weight versions with a preview,
and approving, setting aside or rolling back a version."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from ..extensions import db
from ..models import RankerWeights, RunKind, WeightsStatus
from ..ranking import safeguards
from ..ranking.learning import ranker_outcomes
from ..ranking.preview import preview_version
from ..ranking.runs import ask_for_learning, latest_run, learning_outcome
from ..ranking.versions import (
    approve_weights,
    roll_back_weights,
    set_aside_weights,
    weight_versions,
)
from ..services.errors import ServiceError
from .blueprint import bp
from .forms import ConfirmForm


@bp.route("/ranker")
def ranker() -> str:
    versions = weight_versions()
    live = next((v for v in versions if v.status == WeightsStatus.LIVE), None)
    pending = next((v for v in versions if v.status == WeightsStatus.PROPOSED), None)
    learning = latest_run(RunKind.LEARN)
    return render_template(
        "staff/ranker.html",
        learning=learning,
        learning_outcome=learning_outcome(learning) if learning else None,
        outcomes=ranker_outcomes(),
        versions=versions,
        live=live,
        pending=pending,
        preview=preview_version(pending) if pending and not pending.fallback else None,
        rules=safeguards,
        form=ConfirmForm(),
    )


@bp.route("/ranker/learn", methods=["POST"])
def ranker_learn() -> Response:
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        ask_for_learning(current_user)
    except ServiceError as error:
        flash(str(error), "info")
    else:
        flash(
            "The ranker is learning from decisions. It takes a minute or so; this page shows "
            "when it has finished, with what it learned.",
            "success",
        )
    return redirect(url_for("staff.ranker"))


def _version_or_404(version_id: int) -> RankerWeights:
    version = db.session.get(RankerWeights, version_id)
    if version is None:
        abort(404)
    return version


@bp.route("/ranker/versions/<int:version_id>/approve", methods=["POST"])
def ranker_approve(version_id: int) -> Response:
    if not ConfirmForm().validate_on_submit():
        abort(400)
    version = _version_or_404(version_id)
    try:
        approve_weights(current_user, version)
        flash(
            f"Version {version_id} is live. Every page will rank with it within a few seconds.",
            "success",
        )
    except ServiceError as error:
        flash(str(error), "error")
    return redirect(url_for("staff.ranker"))


@bp.route("/ranker/versions/<int:version_id>/set-aside", methods=["POST"])
def ranker_set_aside(version_id: int) -> Response:
    if not ConfirmForm().validate_on_submit():
        abort(400)
    version = _version_or_404(version_id)
    try:
        set_aside_weights(current_user, version)
        flash(f"Version {version_id} is set aside. It is kept in the history.", "success")
    except ServiceError as error:
        flash(str(error), "error")
    return redirect(url_for("staff.ranker"))


@bp.route("/ranker/rollback", methods=["POST"])
def ranker_rollback() -> Response:
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        previous = roll_back_weights(current_user)
        back_to = f"version {previous.id}" if previous else "the default weights"
        flash(f"Rolled back: the ranker uses {back_to} again.", "success")
    except ServiceError as error:
        flash(str(error), "error")
    return redirect(url_for("staff.ranker"))
