"""Form fields shared by more than one blueprint."""

from __future__ import annotations

from wtforms import SelectMultipleField, widgets
from wtforms.validators import ValidationError


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
