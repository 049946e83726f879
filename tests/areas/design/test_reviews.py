"""A program's designer rolls up last week's sponsor review on demand."""

from datetime import timedelta

import pytest
from django.urls import reverse

from measurement.models import SponsorReview
from measurement.rollups import last_full_week, utc_today
from people.models import Notification
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def program(client):
    program = f.ProgramFactory()
    program.sponsors.add(f.UserFactory())
    client.force_login(program.owner)
    return program


def test_the_owner_rolls_up_last_weeks_review_and_the_sponsors_are_told(client, program):
    page = client.get(reverse("design:program", args=[program.pk])).text
    url = reverse("design:review_rollup", args=[program.pk])
    assert f'action="{url}"' in page

    response = client.post(url, follow=True)

    start, end = last_full_week(utc_today())
    review = SponsorReview.objects.get(program=program)
    assert (review.period_start, review.period_end) == (start, end)
    assert review.status == SponsorReview.Status.READY
    assert Notification.objects.get(kind="review_ready").recipient == program.sponsors.get()
    assert response.redirect_chain[-1][0].startswith(reverse("design:program", args=[program.pk]))
    assert [str(m) for m in response.context["messages"]] == [
        f"Review of {start:%-d %b} to {end - timedelta(days=1):%-d %b %Y} rolled up: its "
        "sponsors are told."
    ]
    # again: the same review, refreshed
    client.post(url)
    assert SponsorReview.objects.filter(program=program).count() == 1


def test_a_program_not_yet_active_is_not_rolled_up_and_says_why(client, program):
    program.status = "draft"
    program.save(update_fields=["status"])
    url = reverse("design:review_rollup", args=[program.pk])
    assert url not in client.get(reverse("design:program", args=[program.pk])).text

    response = client.post(url, follow=True)

    assert [str(m) for m in response.context["messages"]] == [
        "Only an active program's results are rolled up for its sponsors."
    ]
    assert not SponsorReview.objects.exists()


def test_only_the_programs_designers_roll_up_its_review(client, program):
    sponsor = program.sponsors.get()
    client.force_login(sponsor)
    response = client.post(reverse("design:review_rollup", args=[program.pk]))
    assert response.status_code in (403, 404)
    assert not SponsorReview.objects.exists()
