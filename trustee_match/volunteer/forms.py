"""The volunteer's profile form."""

from __future__ import annotations

from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import URL, DataRequired, Length, NumberRange, Optional, Regexp

from ..forms_common import CheckboxesField, SafeForm
from ..models import REGIONS, AlertFrequency, BoardExperience, SkillLevel

BIO_MAX = 4000
LEVEL_CHOICES = [
    (SkillLevel.LEARNING.value, "Learning"),
    (SkillLevel.PRACTITIONER.value, "Practitioner"),
    (SkillLevel.EXPERT.value, "Expert"),
]


class ProfileForm(SafeForm):
    display_name = StringField(
        "Your name", validators=[DataRequired("Enter your name."), Length(max=100)]
    )
    headline = StringField(
        "Headline",
        validators=[DataRequired("Write a one-line headline."), Length(max=160)],
        description="One line about your work, e.g. 'Head of data at a housing association'.",
    )
    bio = TextAreaField(
        "About you",
        validators=[
            Optional(),
            Length(max=BIO_MAX, message=f"Keep this under {BIO_MAX} characters."),
        ],
        description="What you do, what you'd bring to a board, and why you want to be a trustee.",
    )
    skills = CheckboxesField("Skills", coerce=int)
    causes = CheckboxesField("Causes you care about", coerce=int)
    region = SelectField(
        "Region",
        choices=[("", "Choose a region")] + [(r, r) for r in REGIONS],
        validators=[DataRequired("Choose the region you live or work in.")],
    )
    remote_ok = BooleanField("I can attend board meetings remotely")
    hours_per_month = IntegerField(
        "Hours a month you can give",
        validators=[
            DataRequired("Enter how many hours a month you can give, as a whole number."),
            NumberRange(1, 40, "Enter a number of hours between 1 and 40."),
        ],
    )
    board_experience = RadioField(
        "Board experience",
        choices=[
            (BoardExperience.NONE.value, "None yet"),
            (BoardExperience.SOME.value, "I have served on a board"),
            (BoardExperience.CHAIRED.value, "I have chaired a board"),
        ],
        default=BoardExperience.NONE.value,
    )
    linkedin_url = StringField(
        "LinkedIn profile",
        validators=[
            Optional(),
            URL(message="Enter a full web address, starting https://"),
            Regexp(r"^https://([a-z]+\.)?linkedin\.com/", message="Enter a linkedin.com address."),
            Length(max=255),
        ],
    )
    phone = StringField(
        "Phone",
        validators=[
            Optional(),
            Regexp(r"^\+?[0-9 ()-]{7,20}$", message="Enter a phone number like 07700 900123."),
        ],
    )
    available = BooleanField("Propose me for trustee roles")

    def skill_levels(self, raw_levels: dict[int, str]) -> dict[int, str] | None:
        """Pair each ticked skill with its level; None (and a field error) if a level is bad."""
        valid = {value for value, _ in LEVEL_CHOICES}
        levels = {}
        for skill_id in self.skills.data or []:
            level = raw_levels.get(skill_id) or SkillLevel.PRACTITIONER.value
            if level not in valid:
                self.skills.errors.append("Choose a level for each skill you ticked.")
                return None
            levels[skill_id] = level
        return levels


class NeedFilterForm(SafeForm):
    class Meta:
        csrf = False  # a GET search form changes nothing

    skill = SelectField("Skill", validators=[Optional()])
    cause = SelectField("Cause", validators=[Optional()])
    region = SelectField(
        "Region", choices=[("", "Any region")] + [(r, r) for r in REGIONS], validators=[Optional()]
    )
    remote = BooleanField("Remote attendance possible")


class AlertSettingsForm(SafeForm):
    alert_frequency = RadioField(
        "Email me new roles that suit me",
        choices=[
            (AlertFrequency.INSTANT.value, "As soon as a role appears"),
            (AlertFrequency.WEEKLY.value, "Once a week, in one email"),
            (AlertFrequency.OFF.value, "Never"),
        ],
        default=AlertFrequency.OFF.value,
    )
    paused_until = DateField(
        "Pause matching until",
        validators=[Optional()],
        description=(
            "Busy for a while? Until this date we won't suggest you for roles or send alerts. "
            "Leave it empty to be matched as usual."
        ),
    )
