"""Form fields shared across apps."""

from datetime import timedelta
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _


class HoursField(forms.DecimalField):
    """A duration entered as a number of hours (e.g. 24 or 1.5), stored as a timedelta."""

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", Decimal("0.25"))
        kwargs.setdefault("max_digits", 7)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("widget", forms.NumberInput(attrs={"step": "0.25"}))
        super().__init__(**kwargs)
        self.error_messages.setdefault("min_value", _("Enter at least a quarter of an hour."))

    def prepare_value(self, value):
        if isinstance(value, timedelta):
            hours = Decimal(value.total_seconds()) / 3600
            return hours.quantize(Decimal("0.01")).normalize()
        return value

    def clean(self, value):
        hours = super().clean(value)
        return None if hours is None else timedelta(hours=float(hours))
