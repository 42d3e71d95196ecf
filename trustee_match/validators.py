"""Form validators shared by the blueprints' forms."""

from __future__ import annotations

import re
import unicodedata

from wtforms import Field, Form, RadioField, SelectField, TextAreaField
from wtforms.validators import Length, StopValidation, ValidationError

PASSWORD_MIN = 10
PASSWORD_MAX = 128

# The handful that people really choose; a fuller list would be a library's job.
COMMON_PASSWORDS = frozenset(
    {
        "password123",
        "password1234",
        "1234567890",
        "qwertyuiop",
        "iloveyou12",
        "letmein123",
        "welcome123",
        "trustee123",
        "charity123",
        "passw0rd12",
        "0123456789",
        "1q2w3e4r5t",
        "abcdefghij",
        "football12",
        "qwerty1234",
    }
)

# A field without its own Length validator still has a ceiling: nothing we ask for is longer.
DEFAULT_MAX_LENGTH = 1000
# Line breaks and tabs belong in multi-line answers; no other control character belongs anywhere
# (PostgreSQL cannot even store NUL).
_TEXTAREA_CONTROLS_ALLOWED = frozenset("\t\n\r")


def _length_limit(field: Field) -> tuple[int, str]:
    """The most characters this field accepts, and what to say past it (its Length's words)."""
    lengths = sorted(
        (v for v in field.validators if isinstance(v, Length) and v.max >= 0), key=lambda v: v.max
    )
    limit = lengths[0].max if lengths else DEFAULT_MAX_LENGTH
    message = lengths[0].message if lengths and lengths[0].message else None
    if message is None:
        return limit, f"This is too long: use at most {limit:,} characters."
    return limit, message % {"min": lengths[0].min, "max": limit}


def _has_control_characters(value: str, allowed: frozenset[str]) -> bool:
    return any(unicodedata.category(c) == "Cc" and c not in allowed for c in value)


def check_raw_input(form: Form, field: Field) -> None:
    """The first validator of every field: refuse input no later validator should ever see.

    Runs before the costly ones (the email check is slow on long input) and before the database
    (which refuses NUL). Stops the field's validation with one plain message.
    """
    limit, too_long = _length_limit(field)
    allowed = _TEXTAREA_CONTROLS_ALLOWED if isinstance(field, TextAreaField) else frozenset()
    for value in field.raw_data or []:
        if not isinstance(value, str):
            continue
        problem = None
        if len(value) > limit:
            problem = too_long
        elif _has_control_characters(value, allowed):
            problem = (
                "This contains hidden control characters (they sometimes come with pasted text). "
                "Please type it again."
            )
        elif isinstance(field, SelectField | RadioField) and value and not value.strip():
            # Optional() would take a blank-looking forged choice for "no answer" and let it by.
            problem = "Choose one of the options on the list."
        if problem:
            field.errors[:] = []
            raise StopValidation(problem)


_REGULATOR_PATTERNS = (
    (re.compile(r"^\d{6,7}$"), "England and Wales"),
    (re.compile(r"^SC\d{6}$"), "Scotland"),
    (re.compile(r"^NIC\d{6}$"), "Northern Ireland"),
)


def normalise_regulator_number(value: str) -> str:
    """Upper-case and drop spaces: 'sc 012345' -> 'SC012345'."""
    return re.sub(r"\s+", "", value or "").upper()


def regulator_of(number: str) -> str | None:
    """Which regulator a (normalised) number belongs to, or None if it is not valid."""
    for pattern, regulator in _REGULATOR_PATTERNS:
        if pattern.match(number):
            return regulator
    return None


def regulator_number(form: Form, field: Field) -> None:
    """A charity number as the three UK regulators write them."""
    number = normalise_regulator_number(field.data or "")
    field.data = number
    if number and regulator_of(number) is None:
        raise ValidationError(
            "Enter a charity number as the regulator writes it: 6 or 7 digits in England and "
            "Wales (e.g. 1123456), SC and 6 digits in Scotland (SC012345), or NIC and 6 digits "
            "in Northern Ireland (NIC100001)."
        )


def strong_password(form: Form, field: Field) -> None:
    """Long enough, not too long, and not one of the passwords everybody tries first."""
    password = field.data or ""
    if len(password) < PASSWORD_MIN:
        raise ValidationError(f"Use at least {PASSWORD_MIN} characters.")
    if len(password) > PASSWORD_MAX:
        raise ValidationError(f"Use at most {PASSWORD_MAX} characters.")
    if password.lower() in COMMON_PASSWORDS or len(set(password)) < 4:
        raise ValidationError("That password is too easy to guess. Try a short phrase instead.")
    email = getattr(form, "email", None)
    if email is not None and email.data and password.lower() == email.data.strip().lower():
        raise ValidationError("Don't use your email address as your password.")
