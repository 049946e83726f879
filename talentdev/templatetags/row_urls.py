"""`{% row_url "design:program" p.pk %}`: the `{% url %}` of a list's rows, reversed once.

Django's reverse() takes tens of microseconds; a page listing 50 rows with three links
each spends milliseconds on it. The rows of a list link to the same route with only the
last id changing, so the route is reversed once per page, with a marker where that id
goes, and each row's id then takes the marker's place.
"""

from django import template
from django.urls import reverse

register = template.Library()

# Stands for the row's id while the route is reversed: a whole number that no other part
# of an address holds.
MARKER = 2_147_483_647


def row_url_parts(viewname: str, *args) -> tuple[str, str]:
    """The address of `viewname` with `args` and one more id, before and after that id."""
    head, tail = reverse(viewname, args=[*args, MARKER]).rsplit(str(MARKER), 1)
    return head, tail


@register.simple_tag(takes_context=True)
def row_url(context, viewname: str, *args) -> str:
    """What `{% url viewname *args %}` gives, for a route whose last argument is a row's
    whole-number id; the route is reversed once per rendering of the template."""
    *fixed, row_id = args
    key = (__name__, viewname, *fixed)
    parts = context.render_context.get(key)
    if parts is None:
        parts = context.render_context[key] = row_url_parts(viewname, *fixed)
    head, tail = parts
    return f"{head}{int(row_id)}{tail}"
