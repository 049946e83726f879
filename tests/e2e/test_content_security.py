"""The pages that draw charts, swap with htmx or run the product's script work under the
Content-Security-Policy in a real browser (the page fixture fails on anything it blocks)."""

import pytest
from django.conf import settings
from django.urls import reverse

from people.models import User
from programs.models import Program
from talentdev.demo import FEEDBACK_SLUG, seed_demo

pytestmark = pytest.mark.django_db(transaction=True)


def blocked(console) -> list[str]:
    return [text for text in console if "Content Security Policy" in text]


def test_a_sponsors_charts_draw_and_print_under_the_policy(page, login, console):
    seed_demo()
    program = Program.objects.get(slug=FEEDBACK_SLUG)
    login(User.objects.get(username="sponsor"), password=settings.DEMO_PASSWORD)
    page.goto(reverse("sponsor:dashboard", args=[program.pk]))

    chart = page.locator("svg.chart").first
    assert chart.locator("polyline").bounding_box()["width"] > 100
    # The width the stylesheet gives, now that no style attribute may.
    assert chart.evaluate("svg => getComputedStyle(svg).maxWidth") == "640px"

    page.evaluate("window.print = () => { window.printed = true; }")
    page.get_by_role("button", name="Print or save as PDF").click()
    assert page.evaluate("window.printed") is True
    assert blocked(console) == []


def test_a_learners_progress_bar_has_its_width_under_the_policy(page, login, console):
    seed_demo()
    login(User.objects.get(username="learner"), password=settings.DEMO_PASSWORD)
    page.goto(reverse("learn:home"))

    bar = page.locator(".progress-bar").first
    percent = int(bar.get_attribute("class").split("pct-")[1].split()[0])
    track = page.locator(".progress").first.bounding_box()["width"]
    assert bar.bounding_box()["width"] == pytest.approx(track * percent / 100, abs=2)
    assert blocked(console) == []


def test_a_designers_people_search_swaps_in_and_adds_under_the_policy(page, login, console):
    seed_demo()
    program = Program.objects.get(slug=FEEDBACK_SLUG)
    login(User.objects.get(username="hradmin"), password=settings.DEMO_PASSWORD)
    page.goto(reverse("design:enrol", args=[program.pk]))

    page.get_by_label("Name, username, email or employee ID").fill("learner")
    found = page.locator("#people-found li", has_text="learner").first
    found.wait_for()
    username = found.locator(".text-body-secondary").inner_text().split()[0]
    found.get_by_role("button", name="Add").click()
    assert page.locator("#id_learners").input_value().split() == [username]
    assert found.get_by_role("button", name="Added").is_disabled()
    # htmx's indicator styles come from the stylesheet, not a style element of its own.
    assert page.locator("head style").count() == 0
    assert blocked(console) == []


REDOCLY_LOGO = "https://cdn.redoc.ly/redoc/logo-mini.svg"


def test_the_api_documentation_renders_under_its_policy(page, console, csp_expected):
    page.goto(reverse("api:swagger"))
    page.locator(".swagger-ui .info .title").wait_for()
    assert blocked(console) == []

    # Redoc's "API docs by Redocly" logo is the one thing kept out: the site loads nothing
    # from elsewhere, and the documentation reads the same without it.
    csp_expected.append(REDOCLY_LOGO)
    page.goto(reverse("api:redoc"))
    page.locator("h1", has_text="talentdev HR API").wait_for()
    assert page.locator("[role=menuitem], li[data-item-id]").count() > 10  # the operations
    assert all(REDOCLY_LOGO in text for text in blocked(console))
