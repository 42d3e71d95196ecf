"""Every form class in the app, for tests that go through them all."""

from __future__ import annotations

from wtforms.fields.core import UnboundField

from trustee_match.auth import forms as auth_forms
from trustee_match.charity import forms as charity_forms
from trustee_match.forms_common import SafeForm
from trustee_match.links import forms as links_forms
from trustee_match.matches.pages import MatchActionForm
from trustee_match.staff import forms as staff_forms
from trustee_match.volunteer import forms as volunteer_forms


def all_form_classes() -> list[type[SafeForm]]:
    """Every SafeForm subclass the blueprints define, by name."""
    classes: set[type[SafeForm]] = {MatchActionForm}
    for module in (auth_forms, charity_forms, links_forms, staff_forms, volunteer_forms):
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, SafeForm) and value is not SafeForm:
                classes.add(value)
    return sorted(classes, key=lambda cls: cls.__name__)


def all_field_names() -> list[str]:
    """The name of every field of every form (what a POST may carry)."""
    names = {
        name
        for cls in all_form_classes()
        for name in dir(cls)
        if isinstance(getattr(cls, name), UnboundField)
    }
    return sorted(names)
