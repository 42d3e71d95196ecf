"""Form validators shared by the blueprints' forms."""

from __future__ import annotations

import re
import unicodedata

from wtforms import Field, Form, RadioField, SelectField, TextAreaField
from wtforms.validators import Length, StopValidation, ValidationError
from zxcvbn import zxcvbn

PASSWORD_MIN = 8
PASSWORD_MAX = 128
# zxcvbn's cost grows steeply with length (seconds for 72 characters of l33t symbols); the first
# 32 characters decide: if they are hard to guess, so is the whole.
_STRENGTH_CHARS = 32
_STRONG_ENOUGH = 3  # zxcvbn's "safely unguessable": about 10^10 guesses or more

# Words about this site a guesser tries first (ASVS 6.1.2): they count as easy to guess.
CONTEXT_WORDS = ("trusteematch", "trustee", "trustees", "charity", "charities", "volunteer")

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


def personal_words(*texts: str | None) -> list[str]:
    """What a user's own details offer a guesser: each text, its words, its words run together
    (and the same for an address's local part: 'sam.lee@x.org' gives 'samlee')."""
    words: set[str] = set()
    for text in texts:
        if not text:
            continue
        text = text.strip().lower()
        for whole in {text, text.split("@")[0]}:
            parts = [p for p in re.split(r"[^\w]+", whole) if len(p) >= 2]
            words.update([whole, *parts, "".join(parts)])
    return sorted(words)


def password_problem(password: str, personal: list[str]) -> str | None:
    """Why a new password will not do, or None. Length first: it is what people can fix."""
    if len(password) < PASSWORD_MIN:
        return f"Use at least {PASSWORD_MIN} characters."
    if len(password) > PASSWORD_MAX:
        return f"Use at most {PASSWORD_MAX} characters."
    own_words = {word.lower() for word in personal}
    result = zxcvbn(
        password[:_STRENGTH_CHARS],
        user_inputs=[*personal, *CONTEXT_WORDS],
        max_length=_STRENGTH_CHARS,
    )
    own = sum(
        len(match["token"])
        for match in result["sequence"]
        if match.get("dictionary_name") == "user_inputs" and match["matched_word"] in own_words
    )
    if own * 2 >= min(len(password), _STRENGTH_CHARS):
        return "Don't build your password from your name or email address."
    # zxcvbn puts a string with no pattern in it at 10^n guesses for n characters, and its score
    # 3 starts just above 10^8: without the second test no 8-character password could pass.
    if result["score"] < _STRONG_ENOUGH and result["guesses"] < 10**PASSWORD_MIN:
        return "That password is too easy to guess. Try a short phrase of unrelated words instead."
    return None


def strong_password(form: Form, field: Field) -> None:
    """8 to 128 characters, no rules about kinds of character, and hard to guess: not a common
    password, a keyboard pattern, or the user's own name or email address.

    The form's own email and name fields are used, plus any `personal_words` a view gave the
    form (the logged-in user's details, where the form has no such fields).
    """
    texts = [getattr(form, name).data for name in _PERSONAL_FIELDS if hasattr(form, name)]
    personal = personal_words(*[t for t in texts if isinstance(t, str)])
    problem = password_problem(
        field.data or "", personal + list(getattr(form, "personal_words", []))
    )
    if problem:
        raise ValidationError(problem)


_PERSONAL_FIELDS = ("email", "display_name", "contact_name", "charity_name")
