"""The base forms everything people type goes through, so the input rules hold everywhere:
dates within sane years, text without control characters, whole numbers that fit a column."""

from django import forms
from django.core.validators import (
    MaxValueValidator,
    MinValueValidator,
    ProhibitNullCharactersValidator,
)

from .validators import validate_multiline_text, validate_sane_date, validate_single_line_text

# The range of a 32-bit integer column, which no whole number a form takes may exceed; a
# narrower column (a small integer) is held to its own range by the model's full_clean().
INTEGER_MIN, INTEGER_MAX = -(2**31), 2**31 - 1


def apply_input_rules(field: forms.Field) -> None:
    """Add the shared input rules to one form field, once."""
    if getattr(field, "input_rules", False):
        return
    field.input_rules = True
    if isinstance(field, forms.CharField):
        multiline = isinstance(field.widget, forms.Textarea)
        # Ours names NUL among the others, in one message.
        field.validators = [
            v for v in field.validators if not isinstance(v, ProhibitNullCharactersValidator)
        ]
        field.validators.append(validate_multiline_text if multiline else validate_single_line_text)
    elif isinstance(field, forms.DateField | forms.DateTimeField):
        field.validators.append(validate_sane_date)
    elif isinstance(field, forms.IntegerField) and not isinstance(field, forms.DecimalField):
        if field.min_value is None:
            field.validators.append(MinValueValidator(INTEGER_MIN))
        if field.max_value is None:
            field.validators.append(MaxValueValidator(INTEGER_MAX))


class InputRulesMixin:
    """Applies the shared input rules to every field when the form is cleaned, so fields a
    form adds in its __init__ are covered too."""

    def full_clean(self):
        for field in self.fields.values():
            apply_input_rules(field)
        super().full_clean()


class Form(InputRulesMixin, forms.Form):
    """A form whose fields follow the shared input rules."""


class ModelForm(InputRulesMixin, forms.ModelForm):
    """A model form whose fields follow the shared input rules."""
