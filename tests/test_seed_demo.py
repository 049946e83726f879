"""The demo data: complete, consistent with the product's rules, and idempotent."""

from datetime import timedelta
from io import StringIO

import pytest
from django.apps import apps
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.utils import timezone

from coaching.calibration import calibration_rows, calibration_since
from coaching.models import FeedbackWindow, KeptCalibrationRow
from objectives.models import PerformanceObjective
from people.models import User
from programs.audit import Severity, program_audit
from programs.models import Enrolment, Program, ProgressEvent, StepProgress
from talentdev.demo import DEMO_LOGINS, FEEDBACK_SLUG, LEADERSHIP_SLUG, seed_demo
from tests.kept_counts import assert_values_counted

pytestmark = pytest.mark.django_db

PRODUCT_APPS = ("people", "objectives", "programs", "coaching", "measurement")


def _row_counts():
    return {
        model._meta.label: model.objects.count()
        for app in PRODUCT_APPS
        for model in apps.get_app_config(app).get_models()
    }


def _without_history(counts: dict) -> dict:
    return {label: n for label, n in counts.items() if ".Historical" not in label}


def _people():
    return dict(User.objects.values_list("username", "pk"))


def _standing(today):
    """Where each learner stands, relative to `today`: (program, learner) -> step statuses
    in order, enrolment status, days to competency, and the open steps' days until due."""
    standing = {}
    enrolments = Enrolment.objects.select_related("program", "learner").prefetch_related(
        "progress__step"
    )
    for enrolment in enrolments:
        rows = sorted(enrolment.progress.all(), key=lambda row: row.step.position)
        competent = enrolment.competent_on
        standing[enrolment.program.slug, enrolment.learner.username] = (
            "".join(STATUS_LETTERS[row.status] for row in rows),
            enrolment.status,
            None if competent is None else (competent - enrolment.enrolled_on).days,
            [(row.due_on - today).days for row in rows if row.status == "in_progress"],
        )
    return standing


STATUS_LETTERS = {"completed": "C", "skipped": "S", "in_progress": "I", "not_started": "-"}


def _history(now):
    """Every progress event, with how long before `now` it happened."""
    events = ProgressEvent.objects.select_related("enrolment__learner", "step")
    return sorted(
        (
            event.enrolment.learner.username,
            event.type,
            event.step.title if event.step else "",
            event.cause,
            now - event.occurred_at,
        )
        for event in events
    )


def test_seeding_again_a_week_later_adds_no_rows_and_reopens_recent_windows():
    first_now = timezone.now()
    seed_demo(now=first_now)
    counts, people = _row_counts(), _people()
    # The demo is not empty anywhere.
    assert [label for label, count in counts.items() if count == 0] == []
    assert_values_counted()

    standing, history = _standing(timezone.localdate(first_now)), _history(first_now)

    later = first_now + timedelta(days=8)
    seed_demo(now=later)

    # A re-run changes rows (their times move with the clock), which their audit history
    # records; the rows themselves are the same.
    assert _without_history(_row_counts()) == _without_history(counts)
    assert _people() == people
    assert_values_counted()  # the second run moved values in time, never counted them again
    # No decision was added or taken back: every learner stands where they stood, with the
    # same days to competency and due dates as far ahead.
    assert _standing(timezone.localdate(later)) == standing
    assert _history(later) == history
    # Times moved with the clock: the windows meant to be open are open at the new time.
    open_windows = FeedbackWindow.objects.filter(status=FeedbackWindow.Status.OPEN)
    assert open_windows.exists()
    assert all(w.opens_at <= later < w.closes_at for w in open_windows)


def test_the_command_seeds_a_demo_people_can_log_in_to_and_that_passes_the_audit(settings, rf):
    out = StringIO()
    call_command("seed_demo", stdout=out)

    for username, role in DEMO_LOGINS:
        # Sign-in is authenticated with its request: the lock-out counts by address.
        request = rf.post("/accounts/login/")
        assert authenticate(request, username=username, password=settings.DEMO_PASSWORD)
        assert role in out.getvalue()
    hradmin = User.objects.get(username="hradmin")
    assert hradmin.has_perm("people.administer_programs")
    assert hradmin.has_perm("axes.view_accessattempt")
    assert hradmin.has_perm("axes.delete_accessattempt")
    assert not User.objects.get(username="manager").is_staff

    feedback = Program.objects.get(slug=FEEDBACK_SLUG)
    objectives = PerformanceObjective.objects.filter(program=feedback)
    assert objectives.count() == 3
    for objective in objectives:
        objective.full_clean()
    for program in Program.objects.all():
        errors = [f.message for f in program_audit(program=program) if f.severity == Severity.ERROR]
        assert errors == [], program

    statuses = set(FeedbackWindow.objects.values_list("status", flat=True))
    assert statuses == {"open", "met", "missed"}

    # Its job kept each program's observer calibration, as the page reads it.
    kept = KeptCalibrationRow.objects.filter(days=90)
    counted_at = kept.first().computed_at
    for program in Program.objects.all():
        live = calibration_rows(program=program, since=calibration_since(90, now=counted_at))
        assert kept.filter(program=program).count() == live.found, program


def test_the_command_refuses_in_production_and_creates_nothing(settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="refuses to run in production"):
        call_command("seed_demo")
    assert not User.objects.exists()


FEEDBACK, LEADERSHIP = FEEDBACK_SLUG, LEADERSHIP_SLUG
ACTIVE, COMPLETED, WITHDRAWN = "active", "completed", "withdrawn"
# What the demo's plans and evidence tell: (program, learner) -> step statuses, enrolment
# status, days from enrolment to competency, and the open steps' days until due.
NARRATIVE = {
    # Tom: practice signed off, the evidence rule met on the job, reflected, then Proficient
    # at the checkpoint: competent 58 days after enrolling.
    (FEEDBACK, "learner4"): ("CCCCCC", COMPLETED, 58, []),
    # Priya: evidence rule met, reflection written; the checkpoint is open.
    (FEEDBACK, "learner3"): ("CCCCCI", ACTIVE, None, [6]),
    # Lena: on the job, one observer's evidence so far.
    (FEEDBACK, "learner"): ("CCCI--", ACTIVE, None, [10]),
    # Omar: stuck on the case study, which is overdue.
    (FEEDBACK, "learner2"): ("CI----", ACTIVE, None, [-38]),
    # Aiko: just enrolled; the micro-learning and the case study run alongside.
    (FEEDBACK, "learner5"): ("II----", ACTIVE, None, [0, 0]),
    # Sara: excused the simulation, debriefed, reflected, Proficient at the checkpoint.
    (LEADERSHIP, "learner7"): ("CCCSCCC", COMPLETED, 123, []),
    # Withdrew after the case study.
    (LEADERSHIP, "learner8"): ("CCI----", WITHDRAWN, None, [-122]),
    # Diego: evidence of the stretch assignment submitted, not yet debriefed.
    (LEADERSHIP, "learner6"): ("CCCCI--", ACTIVE, None, [0]),
    (LEADERSHIP, "learner4"): ("CCI----", ACTIVE, None, [1]),
    # Baseline assessed, the case study open.
    (LEADERSHIP, "learner3"): ("CI-----", ACTIVE, None, [5]),
    (LEADERSHIP, "learner9"): ("CI-----", ACTIVE, None, [10]),
}


def test_learners_stand_where_the_story_has_them_each_move_decided_by_progression():
    now = timezone.now()
    seed_demo(now=now)

    assert _standing(timezone.localdate(now)) == NARRATIVE
    # Every step done, enrolment completed and competency reached was decided on the
    # evidence or on a person's sign-off or skip: none was written by hand.
    decided_by = {"rule", "sign_off", "skip"}
    for row in StepProgress.objects.exclude(status__in=["not_started", "in_progress"]):
        event = "step.completed" if row.status == "completed" else "step.skipped"
        causes = ProgressEvent.objects.filter(
            enrolment=row.enrolment_id, step=row.step_id, type=event
        ).values_list("cause", flat=True)
        assert list(causes) in ([cause] for cause in decided_by), row
    for enrolment in Enrolment.objects.all():
        events = ProgressEvent.objects.filter(enrolment=enrolment, step=None)
        completed = events.filter(type="enrolment.completed").values_list("cause", flat=True)
        competent = events.filter(type="enrolment.competent").values_list("cause", flat=True)
        assert list(completed) == (["rule"] if enrolment.status == COMPLETED else [])
        assert list(competent) == (["rule"] if enrolment.competent_on else [])
    # A person's hand shows only where people act: the one withdrawal.
    by_hand = ProgressEvent.objects.exclude(cause__in=decided_by)
    assert list(by_hand.values_list("type", "cause", "to_status")) == [
        ("enrolment.status", "person", WITHDRAWN)
    ]
