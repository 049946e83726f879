"""The form an HR admin fills in to let an HR system into the API."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from people.models import OrgUnit
from talentdev.core.forms import Form

from ..models import ApiClient
from ..scopes import SCOPES
from .selectors import org_units_coded


class OrgUnitsField(forms.CharField):
    """Org units by code, one per line (or separated by commas), found with the search
    beside the form. A company's org tree can run to thousands of units: typing codes, with
    suggestions for what is typed, keeps the page the same size whatever the tree's, as the
    people fields do for people."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 3, "autocomplete": "off"}))
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return "\n".join(
                unit.code if isinstance(unit, OrgUnit) else str(unit) for unit in value
            )
        return value

    def clean(self, value):
        text = super().clean(value)
        codes = list(dict.fromkeys(c for c in re.split(r"[\s,;]+", text or "") if c))
        if not codes:
            return []
        found, unknown = org_units_coded(codes)
        if unknown:
            raise ValidationError(
                _("No org unit has this code: %(codes)s."),
                params={"codes": ", ".join(unknown)},
                code="unknown",
            )
        return found


class ApiClientForm(Form):
    """A new client: what it is called, what it may do and whose records it reaches."""

    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("The HR system that will call the API, e.g. “Workday people sync”."),
    )
    scopes = forms.MultipleChoiceField(
        label=_("Scopes"),
        choices=[(scope, f"{scope}: {meaning}") for scope, meaning in SCOPES.items()],
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Choose at least one scope: a client without one can do nothing.")
        },
        help_text=_("Give only what the HR system needs."),
    )
    data_scope = forms.ChoiceField(
        label=_("Whose records it reaches"),
        choices=ApiClient.DataScope.choices,
        initial=ApiClient.DataScope.COMPANY,
        widget=forms.RadioSelect,
    )
    org_units = OrgUnitsField(
        label=_("Org units"),
        required=False,
        help_text=_(
            "Codes of the org units, one per line; the units below them are included. "
            "Find a unit's code with the search."
        ),
    )

    def clean(self):
        data = super().clean()
        if data.get("data_scope") == ApiClient.DataScope.ORG_UNITS:
            if "org_units" in data and not data["org_units"]:
                self.add_error(
                    "org_units",
                    _("Name at least one org unit, or let the client reach the whole company."),
                )
        else:
            # A client of the whole company is limited by no unit: codes typed before the
            # choice changed are not kept.
            data["org_units"] = []
        return data
