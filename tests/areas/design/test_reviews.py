"""A program's designer rolls up last week's sponsor review on demand."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

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
    # again: the same review, refreshed, and nobody told twice
    again = client.post(url, follow=True)
    assert SponsorReview.objects.filter(program=program).count() == 1
    assert Notification.objects.filter(kind="review_ready").count() == 1
    assert [str(m) for m in again.context["messages"]] == [
        f"Review of {start:%-d %b} to {end - timedelta(days=1):%-d %b %Y} rolled up again "
        "with today's figures."
    ]


@pytest.mark.parametrize("status", ["in_review", "reviewed"])
def test_a_review_its_sponsors_are_discussing_keeps_its_figures(client, program, status):
    url = reverse("design:review_rollup", args=[program.pk])
    client.post(url, follow=True)
    closed = {"reviewed_at": timezone.now(), "reviewed_by": program.sponsors.get()}
    SponsorReview.objects.update(
        status=status, snapshot={"as": "discussed"}, **(closed if status == "reviewed" else {})
    )

    response = client.post(url, follow=True)

    assert SponsorReview.objects.get().snapshot == {"as": "discussed"}
    assert [str(m) for m in response.context["messages"]] == [
        "Its sponsors are already discussing this week's review: it keeps its figures."
    ]


def test_a_program_without_sponsors_is_rolled_up_and_says_nobody_is_told(client):
    program = f.ProgramFactory()
    client.force_login(program.owner)

    response = client.post(reverse("design:review_rollup", args=[program.pk]), follow=True)

    assert SponsorReview.objects.filter(program=program).exists()
    assert not Notification.objects.exists()
    (message,) = [str(m) for m in response.context["messages"]]
    assert message.endswith("rolled up. The program has no sponsor to read it yet.")


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
    assert response.status_code == 403  # a sponsor sees the program, not its design
    assert not SponsorReview.objects.exists()
