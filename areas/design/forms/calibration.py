"""The calibration page's choice of period, read from the query string."""

from django import forms
from django.utils.translation import gettext_lazy as _

from coaching.calibration import DEFAULT_PERIOD, PERIODS
from talentdev.core.forms import Form


class CalibrationPeriodForm(Form):
    days = forms.TypedChoiceField(
        label=_("Observations from"),
        choices=[(days, _("the last %(days)d days") % {"days": days}) for days in PERIODS],
        coerce=int,
        required=False,
        empty_value=DEFAULT_PERIOD,
        # The choice shown before any is made is the period the table then shows.
        initial=DEFAULT_PERIOD,
    )

    def period(self) -> int | None:
        """The days chosen (the default when none is), or None when the choice is not one
        of the periods offered."""
        if not self.is_bound:
            return DEFAULT_PERIOD
        return self.cleaned_data["days"] if self.is_valid() else None
