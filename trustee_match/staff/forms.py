"""Staff forms."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length


class RejectCharityForm(FlaskForm):
    reason = TextAreaField(
        "Reason (the charity will see this)",
        validators=[DataRequired("Give a reason: the charity will see it."), Length(max=500)],
    )


class ConfirmForm(FlaskForm):
    """A bare CSRF-protected POST for one-button actions."""


class UserSearchForm(FlaskForm):
    class Meta:
        csrf = False

    q = StringField("Search by email or name", validators=[Length(max=100)])
