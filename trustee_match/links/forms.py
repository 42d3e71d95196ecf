"""Forms on the pages behind emailed links."""

from __future__ import annotations

from wtforms import StringField
from wtforms.validators import DataRequired, Length, Optional

from ..forms_common import NewPasswordFields, SafeForm


class JoinCharityForm(NewPasswordFields, SafeForm):
    """An invited colleague's new account: the address is the one the invitation went to."""

    contact_name = StringField(
        "Your name", validators=[DataRequired("Enter your name."), Length(max=100)]
    )
    job_title = StringField("Your role at the charity", validators=[Optional(), Length(max=100)])
