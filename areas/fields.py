"""Form fields the areas share: a duration in hours, people named by identifier, and a
choice among a few rows."""

import re
from datetime import timedelta
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from people.models import User
from people.selectors import people_named


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


class _ChoicesInOneQuery(forms.models.ModelChoiceIterator):
    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for instance in self.queryset:
            yield self.choice(instance)


class FewChoicesField(forms.ModelChoiceField):
    """A choice among a few rows (a learner's programs, the steps of their pathways), read
    in one plain query. Django reads a ModelChoiceField's rows through a server-side
    cursor, which on PostgreSQL is three round trips and a copy of the rows, for a list
    that is never long."""

    iterator = _ChoicesInOneQuery


# How a designer names a person: username, email or employee ID. Names are not unique.
IDENTIFIER_HELP = _("Username, email or employee ID.")


def _resolve_people(tokens: list[str]) -> list[User]:
    """The active person each token names, in the tokens' order; every miss is reported."""
    found, unknown, ambiguous = people_named(tokens)
    errors = []
    if unknown:
        errors.append(
            ValidationError(
                _("Nobody active has this username, email or employee ID: %(who)s."),
                params={"who": ", ".join(unknown)},
                code="unknown",
            )
        )
    if ambiguous:
        errors.append(
            ValidationError(
                _("These name more than one person; use the username instead: %(who)s."),
                params={"who": ", ".join(ambiguous)},
                code="ambiguous",
            )
        )
    if errors:
        raise ValidationError(errors)
    return found


def _identifier(person) -> str:
    return person.username if isinstance(person, User) else str(person)


class PeopleField(forms.CharField):
    """Several people, one per line (or separated by commas), by username, email or
    employee ID. Typing identifiers rather than picking from a list keeps the page small
    in a company of any size and shows nobody the whole directory."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 4, "autocomplete": "off"}))
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, list | tuple) or hasattr(value, "all"):
            people = value.all() if hasattr(value, "all") else value
            return "\n".join(_identifier(person) for person in people)
        return value

    def clean(self, value):
        text = super().clean(value)
        tokens = list(dict.fromkeys(t for t in re.split(r"[\s,;]+", text or "") if t))
        return _resolve_people(tokens) if tokens else []


class PersonField(forms.CharField):
    """One person by username, email or employee ID, with suggestions as you type."""

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", IDENTIFIER_HELP)
        kwargs.setdefault(
            "widget",
            forms.TextInput(
                attrs={
                    "list": "people-suggestions",
                    "autocomplete": "off",
                    "hx-get": reverse_lazy("design:people_search"),
                    "hx-trigger": "input changed delay:250ms",
                    "hx-target": "#people-suggestions",
                    "hx-swap": "innerHTML",
                }
            ),
        )
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, int) and not isinstance(value, bool):
            person = User.objects.filter(pk=value).only("username").first()
            return person.username if person else ""
        return _identifier(value) if value else value

    def clean(self, value):
        text = (super().clean(value) or "").strip()
        if not text:
            return None
        if len(text.split()) > 1:
            raise ValidationError(_("Name one person: their username, email or employee ID."))
        return _resolve_people([text])[0]
