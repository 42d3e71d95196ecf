"""Staff forms."""

from __future__ import annotations

import re

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from ..forms_common import SafeForm
from ..labels import AUDIT_TARGET_NAMES, REJECT_REASON_NAMES, SOURCE_NAMES
from ..models import REGIONS
from ..request_guard import MAX_ID


def _printable(form: FlaskForm, field: StringField) -> None:
    # The database refuses NUL, and no one searches for a control character.
    if any(ord(c) < 32 for c in field.data or ""):
        raise ValidationError("Search for letters, numbers or words.")


# What every staff search box takes: a few printable words.
SEARCH_WORDS = (Length(max=100, message="Search for at most 100 characters."), _printable)


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

    q = StringField(
        "Search by email or name",
        validators=SEARCH_WORDS,
    )


class VolunteerSearchForm(SafeForm):
    class Meta:
        csrf = False  # a GET search changes nothing

    q = StringField(
        "Find a volunteer",
        description="By name, email address, headline or skill.",
        validators=SEARCH_WORDS,
    )
    role = StringField(
        "Find the role",
        description="By its title or the charity's name.",
        validators=SEARCH_WORDS,
    )


class ProposeMatchForm(SafeForm):
    need_id = SelectField("Role", coerce=int, validators=[DataRequired("Choose a role.")])
    # Chosen from the search results (radio buttons the template draws).
    volunteer_id = IntegerField(
        "Volunteer",
        validators=[
            DataRequired("Choose a volunteer from the search results."),
            NumberRange(min=1, max=MAX_ID, message="Choose a volunteer from the search results."),
        ],
    )


class CandidateFilterForm(SafeForm):
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


class RejectMatchForm(SafeForm):
    reason = SelectField(
        "Reason",
        choices=[(reason.value, words) for reason, words in REJECT_REASON_NAMES.items()],
    )
    note = TextAreaField("Note for the team", validators=[Length(max=1000)])


class MatchFilterForm(SafeForm):
    """The match queue's filters (a GET: bookmarkable, changes nothing)."""

    class Meta:
        csrf = False

    cause = SelectField("Cause", validators=[Optional()])
    region = SelectField(
        "Role's region",
        choices=[("", "Any region")] + [(r, r) for r in REGIONS],
        validators=[Optional()],
    )
    charity = StringField(
        "Charity name",
        validators=SEARCH_WORDS,
    )
    min_score = DecimalField(
        "Score at least",
        places=2,
        description="From 0 to 1.",
        validators=[Optional(), NumberRange(min=0, max=1, message="Enter a score from 0 to 1.")],
    )
    source = SelectField(
        "Proposed by",
        choices=[("", "Anyone"), *SOURCE_NAMES.items()],
        validators=[Optional()],
    )
    min_age = IntegerField(
        "Waiting at least (days)",
        validators=[
            Optional(),
            NumberRange(min=0, max=3650, message="Enter a number of days from 0 to 3650."),
        ],
    )


class AuditFilterForm(SafeForm):
    """The audit log's filters (a GET)."""

    class Meta:
        csrf = False

    actor = SelectField("Who", validators=[Optional()])
    action = SelectField("What", validators=[Optional()])
    target_type = SelectField(
        "About",
        choices=[("", "Anything"), *AUDIT_TARGET_NAMES.items()],
        validators=[Optional()],
    )
    target_id = IntegerField(
        "Record number",
        description="The match, charity or account number, with “About” set.",
        validators=[
            Optional(),
            NumberRange(min=1, max=MAX_ID, message="Enter a record number from 1 upwards."),
        ],
    )
    since = DateField("From", validators=[Optional()])
    until = DateField("To", validators=[Optional()])

    def validate_until(self, field: DateField) -> None:
        if field.data and self.since.data and field.data < self.since.data:
            raise ValidationError("The end date must be on or after the start date.")


class PeopleSearchForm(SafeForm):
    """Finding volunteers by what they offer (a GET)."""

    class Meta:
        csrf = False

    name = StringField(
        "Name",
        validators=SEARCH_WORDS,
    )
    skill = SelectField("Skill", validators=[Optional()])
    region = SelectField(
        "Region",
        choices=[("", "Any region")] + [(r, r) for r in REGIONS],
        validators=[Optional()],
    )
    cause = SelectField("Cause", validators=[Optional()])
    available = BooleanField("Only people open to new introductions")
    min_hours = IntegerField(
        "At least this many hours a month",
        validators=[
            Optional(),
            NumberRange(min=1, max=200, message="Enter a number of hours from 1 to 200."),
        ],
    )


def _month(form: FlaskForm, field: StringField) -> None:
    value = (field.data or "").strip()
    if value and not re.fullmatch(r"20\d\d-(0[1-9]|1[0-2])", value):
        raise ValidationError("Enter a month as year and month, like 2026-03.")


class ReportFilterForm(SafeForm):
    """The reports' filters (a GET; the CSV downloads carry the same)."""

    class Meta:
        csrf = False

    cause = SelectField("Cause", validators=[Optional()])
    region = SelectField(
        "Region",
        choices=[("", "Any region")] + [(r, r) for r in REGIONS],
        validators=[Optional()],
    )
    since = StringField("From month", description="Like 2026-03.", validators=[_month])
    until = StringField("To month", description="Like 2026-09.", validators=[_month])

    def validate_until(self, field: StringField) -> None:
        if field.data and self.since.data and field.data < self.since.data:
            raise ValidationError("The last month must be on or after the first.")


class DigestForm(SafeForm):
    """Whether this staff member takes the daily digest and the expiry notes."""

    take_digest = BooleanField("Email me the daily digest and a note when a match expires")
