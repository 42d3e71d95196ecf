"""Over-long input is refused plainly and cheaply: a length check before any costly one, and a
cap on the size of a request body."""

from __future__ import annotations

import email_validator
import pytest
from flask import Flask
from werkzeug.datastructures import MultiDict
from wtforms import Field, SelectFieldBase

from trustee_match.charity import forms as charity_forms
from trustee_match.extensions import db
from trustee_match.forms_common import SafeForm
from trustee_match.models import User
from trustee_match.staff import forms as staff_forms

from .conftest import PASSWORD, login, post_form
from .factories import VolunteerFactory
from .form_classes import all_form_classes

LONG = "x" * 200_000  # under the body cap, far over any field's length
HUGE = "x" * (1024 * 1024)  # over the body cap


@pytest.fixture
def email_checks(monkeypatch) -> list[int]:
    """The length of every address handed to the (slow, super-linear) email validator."""
    seen: list[int] = []
    real = email_validator.validate_email

    def spy(value, *args, **kwargs):
        seen.append(len(value))
        return real(value, *args, **kwargs)

    monkeypatch.setattr(email_validator, "validate_email", spy)
    return seen


def test_an_overlong_email_at_sign_up_is_refused_before_the_email_check_runs(
    client, email_checks
):
    address = LONG + "@example.org"
    response = post_form(
        client,
        "/account/signup/volunteer",
        {"display_name": "Sam", "email": address, "password": PASSWORD, "confirm": PASSWORD},
    )
    assert response.status_code == 200
    assert "use at most 254 characters" in response.get_data(as_text=True)
    assert email_checks == []
    assert db.session.scalar(db.select(db.func.count()).select_from(User)) == 0


def test_an_overlong_email_for_a_password_reset_is_refused_before_the_email_check_runs(
    client, email_checks
):
    response = post_form(client, "/account/forgot-password", {"email": LONG + "@example.org"})
    assert response.status_code == 200
    assert "use at most 254 characters" in response.get_data(as_text=True)
    assert email_checks == []


def test_an_overlong_password_at_login_is_refused_without_checking_it(client, monkeypatch):
    volunteer = VolunteerFactory()
    monkeypatch.setattr(User, "check_password", lambda self, password: pytest.fail("hashed"))
    response = login(client, volunteer.email, LONG)
    assert response.status_code == 200
    assert "use at most 1,000 characters" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "path", ["/account/login", "/account/signup/volunteer", "/account/forgot-password"]
)
def test_a_one_megabyte_post_gets_the_too_large_page(client, path):
    response = post_form(client, path, {"email": HUGE, "password": "x"})
    assert response.status_code == 413
    page = response.get_data(as_text=True)
    assert "That was too large" in page
    assert "shorten what you wrote" in page


def test_a_one_megabyte_value_on_a_logged_in_form_gets_the_too_large_page(client):
    volunteer = VolunteerFactory()
    login(client, volunteer.email)
    response = post_form(client, "/volunteer/profile", {"bio": HUGE})
    assert response.status_code == 413
    assert "That was too large" in response.get_data(as_text=True)


def _all_form_classes() -> list[type[SafeForm]]:
    classes = all_form_classes()
    classes.remove(staff_forms.ConfirmForm)  # no fields: a bare CSRF-protected button
    classes.remove(staff_forms.DigestForm)  # one checkbox: no text to be too long
    classes.remove(charity_forms.ConfirmForm)
    return classes


def _text_fields(form: SafeForm) -> list[Field]:
    return [f for f in form if f.type not in {"CSRFTokenField", "BooleanField"}]


@pytest.mark.parametrize("form_class", _all_form_classes(), ids=lambda cls: cls.__name__)
def test_every_field_of_every_form_refuses_a_200kb_value_with_a_plain_message(
    app: Flask, form_class, email_checks
):
    with app.test_request_context(method="POST"):
        names = [f.name for f in _text_fields(form_class(meta={"csrf": False}))]
        form = form_class(MultiDict({name: LONG for name in names}), meta={"csrf": False})
        for field in form:
            if isinstance(field, SelectFieldBase) and field.choices is None:
                field.choices = []  # filled from the database by the views
        assert not form.validate()
        for field in _text_fields(form):
            assert any("characters" in error for error in field.errors), (field.name, field.errors)
    assert email_checks == []
