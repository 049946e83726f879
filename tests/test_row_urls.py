"""`{% row_url %}` gives each row the address `{% url %}` gives it."""

import pytest
from django.template import Context, Template, TemplateSyntaxError
from django.urls import reverse

ROWS = [1, 7, 42, 2_147_483_646, 1_000_000_007]


@pytest.mark.parametrize(
    ("route", "fixed"),
    [("design:program", []), ("design:enrolment", [3]), ("design:step_edit", [12])],
)
def test_every_row_gets_the_address_reverse_gives_it(route, fixed):
    page = Template(
        "{% load row_urls %}{% for pk in rows %}{% row_url route fixed.0 pk %}|{% endfor %}"
        if fixed
        else "{% load row_urls %}{% for pk in rows %}{% row_url route pk %}|{% endfor %}"
    ).render(Context({"rows": ROWS, "route": route, "fixed": fixed}))
    assert page.split("|")[:-1] == [reverse(route, args=[*fixed, pk]) for pk in ROWS]


def test_rows_of_different_programs_get_their_own_programs_address():
    page = Template(
        "{% load row_urls %}"
        "{% for p, e in pairs %}{% row_url 'design:enrolment' p e %} {% endfor %}"
    ).render(Context({"pairs": [(1, 5), (2, 5), (1, 6)]}))
    assert page.split() == [
        reverse("design:enrolment", args=[p, e]) for p, e in [(1, 5), (2, 5), (1, 6)]
    ]


def test_a_row_without_a_whole_number_id_is_refused():
    with pytest.raises((ValueError, TemplateSyntaxError)):
        Template("{% load row_urls %}{% row_url 'design:program' 'x' %}").render(Context())
