"""A choice field's label in a template, as get_FOO_display gives it, for long lists.

Each get_FOO_display call translates every choice of the field to find one; on a page of
a few hundred rows that is thousands of translations. `{{ observation|label:"rating" }}`
reads a table of the field's labels made once per language.
"""

from functools import lru_cache

from django import template
from django.utils import translation

register = template.Library()


@lru_cache(maxsize=256)
def _labels(model, name: str, language: str) -> dict:
    return {value: str(label) for value, label in model._meta.get_field(name).flatchoices}


@register.filter
def label(instance, name: str):
    """The label of the choice held in the field `name` of `instance`; the value itself
    when it is not one of the choices, as get_FOO_display does."""
    value = getattr(instance, name)
    return _labels(type(instance), name, translation.get_language() or "").get(value, value)
