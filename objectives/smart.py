"""The SMART rule for performance objectives, in the one place forms, admin and API use.

A performance objective is only one when someone can observe it and measure it: an
action (verb and object), the condition, what is measured and in which unit, a target,
a time bound and the way it will be evidenced. Each gap is reported against its field
with what is missing, so a designer knows what to write.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Verbs that describe what happens inside someone's head: nobody can watch them happen.
UNOBSERVABLE_VERBS = (
    "understand",
    "know",
    "appreciate",
    "learn",
    "be aware of",
    "become aware of",
    "be familiar with",
    "become familiar with",
    "realize",
    "realise",
    "believe",
    "comprehend",
    "grasp",
    "internalize",
    "internalise",
    "value",
    "feel",
    "think about",
)
_VERB_ALTERNATION = "|".join(
    re.escape(v) for v in sorted(UNOBSERVABLE_VERBS, key=len, reverse=True)
)
# "understand", "understands" or "understanding" at the start of the action.
_ACTION_UNOBSERVABLE = re.compile(rf"^(?:to\s+)?({_VERB_ALTERNATION})(?:s|ing)?\b", re.IGNORECASE)
# "... will understand ..." / "... will be able to know ..." in the statement.
_STATEMENT_UNOBSERVABLE = re.compile(
    rf"\bwill\s+(?:be\s+able\s+to\s+)?({_VERB_ALTERNATION})\b", re.IGNORECASE
)


def unobservable_verb(text: str, *, in_statement: bool = False) -> str | None:
    """The unobservable verb the text leads with (or, in a statement, follows 'will' with)."""
    pattern = _STATEMENT_UNOBSERVABLE if in_statement else _ACTION_UNOBSERVABLE
    match = pattern.search(text.strip())
    return match.group(1).lower() if match else None


def smart_problems(objective) -> dict[str, list[str]]:
    """Each field of a performance objective that breaks the SMART rule, with what is missing.

    Takes anything with the model's attributes, so a form or serializer can check an
    unsaved instance.
    """
    problems: dict[str, list[str]] = {}

    def report(field, message):
        problems.setdefault(field, []).append(message)

    statement = (objective.statement or "").strip()
    verb = unobservable_verb(statement, in_statement=True) if statement else None
    if verb:
        report(
            "statement",
            _(
                "'%(verb)s' happens inside the head and cannot be observed: that is a learning "
                "objective. Say what the learner will do that someone can see or hear."
            )
            % {"verb": verb},
        )

    action = (objective.action or "").strip()
    if not action:
        report(
            "action",
            _(
                "Say what the learner will do: an observable verb and its object, "
                "e.g. 'deliver feedback'."
            ),
        )
    elif verb := unobservable_verb(action):
        report(
            "action",
            _(
                "'%(verb)s' cannot be observed. Use a verb someone can see or hear, "
                "e.g. 'deliver', 'cite', 'describe'."
            )
            % {"verb": verb},
        )
    elif len(action.split()) < 2:
        report(
            "action",
            _(
                "Name what the action is done to as well as the verb: 'deliver feedback', "
                "not 'deliver'."
            ),
        )

    if not (objective.condition or "").strip():
        report(
            "condition",
            _(
                "State the condition: when or where the behaviour happens, "
                "e.g. 'after observing a team member's behaviour'."
            ),
        )
    if not (objective.measure or "").strip():
        report(
            "measure",
            _("Say what is measured, e.g. 'hours from the observed behaviour to the feedback'."),
        )
    unit = (objective.measure_unit or "").strip()
    if not unit:
        report("measure_unit", _("Give the unit of the measure, e.g. 'hours' or '%'."))

    if not objective.target_comparator:
        report("target_comparator", _("Set the target's comparator: at most, at least or exactly."))
    if objective.target_value is None:
        report("target_value", _("Set the target's value, e.g. 24."))
    elif unit == "%" and not 0 <= objective.target_value <= 100:
        report("target_value", _("A percentage target lies between 0 and 100."))

    if objective.time_window is None and objective.review_date is None:
        report(
            "time_window",
            _(
                "Make it time-bound: a time window after the triggering event "
                "(e.g. 24 hours) or a review date."
            ),
        )
    elif objective.time_window is not None and not (objective.time_window_anchor or "").strip():
        report(
            "time_window_anchor",
            _("Say what the time window counts from, e.g. 'of observing a behaviour'."),
        )

    if not objective.evidence_method:
        report(
            "evidence_method",
            _("Choose how it will be evidenced: observation, work sample or performance metric."),
        )
    return problems


def validate_smart(objective) -> None:
    """Raise a ValidationError naming every field that keeps the objective from being SMART."""
    problems = smart_problems(objective)
    if problems:
        raise ValidationError(problems)
