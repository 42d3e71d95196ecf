"""Staff forms."""

from __future__ import annotations

from wtforms import EmailField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from ..forms_common import SafeForm


class RejectCharityForm(SafeForm):
    reason = TextAreaField(
        "Reason (the charity will see this)",
        validators=[DataRequired("Give a reason: the charity will see it."), Length(max=500)],
    )


class ConfirmForm(SafeForm):
    """A bare CSRF-protected POST for one-button actions."""


class UserSearchForm(SafeForm):
    class Meta:
        csrf = False

    q = StringField("Search by email or name", validators=[Length(max=100)])


class ProposeMatchForm(SafeForm):
    need_id = SelectField("Role", coerce=int, validators=[DataRequired("Choose a role.")])
    volunteer_email = EmailField(
        "Volunteer's email address",
        validators=[DataRequired("Enter the volunteer's email address."), Length(max=254)],
    )


class RejectMatchForm(SafeForm):
    reason = SelectField(
        "Reason",
        choices=[
            ("skills_mismatch", "Skills don't fit the role"),
            ("location", "Location doesn't work"),
            ("availability", "Not enough time available"),
            ("conflict_of_interest", "Conflict of interest"),
            ("profile_incomplete", "Profile too thin to judge"),
            ("other", "Other"),
        ],
    )
    note = TextAreaField("Note for the team", validators=[Length(max=1000)])
