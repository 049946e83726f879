"""Who may see and change programs, pathways, enrolments and assignments.

Roles are contextual. A learner sees their own records. A supervisor or coach sees the
enrolments they are named on; a line manager sees their direct reports' enrolments. A
program owner sees everything in their program. A sponsor sees their programs. An HR
admin sees everything. The Q objects here are the one definition of "works with a
learner" and "follows an enrolment": access, the team page and the navigation share them.
"""

from dataclasses import dataclass

import rules
from django.db.models import Q

from talentdev.core.access import hr_admin, visibility, visible_through

from .models import Cohort, Enrolment, Pathway, Program, Step

# How each person around an enrolment is reached from it: the one definition that both the
# querysets (Q objects) and the checks on one enrolment (predicates) below read.
PEOPLE_ON_ENROLMENT = {
    "learner": "learner",
    "supervisor": "supervisor",
    "coach": "coach",
    "line_manager": "learner__manager",
    "program_owner": "program__owner",
}
WORKS_WITH_LEARNER = ("supervisor", "coach", "line_manager")
FOLLOWS_ENROLMENT = ("learner", *WORKS_WITH_LEARNER, "program_owner")


def _as_any(user, prefix: str, people) -> Q:
    condition = Q()
    for person in people:
        condition |= Q(**{f"{prefix}{PEOPLE_ON_ENROLMENT[person]}": user})
    return condition


def works_with_learner(user, prefix: str = "") -> Q:
    """Enrolments a person works on with the learner: as supervisor, coach or line manager.
    `prefix` reaches the enrolment from a related row, e.g. "enrolment__"."""
    return _as_any(user, prefix, WORKS_WITH_LEARNER)


def works_with_learner_each(user) -> dict[str, Q]:
    """works_with_learner one way at a time (as supervisor, coach, line manager), for a
    query that asks each from its own index: PostgreSQL answers the OR of them with a join
    over every learner's manager."""
    return {person: Q(**{PEOPLE_ON_ENROLMENT[person]: user}) for person in WORKS_WITH_LEARNER}


def follows_enrolment(user, prefix: str = "") -> Q:
    """Enrolments a person may follow individually: their own, those they work on with the
    learner, and those of the programs they own."""
    return _as_any(user, prefix, FOLLOWS_ENROLMENT)


def ids_working_with(enrolment) -> set[int]:
    """The people who work with the learner on this enrolment (supervisor, coach, line
    manager), by the ids already loaded: those who can observe them at work."""
    ids = set()
    for person in WORKS_WITH_LEARNER:
        *hops, last = PEOPLE_ON_ENROLMENT[person].split("__")
        target = enrolment
        for hop in hops:
            target = getattr(target, hop, None)
        if target is not None and getattr(target, f"{last}_id") is not None:
            ids.add(getattr(target, f"{last}_id"))
    return ids


def sponsored_program_ids(user):
    """The ids of the programs a person sponsors, as a sub-select."""
    return Program.sponsors.through.objects.filter(user=user).values("program_id")


@visibility("programs.program")
def _programs(user):
    # Sub-selects rather than joins keep rows distinct. One sub-select per way of following
    # an enrolment, each read from its own index: PostgreSQL answers the OR of them as one
    # with a join over every enrolment and every learner's manager. (Following as the
    # program's owner is the first condition.)
    ways = {"learner": Q(learner=user), **works_with_learner_each(user)}
    followed = Q()
    for condition in ways.values():
        followed |= Q(pk__in=Enrolment.objects.filter(condition).values("program_id"))
    return Q(owner=user) | Q(pk__in=sponsored_program_ids(user)) | followed


@visibility("people.user")
def _people(user):
    # People are seen through what ties them to you: your line, and the enrolments you
    # take part in.
    followed = Enrolment.objects.filter(follows_enrolment(user)).values("learner_id")
    mine = Enrolment.objects.filter(learner=user)
    return (
        Q(pk=user.pk)
        | Q(manager=user)
        | Q(pk=user.manager_id)
        | Q(pk__in=followed)
        | Q(pk__in=mine.values("supervisor_id"))
        | Q(pk__in=mine.values("coach_id"))
    )


visibility("programs.pathway")(visible_through(Pathway, "program"))
visibility("programs.cohort")(visible_through(Cohort, "program"))
visibility("programs.step")(visible_through(Step, "pathway__program"))
visibility("programs.enrolment")(follows_enrolment)
visibility("programs.stepprogress")(lambda user: follows_enrolment(user, "enrolment__"))
visibility("programs.assignment")(lambda user: follows_enrolment(user, "enrolment__"))


# Predicates on one object. Each compares ids already on the object where it can, so a
# check costs no query; a sponsor check costs one.


def _program_of(obj):
    if obj is None:
        return None
    if isinstance(obj, Program):
        return obj
    return getattr(obj, "program", None)


def _enrolment_of(obj):
    if obj is None:
        return None
    if isinstance(obj, Enrolment):
        return obj
    return getattr(obj, "enrolment", None)


@rules.predicate
def owns_program(user, obj):
    program = _program_of(obj)
    return program is not None and program.owner_id == user.id


@rules.predicate
def sponsors_program(user, obj):
    program = _program_of(obj)
    return program is not None and program.sponsors.filter(pk=user.pk).exists()


def _is_on_enrolment(person: str) -> rules.Predicate:
    """Whether the user is this person of the object's enrolment, by ids already loaded."""
    *hops, last = PEOPLE_ON_ENROLMENT[person].split("__")

    def check(user, obj):
        target = _enrolment_of(obj)
        for hop in hops:
            target = getattr(target, hop, None)
        return target is not None and getattr(target, f"{last}_id") == user.id

    return rules.Predicate(check, name=person)


def _is_any_on_enrolment(people) -> rules.Predicate:
    first, *others = (_is_on_enrolment(person) for person in people)
    for predicate in others:
        first |= predicate
    return first


is_learner = _is_on_enrolment("learner")
supervises = _is_on_enrolment("supervisor")
owns_enrolment_program = _is_on_enrolment("program_owner")
works_with = _is_any_on_enrolment(WORKS_WITH_LEARNER)
follows = _is_any_on_enrolment(FOLLOWS_ENROLMENT) | hr_admin


@rules.predicate
def owns_a_program(user):
    """Owners of any program may start another; the design area is theirs."""
    return Program.objects.filter(owner=user).exists()


designs_program = owns_program | hr_admin

# Programs and their design
rules.add_perm("programs.add_program", owns_a_program | hr_admin)
rules.add_perm("programs.view_program", designs_program | sponsors_program)
rules.add_perm("programs.change_program", designs_program)
rules.add_perm("programs.enrol_learners", designs_program)
# Enrolments and the learner's own work
rules.add_perm("programs.view_enrolment", follows)
rules.add_perm("programs.change_enrolment", owns_enrolment_program | hr_admin)
rules.add_perm("programs.submit_evidence", is_learner)


def _step_rule_is(rule):
    return rules.Predicate(
        lambda user, progress: progress is not None and progress.step.completed_by == rule,
        name=f"step_completed_by_{rule}",
    )


# A step's sign-off (the object is the learner's progress on it), as its rule says: the
# learner marks their own self-paced steps done; the people working with them sign off the
# steps the supervisor signs off. Steps their evidence completes take nobody's sign-off.
rules.add_perm(
    "programs.sign_off_step",
    (_step_rule_is(Step.Completion.LEARNER) & is_learner)
    | (_step_rule_is(Step.Completion.SUPERVISOR) & (works_with | hr_admin)),
)
rules.add_perm("programs.skip_step", works_with | hr_admin)
# On-the-job assignments (the object is the enrolment)
rules.add_perm("programs.give_assignment", works_with | hr_admin)


@dataclass(frozen=True)
class StepActions:
    """What one person may do on one step of a learner's pathway right now."""

    mark_done: bool  # the learner's own sign-off
    sign_off: bool  # a supervisor's sign-off
    skip: bool
    reflect: bool  # write the reflection the step asks for


def step_actions(user, progress) -> StepActions:
    """The access rules and the step's state together: only an open step of an active
    enrolment moves. `progress` comes with its step and enrolment loaded."""
    moving = (
        progress.status == progress.Status.IN_PROGRESS
        and progress.enrolment.status == Enrolment.Status.ACTIVE
    )
    if not moving:
        return StepActions(mark_done=False, sign_off=False, skip=False, reflect=False)
    rule = progress.step.completed_by
    signs = user.has_perm("programs.sign_off_step", progress)
    return StepActions(
        mark_done=signs and rule == Step.Completion.LEARNER,
        sign_off=signs and rule == Step.Completion.SUPERVISOR,
        skip=progress.step.skippable and user.has_perm("programs.skip_step", progress),
        reflect=rule == Step.Completion.REFLECTION
        and user.has_perm("coaching.write_reflection", progress.enrolment),
    )
