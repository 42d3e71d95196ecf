"""Form fields shared by more than one blueprint."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import PasswordField, SelectMultipleField, widgets
from wtforms.validators import DataRequired, EqualTo, ValidationError

from .validators import check_raw_input, strong_password


class SafeForm(FlaskForm):
    """The base of every form: each field's raw input is checked first (length, control
    characters, blank choices), so hostile input gets a plain message before any costly
    validator or the database sees it."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for field in self:
            field.validators = [check_raw_input, *field.validators]


class CheckboxesField(SelectMultipleField):
    """A group of checkboxes; renders as a fieldset in templates/macros/forms.html."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()

    def pre_validate(self, form) -> None:  # type: ignore[override]
        # A value not among the choices is a forged or stale form: say so plainly.
        values = {str(value) for value, *_ in self.iter_choices()}
        for item in self.data or []:
            if str(item) not in values:
                raise ValidationError("One of the choices is not on the list. Please choose again.")


class NewPasswordFields:
    """A new password and its confirmation, for every form that sets one (sign-up, reset,
    change, an invited colleague's account): mix in before SafeForm."""

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
