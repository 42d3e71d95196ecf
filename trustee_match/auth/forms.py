"""Account forms. The role is never a form field: it comes from the URL."""

from __future__ import annotations

from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Email, Length, Optional

from ..forms_common import NewPasswordFields, SafeForm
from ..models import REGIONS
from ..validators import regulator_number


def _strip(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value


_email_validators = [
    DataRequired("Enter your email address."),
    Email("Enter an email address like name@example.org."),
    Length(max=254),
]


class VolunteerSignupForm(NewPasswordFields, SafeForm):
    display_name = StringField(
        "Your name", validators=[DataRequired("Enter your name."), Length(max=100)]
    )
    email = EmailField("Email address", validators=_email_validators, filters=[_strip])


class CharitySignupForm(NewPasswordFields, SafeForm):
    contact_name = StringField(
        "Your name", validators=[DataRequired("Enter your name."), Length(max=100)]
    )
    job_title = StringField("Your role at the charity", validators=[Optional(), Length(max=100)])
    email = EmailField("Work email address", validators=_email_validators, filters=[_strip])
    charity_name = StringField(
        "Charity name",
        validators=[DataRequired("Enter the charity's name."), Length(max=160)],
    )
    regulator_number = StringField(
        "Registered charity number",
        validators=[Optional(), regulator_number],
        description="England and Wales: 1123456. Scotland: SC012345. Northern Ireland: NIC100001.",
    )
    not_registered = BooleanField("We are not a registered charity")
    not_registered_reason = StringField(
        "Why not? (for example: a Community Interest Company)",
        validators=[Optional(), Length(max=255)],
    )
    region = SelectField(
        "Region",
        choices=[("", "Choose a region")] + [(r, r) for r in REGIONS],
        validators=[DataRequired("Choose the region the charity is based in.")],
    )

    def validate(self, extra_validators=None) -> bool:  # type: ignore[override]
        ok = super().validate(extra_validators)
        if self.not_registered.data:
            if not (self.not_registered_reason.data or "").strip():
                self.not_registered_reason.errors.append(
                    "Tell us why the organisation is not registered."
                )
                ok = False
        elif not self.regulator_number.data:
            self.regulator_number.errors.append(
                "Enter the charity number, or tick that you are not registered."
            )
            ok = False
        return ok


class LoginForm(SafeForm):
    email = EmailField(
        "Email address", validators=[DataRequired("Enter your email address.")], filters=[_strip]
    )
    password = PasswordField("Password", validators=[DataRequired("Enter your password.")])
    remember = BooleanField(
        "Keep me logged in on this device",
        description="Not on a shared computer. Staff accounts are never kept logged in.",
    )


class ForgotPasswordForm(SafeForm):
    email = EmailField("Email address", validators=_email_validators, filters=[_strip])


class ResetPasswordForm(NewPasswordFields, SafeForm):
    pass


class ChangePasswordForm(NewPasswordFields, SafeForm):
    current_password = PasswordField(
        "Current password", validators=[DataRequired("Enter your current password.")]
    )


class TwoStepCodeForm(SafeForm):
    code = StringField(
        "Code",
        validators=[DataRequired("Enter the code."), Length(max=64)],
        filters=[_strip],
    )


class TurnOffTwoStepForm(SafeForm):
    password = PasswordField(
        "Your password", validators=[DataRequired("Enter your password to switch it off.")]
    )


class DeleteAccountForm(SafeForm):
    password = PasswordField("Your password", validators=[DataRequired("Enter your password.")])
    confirm = BooleanField(
        "I understand that this deletes my account and cannot be undone",
        validators=[DataRequired("Tick the box to confirm that you want to delete your account.")],
    )
