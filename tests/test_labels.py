"""The `label` template filter says what get_FOO_display says, for every choice."""

import pytest
from django.utils import translation

from coaching.models import Observation
from measurement.models import Assessment
from programs.models import Assignment
from talentdev.templatetags.labels import label


@pytest.mark.parametrize(
    ("model", "field"),
    [(Observation, "rating"), (Assessment, "kind"), (Assignment, "status")],
)
def test_the_label_of_every_choice_is_what_get_display_says(model, field):
    for value, _ in model._meta.get_field(field).flatchoices:
        instance = model(**{field: value})
        assert label(instance, field) == getattr(instance, f"get_{field}_display")()


def test_a_value_outside_the_choices_is_shown_as_it_is():
    assert label(Observation(rating=9), "rating") == 9


def test_labels_follow_the_language_of_the_page():
    with translation.override("en"):
        assert label(Assignment(status="submitted"), "status") == "Evidence submitted"
