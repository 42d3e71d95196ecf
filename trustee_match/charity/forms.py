"""Forms for a charity's profile and its needs."""

from __future__ import annotations

from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import URL, DataRequired, Email, Length, NumberRange, Optional

from ..forms_common import CheckboxesField, SafeForm
from ..models import INCOME_BAND_LABELS, REGIONS

_region_choices = [("", "Choose a region")] + [(r, r) for r in REGIONS]


class CharityProfileForm(SafeForm):
    name = StringField(
        "Charity name", validators=[DataRequired("Enter the name."), Length(max=160)]
    )
    description = TextAreaField(
        "What the charity does",
        validators=[Optional(), Length(max=4000, message="Keep this under 4,000 characters.")],
    )
    region = SelectField("Region", choices=_region_choices, validators=[Optional()])
    town = StringField("Town or city", validators=[Optional(), Length(max=100)])
    income_band = SelectField(
        "Annual income",
        choices=[("", "Choose a band")]
        + [(b.value, label) for b, label in INCOME_BAND_LABELS.items()],
        validators=[Optional()],
    )
    website = StringField(
        "Website",
        validators=[
            Optional(),
            URL(message="Enter a full web address, starting https://"),
            Length(max=255),
        ],
    )
    causes = CheckboxesField("Causes", coerce=int)


class NeedForm(SafeForm):
    title = StringField(
        "Role title",
        validators=[DataRequired("Give the role a title."), Length(max=160)],
        description="For example: 'Trustee with digital and data experience'.",
    )
    description = TextAreaField(
        "About the role",
        validators=[
            DataRequired("Describe the role."),
            Length(max=8000, message="Keep this under 8,000 characters."),
        ],
        description="What the board needs, what the trustee would do, and how the board works.",
    )
    required_skills = CheckboxesField("Skills the role needs", coerce=int)
    desired_skills = CheckboxesField("Skills that would be a bonus", coerce=int)
    causes = CheckboxesField("Causes", coerce=int)
    region = SelectField(
        "Region where meetings happen",
        choices=_region_choices,
        validators=[DataRequired("Choose the region where the board meets.")],
    )
    town = StringField("Town or city", validators=[Optional(), Length(max=100)])
    remote_ok = BooleanField("Trustees can attend remotely")
    hours_per_month = IntegerField(
        "Hours a month",
        validators=[
            DataRequired("Enter the hours a month, as a whole number."),
            NumberRange(1, 40, "Enter a number of hours between 1 and 40."),
        ],
    )
    closing_date = DateField(
        "Closing date",
        validators=[Optional()],
        description="After this date the role is no longer shown.",
    )

    def validate_required_skills(self, field) -> None:
        if not field.data:
            from wtforms.validators import ValidationError

            raise ValidationError("Choose at least one skill the role needs.")


class NeedStatusForm(SafeForm):
    """The buttons that publish, pause or close a need: a CSRF-protected POST with an action."""

    action = SelectField(
        choices=[
            ("publish", "Publish"),
            ("pause", "Pause"),
            ("close", "Close"),
            ("mark_filled", "Filled"),
        ]
    )


class InviteColleagueForm(SafeForm):
    email = EmailField(
        "Your colleague's email address",
        validators=[
            DataRequired("Enter your colleague's email address."),
            Email("Enter an email address like name@example.org."),
            Length(max=254),
        ],
        filters=[lambda value: value.strip() if isinstance(value, str) else value],
    )


class MatchEmailsForm(SafeForm):
    members = CheckboxesField("Who gets match emails", coerce=int)


class ConfirmForm(SafeForm):
    """A button that needs nothing but the CSRF token (remove a colleague, leave)."""


class BoardMemberForm(SafeForm):
    name = StringField(
        "Name",
        validators=[Optional(), Length(max=100)],
        description="Leave it blank if you'd rather not say: the audit only needs the skills.",
    )
    skills = CheckboxesField("Their skills", coerce=int)
    term_ends_on = DateField(
        "Their term ends on",
        validators=[Optional()],
        description="We'll remind you three months before, so you can recruit in time.",
    )
