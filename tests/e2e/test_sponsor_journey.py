"""A sponsor opens a dashboard from the demo data, in a real browser."""

import pytest
from django.conf import settings

from people.models import User
from talentdev.demo import seed_demo

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_sponsor_reads_the_outcome_dashboard_of_the_demo(page, login):
    seed_demo()
    login(User.objects.get(username="sponsor"), password=settings.DEMO_PASSWORD)
    assert page.get_by_role("heading", name="Programs you sponsor").is_visible()
    page.get_by_role("link", name="Timely, Specific Feedback").click()
    assert page.get_by_role("heading", name="Feedback within 24 hours").is_visible()
    assert page.locator("svg[role=img]").count() == 2
    assert page.locator("table caption", has_text="Team engagement score by month").count() == 1
    page.get_by_role("link", name="Open the review").click()
    page.get_by_label("Comment").fill("Timeliness is up; keep going.")
    page.get_by_role("button", name="Add comment").click()
    assert page.get_by_text("Timeliness is up; keep going.").is_visible()


def test_a_sponsor_reads_the_return_on_investment_with_its_arithmetic(page, login):
    seed_demo()
    login(User.objects.get(username="sponsor"), password=settings.DEMO_PASSWORD)
    page.get_by_role("link", name="Leading Through Real Work").first.click()
    roi = page.locator("section", has=page.get_by_role("heading", name="Return on investment"))
    assert roi.get_by_text("Benefit-cost ratio").is_visible()
    assert roi.get_by_text("76,680 ÷ 56,800 = 1.35").is_visible()
    assert roi.get_by_text("(76,680 − 56,800) ÷ 56,800 × 100 = 35.0 %").is_visible()
    assert roi.locator("table caption", has_text="Costs by category").count() == 1
    assert roi.get_by_text("Participants' time").is_visible()
