"""Form validators shared by the blueprints' forms."""

from __future__ import annotations

import re

from wtforms import Field, Form
from wtforms.validators import ValidationError

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
