"""Demo data: the two programs of the source articles, the people around them and their evidence.

`seed_demo()` builds everything through the services, so the demo obeys the rules that data
entered by hand obeys. Learners move along their pathways as they would in the product: the
evidence is recorded, people sign off or skip steps, and progression decides every step's
status, each completion and each competency from these, so every figure the demo shows is
one the product computed.

It is idempotent: each row is first looked up by a natural key (a username, a code, a slug,
a title; an observation by its enrolment, objective and behaviour) and only what is missing
is created. A second run adds no rows and no decisions: it moves the demo's times along (in
`clock`, the one module that writes rows directly), progression's decisions with the evidence
they were made on, so that, relative to `now`, recent feedback windows are open again and due
dates are current. Published frameworks and pathway versions are left as they are, as the
product requires of anything learners already stand on.

One module per part: `people` and `framework` first, then each program's design and
learners' plans (`feedback_program`, `leadership_program`), its evidence (`feedback_evidence`,
`leadership_evidence`) and the learners moved along on both (`enrolments.advance`), then what
sponsors read (`reviews`).

The modules are mostly data: a row per person, step, observation or measurement, each
handed to the same helper. Rows of a table look alike by design; the logic is in the
helpers (`design`, `enrolments`, `evidence`) and is written once.
"""

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from coaching.models import Feedback, FeedbackWindow, Observation
from coaching.services import feedback_windows_mark_missed
from measurement.models import Assessment, CostItem, Measurement, SponsorReview, SuccessStory
from measurement.refresh import refresh_program_figures
from objectives.models import Competency
from people.models import JobRole, OrgUnit, User
from programs.models import Assignment, Enrolment, Program, ProgressEvent, Step, StepProgress

from .enrolments import advance
from .feedback_evidence import seed_feedback_evidence
from .feedback_program import FEEDBACK_SLUG, seed_feedback_program
from .framework import FRAMEWORK, seed_framework
from .leadership_evidence import seed_leadership_evidence
from .leadership_program import LEADERSHIP_SLUG, seed_leadership_costs, seed_leadership_program
from .people import DEMO_LOGINS, seed_job_roles, seed_org_units, seed_people
from .reviews import seed_reviews
from .run import Run

__all__ = ["DEMO_LOGINS", "FEEDBACK_SLUG", "LEADERSHIP_SLUG", "seed_demo", "summary"]


def seed_demo(*, now=None, stdout=None) -> dict[str, int]:
    """Create or refresh the demo in one transaction; returns what it holds.

    `now` anchors every time (default: the current time); `stdout`, when given, hears what
    is being built.
    """
    run = Run(now=now or timezone.now(), stdout=stdout)
    with transaction.atomic():
        run.say("Org units, the competency framework, job roles and people")
        units = seed_org_units()
        seed_framework(run)
        roles = seed_job_roles(run)
        seed_people(run, units=units, roles=roles)
        feedback = seed_feedback_program(run)
        seed_feedback_evidence(run, feedback)
        advance(run, feedback)
        leadership = seed_leadership_program(run)
        seed_leadership_evidence(run, leadership)
        advance(run, leadership)
        seed_leadership_costs(run, leadership)
        # Windows that closed without feedback are decided, as the scheduled scan would.
        feedback_windows_mark_missed(now=run.now)
        seed_reviews(run, feedback=feedback, leadership=leadership)
        # The sponsor pages' figures about learners and the designer's observer calibration,
        # as their job counts them.
        refresh_program_figures()
        return summary()


def summary() -> dict[str, int]:
    """What the demo holds, in the words a reader of the command's output uses."""
    windows = dict(FeedbackWindow.objects.values_list("status").annotate(n=Count("id")).order_by())
    return {
        "people": User.objects.count(),
        "org units": OrgUnit.objects.count(),
        "job roles": JobRole.objects.count(),
        "competencies": Competency.objects.filter(framework__name=FRAMEWORK).count(),
        "programs": Program.objects.count(),
        "pathway steps": Step.objects.count(),
        "enrolments": Enrolment.objects.count(),
        "steps completed": StepProgress.objects.filter(
            status=StepProgress.Status.COMPLETED
        ).count(),
        "enrolments completed": Enrolment.objects.filter(status=Enrolment.Status.COMPLETED).count(),
        "learners competent": Enrolment.objects.filter(competent_on__isnull=False).count(),
        "progress events": ProgressEvent.objects.count(),
        "assignments": Assignment.objects.count(),
        "observations": Observation.objects.count(),
        "feedback windows open": windows.get(FeedbackWindow.Status.OPEN, 0),
        "feedback windows met": windows.get(FeedbackWindow.Status.MET, 0),
        "feedback windows missed": windows.get(FeedbackWindow.Status.MISSED, 0),
        "feedback given": Feedback.objects.count(),
        "assessments": Assessment.objects.count(),
        "measurements": Measurement.objects.count(),
        "sponsor reviews": SponsorReview.objects.count(),
        "success stories": SuccessStory.objects.count(),
        "cost lines": CostItem.objects.count(),
    }
