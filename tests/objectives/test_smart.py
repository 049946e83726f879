"""The SMART rule for performance objectives, as full_clean() reports it to a designer."""

import datetime as dt
from datetime import timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError

from objectives.models import PerformanceObjective
from objectives.smart import smart_problems, unobservable_verb
from tests.factories import PerformanceObjectiveFactory, ProgramFactory

pytestmark = pytest.mark.django_db

AT_MOST = PerformanceObjective.Comparator.AT_MOST
AT_LEAST = PerformanceObjective.Comparator.AT_LEAST
OBSERVATION = PerformanceObjective.EvidenceMethod.OBSERVATION

# What a designer reads for each gap (objectives/smart.py).
MISSING_ACTION = (
    "Say what the learner will do: an observable verb and its object, e.g. 'deliver feedback'."
)
MISSING_CONDITION = (
    "State the condition: when or where the behaviour happens, "
    "e.g. 'after observing a team member's behaviour'."
)
MISSING_MEASURE = "Say what is measured, e.g. 'hours from the observed behaviour to the feedback'."
MISSING_UNIT = "Give the unit of the measure, e.g. 'hours' or '%'."
MISSING_COMPARATOR = "Set the target's comparator: at most, at least or exactly."
MISSING_TARGET = "Set the target's value, e.g. 24."
PERCENTAGE_OUT_OF_RANGE = "A percentage target lies between 0 and 100."
MISSING_TIME_BOUND = (
    "Make it time-bound: a time window after the triggering event (e.g. 24 hours) or a review date."
)
MISSING_ANCHOR = "Say what the time window counts from, e.g. 'of observing a behaviour'."
MISSING_EVIDENCE = (
    "Choose how it will be evidenced: observation, work sample or performance metric."
)
ONE_WORD_ACTION = (
    "Name what the action is done to as well as the verb: 'deliver feedback', not 'deliver'."
)


def unobservable_statement(verb):
    return (
        f"'{verb}' happens inside the head and cannot be observed: that is a learning "
        "objective. Say what the learner will do that someone can see or hear."
    )


def unobservable_action(verb):
    return (
        f"'{verb}' cannot be observed. Use a verb someone can see or hear, "
        "e.g. 'deliver', 'cite', 'describe'."
    )


@pytest.fixture
def program():
    return ProgramFactory()


def smart_errors(objective) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as excinfo:
        objective.full_clean()
    return excinfo.value.message_dict


def feedback_within_24_hours(program, **changes):
    """The article's first objective, unsaved, with `changes` applied."""
    return PerformanceObjectiveFactory.build(program=program, **changes)


# The article's feedback example: three performance objectives that pass, one vague one that fails.


def deliver_feedback_within_24_hours(program):
    return PerformanceObjective(
        program=program,
        statement="Participants will deliver feedback within 24 hours of observing a behavior.",
        action="deliver feedback",
        condition="after observing a team member's behaviour",
        measure="hours from the observed behaviour to the feedback",
        measure_unit="hours",
        target_comparator=AT_MOST,
        target_value=Decimal("24"),
        time_window=timedelta(hours=24),
        time_window_anchor="of observing a behaviour",
        evidence_method=OBSERVATION,
    )


def cite_specific_examples(program):
    return PerformanceObjective(
        program=program,
        statement="Participants will cite specific examples when giving feedback.",
        action="cite specific examples",
        condition="when giving feedback on an observed behaviour",
        measure="share of feedback conversations citing a specific example",
        measure_unit="%",
        target_comparator=AT_LEAST,
        target_value=Decimal("90"),
        time_window=timedelta(hours=24),
        time_window_anchor="after the observed behaviour",
        evidence_method=OBSERVATION,
    )


def cite_specific_examples_by_review_date(program):
    return PerformanceObjective(
        program=program,
        statement="Participants will cite specific examples when giving feedback.",
        action="cite specific examples",
        condition="when giving feedback on an observed behaviour",
        measure="share of feedback conversations citing a specific example",
        measure_unit="%",
        target_comparator=AT_LEAST,
        target_value=Decimal("90"),
        review_date=dt.date(2026, 6, 30),
        evidence_method=OBSERVATION,
    )


def describe_impact_on_team_goals(program):
    return PerformanceObjective(
        program=program,
        statement="Participants will describe the impact of the behavior on team goals.",
        action="describe the impact of the behaviour on team goals",
        condition="when giving feedback on an observed behaviour",
        measure="share of feedback conversations describing the impact on team goals",
        measure_unit="%",
        target_comparator=AT_LEAST,
        target_value=Decimal("90"),
        time_window=timedelta(hours=24),
        time_window_anchor="after the observed behaviour",
        evidence_method=OBSERVATION,
    )


@pytest.mark.parametrize(
    "build",
    [
        deliver_feedback_within_24_hours,
        cite_specific_examples,
        cite_specific_examples_by_review_date,
        describe_impact_on_team_goals,
    ],
)
def test_the_articles_feedback_objectives_are_smart(program, build):
    objective = build(program)

    objective.full_clean()
    objective.save()

    assert smart_problems(objective) == {}


def test_participants_will_understand_feedback_is_rejected_saying_what_is_missing(program):
    vague = PerformanceObjective(
        program=program,
        statement="Participants will understand feedback.",
        action="understand feedback",
    )

    assert smart_errors(vague) == {
        "statement": [unobservable_statement("understand")],
        "action": [unobservable_action("understand")],
        "condition": [MISSING_CONDITION],
        "measure": [MISSING_MEASURE],
        "measure_unit": [MISSING_UNIT],
        "target_comparator": [MISSING_COMPARATOR],
        "target_value": [MISSING_TARGET],
        "time_window": [MISSING_TIME_BOUND],
        "evidence_method": [MISSING_EVIDENCE],
    }


# Observable verbs.

UNOBSERVABLE_ACTIONS = {
    "understand": "understand feedback",
    "know": "know the feedback model",
    "appreciate": "appreciate timely feedback",
    "learn": "learn the feedback model",
    "be aware of": "be aware of team goals",
}


@pytest.mark.parametrize(("verb", "action"), UNOBSERVABLE_ACTIONS.items())
def test_an_action_with_an_unobservable_verb_is_rejected(program, verb, action):
    objective = feedback_within_24_hours(program, action=action)

    assert smart_errors(objective) == {"action": [unobservable_action(verb)]}


@pytest.mark.parametrize("verb", UNOBSERVABLE_ACTIONS)
def test_a_statement_with_an_unobservable_verb_is_rejected(program, verb):
    objective = feedback_within_24_hours(
        program, statement=f"Participants will {verb} the value of timely feedback."
    )

    assert smart_errors(objective) == {"statement": [unobservable_statement(verb)]}


def test_a_statement_saying_will_be_able_to_understand_is_rejected(program):
    objective = feedback_within_24_hours(
        program, statement="Participants will be able to understand feedback."
    )

    assert smart_errors(objective) == {"statement": [unobservable_statement("understand")]}


@pytest.mark.parametrize(
    "action",
    [
        "deliver feedback",
        "cite specific examples",
        "describe the impact on team goals",
        "acknowledge the behaviour",  # 'know' inside another word is not the verb 'know'
    ],
)
def test_an_action_with_an_observable_verb_is_accepted(program, action):
    feedback_within_24_hours(program, action=action).full_clean()


@pytest.mark.parametrize(
    ("text", "verb"),
    [
        ("understands feedback", "understand"),
        ("Understanding feedback", "understand"),
        ("to know the model", "know"),
        ("learning the model", "learn"),
        ("be aware of team goals", "be aware of"),
        ("deliver feedback", None),
        ("share knowledge with the team", None),
    ],
)
def test_an_unobservable_verb_is_found_in_any_inflection_at_the_start_of_an_action(text, verb):
    assert unobservable_verb(text) == verb


# One rule at a time, on the otherwise SMART first objective.


def test_a_one_word_action_is_rejected(program):
    objective = feedback_within_24_hours(program, action="deliver")

    assert smart_errors(objective) == {"action": [ONE_WORD_ACTION]}


def test_a_verb_with_its_object_is_accepted(program):
    feedback_within_24_hours(program, action="deliver feedback").full_clean()


@pytest.mark.parametrize("action", ["", "   "])
def test_a_missing_action_is_rejected(program, action):
    objective = feedback_within_24_hours(program, action=action)

    assert smart_errors(objective) == {"action": [MISSING_ACTION]}


@pytest.mark.parametrize(
    ("field", "blank", "message"),
    [
        ("condition", "  ", MISSING_CONDITION),
        ("measure", "", MISSING_MEASURE),
        ("measure_unit", " ", MISSING_UNIT),
        ("target_comparator", "", MISSING_COMPARATOR),
        ("target_value", None, MISSING_TARGET),
        ("evidence_method", "", MISSING_EVIDENCE),
    ],
)
def test_each_missing_part_is_reported_against_its_field(program, field, blank, message):
    objective = feedback_within_24_hours(program, **{field: blank})

    assert smart_errors(objective) == {field: [message]}


@pytest.mark.parametrize("target", [Decimal("100.01"), Decimal("120"), Decimal("-1")])
def test_a_percentage_target_outside_0_to_100_is_rejected(program, target):
    objective = feedback_within_24_hours(program, measure_unit="%", target_value=target)

    assert smart_errors(objective) == {"target_value": [PERCENTAGE_OUT_OF_RANGE]}


@pytest.mark.parametrize("target", [Decimal("0"), Decimal("90"), Decimal("100")])
def test_a_percentage_target_from_0_to_100_is_accepted(program, target):
    feedback_within_24_hours(program, measure_unit="%", target_value=target).full_clean()


def test_a_target_above_100_is_accepted_when_the_unit_is_not_a_percentage(program):
    feedback_within_24_hours(
        program, measure_unit="hours", target_value=Decimal("120")
    ).full_clean()


@pytest.mark.parametrize("anchor", ["", "   "])
def test_a_time_window_without_its_anchor_is_rejected(program, anchor):
    objective = feedback_within_24_hours(program, time_window_anchor=anchor)

    assert smart_errors(objective) == {"time_window_anchor": [MISSING_ANCHOR]}


def test_a_time_window_with_its_anchor_is_accepted(program):
    feedback_within_24_hours(
        program, time_window=timedelta(hours=24), time_window_anchor="of observing a behaviour"
    ).full_clean()


def test_a_review_date_instead_of_a_time_window_is_accepted(program):
    feedback_within_24_hours(
        program, time_window=None, time_window_anchor="", review_date=dt.date(2026, 6, 30)
    ).full_clean()


def test_an_objective_with_neither_time_window_nor_review_date_is_rejected(program):
    objective = feedback_within_24_hours(program, time_window=None, review_date=None)

    assert smart_errors(objective) == {"time_window": [MISSING_TIME_BOUND]}


def test_the_rule_checks_any_object_with_the_models_attributes():
    # Forms and serializers check what was entered before there is an instance.
    entered = SimpleNamespace(
        statement="Participants will deliver feedback.",
        action="deliver feedback",
        condition="after observing a behaviour",
        measure="hours to feedback",
        measure_unit="hours",
        target_comparator="",
        target_value=Decimal("24"),
        time_window=None,
        time_window_anchor="",
        review_date=dt.date(2026, 6, 30),
        evidence_method="observation",
    )

    assert smart_problems(entered) == {"target_comparator": [MISSING_COMPARATOR]}
