"""Staff forms."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from ..models import REGIONS


def _printable(form: FlaskForm, field: StringField) -> None:
    # The database refuses NUL, and no one searches for a control character.
    if any(ord(c) < 32 for c in field.data or ""):
        raise ValidationError("Search for letters, numbers or words.")


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


class VolunteerSearchForm(FlaskForm):
    class Meta:
        csrf = False  # a GET search changes nothing

    q = StringField(
        "Find a volunteer",
        description="By name, email address, headline or skill.",
        validators=[Length(max=100, message="Search for at most 100 characters."), _printable],
    )


class ProposeMatchForm(FlaskForm):
    need_id = SelectField("Role", coerce=int, validators=[DataRequired("Choose a role.")])
    # Chosen from the search results (radio buttons the template draws).
    volunteer_id = IntegerField(
        "Volunteer", validators=[DataRequired("Choose a volunteer from the search results.")]
    )


class CandidateFilterForm(FlaskForm):
    class Meta:
        csrf = False  # a GET filter changes nothing

    region = SelectField(
        "Lives in",
        choices=[("", "Any region")] + [(r, r) for r in REGIONS],
        validators=[Optional()],
    )
    remote = BooleanField("Can attend remotely")
    skill = SelectField("Has the skill", validators=[Optional()])
    min_hours = IntegerField(
        "At least this many hours a month",
        validators=[
            Optional(),
            NumberRange(min=1, max=200, message="Enter a number of hours from 1 to 200."),
        ],
    )


class RejectMatchForm(FlaskForm):
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
