"""Who may see and change assessments, outcome metrics, sponsor reviews and the ROI ledger.

Sponsors see program-level figures; a learner's own values stay with the people around
the learner.
"""

import rules
from django.db.models import Q

from programs.rules import (
    designs_program,
    follows_enrolment,
    is_learner,
    owns_enrolment_program,
    sponsored_program_ids,
    sponsors_program,
    works_with,
)
from talentdev.core.access import hr_admin, visibility, visible_through

from .models import (
    BenefitEstimate,
    CostItem,
    Measurement,
    OutcomeMetric,
    ReviewComment,
    ReviewDecision,
    SuccessStory,
)


def _of_enrolment(user):
    return follows_enrolment(user, "enrolment__")


_metric_visible = visible_through(OutcomeMetric, "program")
_measured_program_visible = visible_through(Measurement, "metric__program")
_story_program_visible = visible_through(SuccessStory, "program")

visibility("measurement.assessment")(_of_enrolment)
visibility("measurement.outcomemetric")(_metric_visible)
visibility("measurement.measurement")(
    lambda user: (Q(enrolment__isnull=True) & _measured_program_visible(user)) | _of_enrolment(user)
)
visibility("measurement.sponsorreview")(
    lambda user: Q(program__owner=user) | Q(program_id__in=sponsored_program_ids(user))
)
visibility("measurement.successstory")(
    lambda user: (Q(published=True) & _story_program_visible(user)) | _of_enrolment(user)
)
# Seen by whoever sees the row that shows them: the review, the program's ROI, the metric.
visibility("measurement.reviewcomment")(visible_through(ReviewComment, "review"))
visibility("measurement.reviewdecision")(visible_through(ReviewDecision, "review"))
visibility("measurement.costitem")(visible_through(CostItem, "program"))
visibility("measurement.benefitestimate")(visible_through(BenefitEstimate, "metric"))

rules.add_perm("measurement.self_assess", is_learner)
rules.add_perm("measurement.assess", works_with | owns_enrolment_program | hr_admin)
# The object is the program, or carries one.
rules.add_perm("measurement.record_measurement", designs_program)
rules.add_perm("measurement.manage_roi", designs_program)
rules.add_perm("measurement.tell_story", designs_program)
rules.add_perm("measurement.review_program", sponsors_program | hr_admin)
# A program's owner reads its reviews (the decisions they follow up are there); commenting,
# deciding and closing stay its sponsors'.
rules.add_perm("measurement.read_reviews", sponsors_program | designs_program)


@rules.predicate
def owns_decision(user, decision):
    return decision is not None and decision.owner_id == user.id


@rules.predicate
def reviews_decisions_program(user, decision):
    return decision is not None and user.has_perm(
        "measurement.review_program", decision.review.program
    )


# How a decision ended is said by its owner or by those who review the program.
rules.add_perm("measurement.settle_decision", owns_decision | reviews_decisions_program)
