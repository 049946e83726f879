"""The migration that starts the progress history backfills an event for every change made
before it, so history starts complete: steps started, completed and skipped, enrolments
completed, paused and withdrawn, competency reached.

Migrating a database back and forth is slow, so one test covers every kind of row; like
every migration test it is marked migration_test (`-m "not migration_test"` leaves it out).
"""

import datetime as dt

import pytest

pytestmark = [pytest.mark.migration_test, pytest.mark.django_db(transaction=True)]

BEFORE, AFTER = ("programs", "0001_initial"), ("programs", "0002_progression")


def _at(day, hour=9):
    return dt.datetime(2026, 2, day, hour, tzinfo=dt.UTC)


def _noon(day):
    return _at(day, 12)


def test_the_history_starts_with_an_event_for_every_change_recorded_before_it(migrator):
    old = migrator.apply_initial_migration(BEFORE)
    get = old.apps.get_model
    User = get("people", "User")  # noqa: N806 - historical models
    Enrolment, StepProgress = get("programs", "Enrolment"), get("programs", "StepProgress")
    owner = User.objects.create(username="owner")
    program = get("programs", "Program").objects.create(
        name="Feedback", slug="feedback", business_goal="-", owner=owner, starts_on=_at(1).date()
    )
    pathway = get("programs", "Pathway").objects.create(
        program=program, status="published", published_at=_at(1)
    )
    steps = [
        get("programs", "Step").objects.create(
            pathway=pathway, position=position, kind="role_play", title=f"Step {position}"
        )
        for position in (1, 2)
    ]

    def enrol(name, progress=((), ()), **fields):
        """An enrolment as it was stored before history, with its two steps' progress
        (status, started, completed, last changed) and its own last change."""
        changed = fields.pop("changed", _at(1))
        enrolment = Enrolment.objects.create(
            learner=User.objects.create(username=name),
            program=program,
            pathway=pathway,
            enrolled_on=_at(1).date(),
            **fields,
        )
        Enrolment.objects.filter(pk=enrolment.pk).update(updated_at=changed)
        for step, row in zip(steps, progress, strict=True):
            status, started, completed, last = [*row, None, None, None, None][:4]
            made = StepProgress.objects.create(
                enrolment=enrolment,
                step=step,
                status=status or "not_started",
                started_at=started,
                completed_at=completed,
            )
            StepProgress.objects.filter(pk=made.pk).update(updated_at=last or _at(1))
        return enrolment.pk

    enrolments = {
        "moving": enrol(
            "moving",
            (("completed", _at(1), _at(3)), ("in_progress", _at(3))),
        ),
        # skipped once open, and skipped before it opened; when was kept only as the last change
        "skipping": enrol(
            "skipping",
            (("skipped", _at(1), None, _at(4)), ("skipped", None, None, _at(6))),
        ),
        "completed": enrol(
            "completed",
            (("completed", _at(1), _at(2)), ("completed", _at(2), _at(5))),
            status="completed",
            completed_on=_at(5).date(),
        ),
        "competent": enrol(
            "competent",
            (("in_progress", _at(1)), ()),
            competent_on=_at(8).date(),
        ),
        "paused": enrol(
            "paused", (("in_progress", _at(1)), ()), status="paused", changed=_at(7, 15)
        ),
        "withdrawn": enrol("withdrawn", status="withdrawn", changed=_at(5, 11)),
        "untouched": enrol("untouched"),
    }

    new = migrator.apply_tested_migration(AFTER)
    events = new.apps.get_model("programs", "ProgressEvent").objects.all()
    names = {pk: name for name, pk in enrolments.items()}
    positions = {step.pk: step.position for step in steps}
    assert {e.cause for e in events} == {"backfill"}
    assert sorted(
        (
            names[e.enrolment_id],
            e.type,
            positions.get(e.step_id),
            e.from_status,
            e.to_status,
            e.occurred_at,
        )
        for e in events
    ) == sorted(
        [
            ("moving", "step.unlocked", 1, "not_started", "in_progress", _at(1)),
            ("moving", "step.completed", 1, "in_progress", "completed", _at(3)),
            ("moving", "step.unlocked", 2, "not_started", "in_progress", _at(3)),
            ("skipping", "step.unlocked", 1, "not_started", "in_progress", _at(1)),
            ("skipping", "step.skipped", 1, "in_progress", "skipped", _at(4)),
            ("skipping", "step.skipped", 2, "not_started", "skipped", _at(6)),
            ("completed", "step.unlocked", 1, "not_started", "in_progress", _at(1)),
            ("completed", "step.completed", 1, "in_progress", "completed", _at(2)),
            ("completed", "step.unlocked", 2, "not_started", "in_progress", _at(2)),
            ("completed", "step.completed", 2, "in_progress", "completed", _at(5)),
            ("completed", "enrolment.completed", None, "active", "completed", _noon(5)),
            ("competent", "step.unlocked", 1, "not_started", "in_progress", _at(1)),
            ("competent", "enrolment.competent", None, "", "", _noon(8)),
            ("paused", "step.unlocked", 1, "not_started", "in_progress", _at(1)),
            ("paused", "enrolment.status", None, "active", "paused", _at(7, 15)),
            ("withdrawn", "enrolment.status", None, "active", "withdrawn", _at(5, 11)),
        ]
    )
