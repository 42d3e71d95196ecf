"""Forms on the pages behind emailed links."""

from __future__ import annotations

from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, Optional

from ..forms_common import SafeForm
from ..validators import strong_password


class JoinCharityForm(SafeForm):
    """An invited colleague's new account: the address is the one the invitation went to."""

    contact_name = StringField(
        "Your name", validators=[DataRequired("Enter your name."), Length(max=100)]
    )
    job_title = StringField("Your role at the charity", validators=[Optional(), Length(max=100)])
    password = PasswordField(
        "Password",
        validators=[DataRequired("Enter a password."), strong_password],
        description=(
            "8 to 128 characters. A short phrase of unrelated words is easy to remember and "
            "hard to guess."
        ),
    )
    confirm = PasswordField(
        "Confirm password",
        validators=[
            DataRequired("Enter the password again."),
            EqualTo("password", "The two passwords are not the same."),
        ],
    )
