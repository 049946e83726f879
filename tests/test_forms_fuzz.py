"""Random input to every form of every page answers with a page, never a server error, and
what it stores never breaks a page afterwards.

The pages come from the URL resolver, each opened by a person whose page it is (tests/routes.py);
every form they show is posted values Hypothesis draws for its fields: text with NUL and
control characters, huge and malformed numbers, dates in year 1 or 9999, choices that are
not among the options. People sit in time zones at both ends of the clock, where a far date
overflows. The draws are derandomized, so a run in CI is repeatable.
"""

import datetime as dt
from dataclasses import dataclass, field

import pytest
from django.db import transaction
from django.test.html import Element, parse_html
from django.urls import reverse, reverse_lazy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from talentdev.bench.pages import area_routes
from tests.routes import ROLES, ROUTES, RouteWorld

pytestmark = pytest.mark.django_db

# Who opens the pages of an area that names no object; the home pages are everyone's.
AREA_OPENERS = {
    "learn": ("learner",),
    "team": ("supervisor",),
    "design": ("owner", "HR admin"),
    "sponsor": ("sponsor",),
}
# The least privileged opener is asked first: the forms every role sees, then an HR admin's.
PREFERENCE = ["learner", "supervisor", "sponsor", "owner", "HR admin", "other learner"]

EXAMPLES_PER_FORM = 8

# Every page's navigation holds the sign-out form; posting it would sign the fuzzing out.
SIGN_OUT = reverse_lazy("logout")

AWKWARD_TEXT = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\x1b[31m",
    "\u202eevil",
    "x" * 20_000,
    "=HYPERLINK(1)",
    "<script>alert(1)</script>",
    "1e20",
    "-1",
    "9999-12-31",
    "0000-00-00",
    "9999-12-31T23:59",
    "NaN",
    "%s%n",
]
TEXT = st.one_of(st.text(max_size=80), st.sampled_from(AWKWARD_TEXT))
NUMBER = st.one_of(
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.sampled_from(["1e20", "-1e20", "Infinity", "1,5", "12abc", "0", "-0"]),
    TEXT,
)
DATE = st.one_of(
    st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)).map(str), TEXT
)
MOMENT = st.one_of(
    # naive, as a datetime-local box sends it: the reader's own time zone applies
    st.datetimes(
        min_value=dt.datetime(1, 1, 1),  # noqa: DTZ001
        max_value=dt.datetime(9999, 12, 31, 23, 59),  # noqa: DTZ001
    ).map(lambda moment: moment.strftime("%Y-%m-%dT%H:%M")),
    TEXT,
)
BY_TYPE = {"number": NUMBER, "date": DATE, "datetime-local": MOMENT, "time": TEXT}


@dataclass
class Form:
    """A form as a page shows it: where it sends, how, and the values each field may take."""

    action: str
    method: str = "post"
    fields: dict[str, list] = field(default_factory=dict)

    def strategy(self):
        # a field with nothing to send (a file box, a button with no value) is left out
        drawn = {name: st.one_of(*choices) for name, choices in self.fields.items() if choices}
        return st.fixed_dictionaries(drawn)


def _elements(node):
    for child in getattr(node, "children", []):
        if isinstance(child, Element):
            yield child
            yield from _elements(child)


def _options(select) -> list[str]:
    return [
        dict(option.attributes).get("value", "")
        for option in _elements(select)
        if option.name == "option"
    ]


def _field(form: Form, element) -> None:
    attributes = dict(element.attributes)
    name = attributes.get("name")
    if not name or name == "csrfmiddlewaretoken":
        return
    drawn = form.fields.setdefault(name, [])
    if element.name == "select":
        options = _options(element)
        drawn += [st.sampled_from(options or [""]), TEXT, NUMBER]
    elif element.name == "textarea":
        drawn.append(TEXT)
    else:
        kind = attributes.get("type", "text")
        if kind in ("submit", "button", "file", "image", "reset"):
            if "value" in attributes:
                drawn.append(st.just(attributes["value"]))
            return
        if kind in ("checkbox", "radio", "hidden"):
            drawn.append(st.just(attributes.get("value", "on")))
            if kind == "hidden":
                drawn.append(TEXT)
            return
        drawn.append(BY_TYPE.get(kind, TEXT))


def forms_on(html: str, path: str) -> list[Form]:
    """Every form a page shows, with its fields, and every box that asks the server as one
    types (hx-get), as its own form of one field."""
    forms = []
    for element in _elements(parse_html(html)):
        attributes = dict(element.attributes)
        if element.name == "form":
            method = "post" if "hx-post" in attributes else attributes.get("method", "get")
            action = attributes.get("hx-post") or attributes.get("action") or path
            form = Form(action=action, method=method.lower())
            for inner in _elements(element):
                if inner.name in ("input", "select", "textarea", "button"):
                    _field(form, inner)
            forms.append(form)
        elif "hx-get" in attributes and element.name in ("input", "select"):
            form = Form(action=attributes["hx-get"], method="get")
            _field(form, element)
            forms.append(form)
    return forms


def pages() -> list[tuple[str, str]]:
    """Each GET page of the areas with the first role, in PREFERENCE, that opens it."""
    found = []
    for route in area_routes():
        if not route.allows_get:
            continue
        if route.params:
            openers = ROUTES[route.name].opens
        else:
            area = route.name.split(":")[0] if ":" in route.name else None
            openers = AREA_OPENERS.get(area, ("learner",))
        role = next(role for role in PREFERENCE if role in openers)
        found.append((route.name, role))
    return found


def _path(name: str, world) -> str:
    entry = ROUTES.get(name)
    return reverse(name, kwargs=entry.kwargs(world)) if entry else reverse(name)


class FarTimeZones(RouteWorld):
    """The route world with its people where a far date overflows: the learner at UTC+14,
    their supervisor at UTC-11, the peer reviewer in Singapore."""

    def __init__(self):
        super().__init__()
        for person, zone in (
            (self.a.learner, "Pacific/Kiritimati"),
            (self.a.supervisor, "Pacific/Pago_Pago"),
            (self.peer, "Asia/Singapore"),
        ):
            person.time_zone = zone
            person.save(update_fields=["time_zone"])


def _fuzz(client, form: Form, *, who: str) -> None:
    @settings(
        max_examples=EXAMPLES_PER_FORM,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(values=form.strategy())
    def post(values):
        # Each draw starts from the same company: one that closed a review or published a
        # pathway would leave the next with a refusal where a form should have been read.
        with transaction.atomic():
            response = getattr(client, form.method)(form.action, values)
            transaction.set_rollback(True)
        assert response.status_code < 500, f"{who} sending {values!r} to {form.action}"

    post()


def test_random_input_to_every_form_never_answers_a_server_error(client):
    world = FarTimeZones()
    posted = 0
    for name, role in pages():
        client.force_login(ROLES[role](world))
        path = _path(name, world)
        page = client.get(path)
        assert page.status_code < 500, f"{role} opening {path}"
        if page.status_code != 200 or not page["Content-Type"].startswith("text/html"):
            continue
        for form in forms_on(page.content.decode(), path):
            if form.action == str(SIGN_OUT):
                continue
            _fuzz(client, form, who=role)
            posted += 1
    # Whatever was stored, the pages still answer everyone, in every time zone: each
    # person the pages that name no object, and those that name one they open.
    for role, person in ROLES.items():
        client.force_login(person(world))
        for route in area_routes():
            if route.allows_get and (not route.params or role in ROUTES[route.name].opens):
                path = _path(route.name, world)
                assert client.get(path).status_code < 500, f"{role} opening {path} afterwards"
    assert posted > 30, "the pages showed fewer forms than the product has"
