"""The staff's Ranker page: how its proposals fare, and re-weighting it from decisions."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from ..extensions import db
from ..models import RankerWeights
from ..ranking.learning import current_weights, learn_ranker_weights, ranker_outcomes
from .blueprint import bp
from .forms import ConfirmForm


@bp.route("/ranker")
def ranker() -> str:
    history = db.session.scalars(
        select(RankerWeights).order_by(RankerWeights.id.desc()).limit(10)
    ).all()
    return render_template(
        "staff/ranker.html",
        outcomes=ranker_outcomes(),
        history=history,
        current=current_weights(),
        form=ConfirmForm(),
    )


@bp.route("/ranker/learn", methods=["POST"])
def ranker_learn() -> Response:
    if not ConfirmForm().validate_on_submit():
        abort(400)
    row = learn_ranker_weights(current_user)
    if row.fallback:
        flash(
            f"Only {row.n_labels} decisions so far: too few to learn from, so the ranker keeps "
            "its default weights.",
            "info",
        )
    else:
        flash(
            f"The ranker learned new weights (version {row.id}) from {row.n_labels} decisions.",
            "success",
        )
    return redirect(url_for("staff.ranker"))
