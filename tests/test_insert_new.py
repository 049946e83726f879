"""insert_new: an insert that skips rows already stored and says which rows it created."""

import datetime as dt

import pytest

from measurement.models import SponsorReview
from talentdev.core.services import insert_new
from tests import factories as f

pytestmark = pytest.mark.django_db

WEEK = {"period_start": dt.date(2026, 11, 2), "period_end": dt.date(2026, 11, 9)}


def _review(program):
    return SponsorReview(program=program, snapshot={}, generated_at=dt.datetime.now(dt.UTC), **WEEK)


def test_only_the_rows_this_insert_created_come_back():
    stored, new_one, new_two = (f.ProgramFactory() for _ in range(3))
    kept = SponsorReview.objects.create(
        program=stored, snapshot={"kept": True}, generated_at=dt.datetime.now(dt.UTC), **WEEK
    )

    created = insert_new(SponsorReview, [_review(stored), _review(new_one), _review(new_two)])

    assert created == set(
        SponsorReview.objects.filter(program__in=[new_one, new_two]).values_list("pk", flat=True)
    )
    assert len(created) == 2
    assert SponsorReview.objects.get(pk=kept.pk).snapshot == {"kept": True}  # left as it was


def test_an_insert_that_meets_only_stored_rows_creates_nothing():
    program = f.ProgramFactory()
    insert_new(SponsorReview, [_review(program)])

    assert insert_new(SponsorReview, [_review(program)]) == set()
    assert insert_new(SponsorReview, []) == set()
    assert SponsorReview.objects.filter(program=program).count() == 1
