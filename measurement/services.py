"""Writes for assessments, outcome metrics and their measurements."""

from collections import Counter

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, F, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from people.models import Notification
from people.notifications import Notice, notify_many
from programs.progression import evaluate_on_commit
from talentdev.core.audit import bulk_history
from talentdev.core.services import locked, model_create, model_update
from talentdev.core.validators import check_due_ahead

from .models import (
    Assessment,
    BenefitEstimate,
    CostItem,
    Measurement,
    OutcomeMetric,
    ReviewComment,
    ReviewDecision,
    SponsorReview,
    SuccessStory,
)
from .selectors import decision_owners


@transaction.atomic
def assessment_record(
    *,
    enrolment,
    competency,
    kind,
    assessed_level,
    assessor,
    assessed_on,
    learning_objective=None,
    score=None,
    notes="",
) -> Assessment:
    """Record a learning-level assessment of one competency."""
    assessment = model_create(
        Assessment,
        enrolment=enrolment,
        competency=competency,
        kind=kind,
        assessed_level=assessed_level,
        assessor=assessor,
        assessed_on=assessed_on,
        learning_objective=learning_objective,
        score=score,
        notes=notes,
    )
    evaluate_on_commit([enrolment.pk])
    return assessment


@transaction.atomic
def outcome_metric_create(*, program, performance_objectives=(), **fields) -> OutcomeMetric:
    """Define a business outcome the program should move."""
    metric = model_create(OutcomeMetric, program=program, **fields)
    if performance_objectives:
        metric.performance_objectives.set(performance_objectives)
    return metric


OUTCOME_METRIC_FIELDS = (
    "name",
    "kind",
    "unit",
    "direction",
    "aggregation",
    "baseline",
    "target",
    "money_value_per_unit",
)


@transaction.atomic
def outcome_metric_update(*, metric, performance_objectives=None, **fields) -> OutcomeMetric:
    """Change a metric's definition, e.g. give it a money value per unit for ROI."""
    metric = locked(metric)
    model_update(metric, allowed=OUTCOME_METRIC_FIELDS, fields=fields)
    if performance_objectives is not None:
        metric.performance_objectives.set(performance_objectives)
    return metric


@transaction.atomic
def measurement_record(
    *,
    metric,
    value,
    measured_at,
    enrolment=None,
    source=Measurement.Source.MANUAL,
    note="",
    recorded_by=None,
) -> Measurement:
    """Record one value of an outcome metric."""
    measurement = model_create(
        Measurement,
        metric=metric,
        value=value,
        measured_at=measured_at,
        enrolment=enrolment,
        source=source,
        note=note,
        recorded_by=recorded_by,
    )
    values_counted(Counter([metric.pk]))
    return measurement


@transaction.atomic
def measurement_upsert(
    *, metric, value, measured_at, enrolment=None, note="", source=Measurement.Source.API
) -> tuple[Measurement, bool]:
    """Record a value of `metric` at `measured_at` for the program or one learner, or
    correct the value already recorded there: an HR system sends its figures again when
    they change, and the series keeps one value per moment. Returns (measurement, created).

    Upserts of one metric take turns on its locked row, so two senders of the same moment
    never both add it.
    """
    locked(metric)
    existing = (
        Measurement.objects.select_for_update()
        .filter(metric=metric, measured_at=measured_at, enrolment=enrolment)
        .order_by("pk")
        .first()
    )
    if existing is None:
        created = measurement_record(
            metric=metric,
            value=value,
            measured_at=measured_at,
            enrolment=enrolment,
            source=source,
            note=note,
        )
        return created, True
    changed = {
        name: given
        for name, given in (("value", value), ("note", note), ("source", source))
        if getattr(existing, name) != given
    }
    if changed:
        existing = model_update(existing, allowed=("value", "note", "source"), fields=changed)
    return existing, False


def values_counted(added: Counter) -> None:
    """Add measurements just written to their metrics' kept counts, `added` saying how many
    each metric (by id) got. An increment in the database, so concurrent writers add up;
    call it in the transaction that wrote them."""
    for metric_id, n in added.items():
        OutcomeMetric.objects.filter(pk=metric_id).update(
            values_count=F("values_count") + n, updated_at=timezone.now()
        )


def values_recounted() -> None:
    """Set every metric's kept count to its live count, in one statement: for loaders that
    write measurements in bulk outside the services."""
    live = (
        Measurement.objects.filter(metric=OuterRef("pk"))
        .order_by()
        .values("metric")
        .annotate(n=Count("*"))
        .values("n")
    )
    OutcomeMetric.objects.update(values_count=Coalesce(Subquery(live), 0))


def _require_open(review):
    if review.status == review.Status.REVIEWED:
        raise ValidationError(_("This review is closed: it stays as it was when reviewed."))


@transaction.atomic
def review_comment_add(*, review, author, body: str):

    _require_open(review)
    comment = model_create(ReviewComment, review=review, author=author, body=body)
    _mark_in_review(review)
    return comment


@transaction.atomic
def review_decision_add(*, review, decided_by, description: str, owner, due_on):
    """A decision such as "recalibrate the pathway", with an owner and a date."""
    _require_open(review)
    check_due_ahead(due_on)
    owners = decision_owners(program=review.program, decided_by=decided_by)
    if not owners.filter(pk=owner.pk).exists():
        # Not named back: whoever posts the form must not learn who an identifier is.
        raise ValidationError(
            {
                "owner": _(
                    "A decision is owned by the program's owner, one of its sponsors or "
                    "yourself: choose one of them."
                )
            }
        )
    decision = model_create(
        ReviewDecision,
        review=review,
        decided_by=decided_by,
        description=description,
        owner=owner,
        due_on=due_on,
    )
    _mark_in_review(review)
    if owner.pk != decided_by.pk:
        _decision_owned_notify(decision)
    return decision


def _decision_owned_notify(decision) -> None:
    """Tell a decision's owner what they are to follow up, by when, and where it was taken."""
    words = {
        "by": decision.decided_by,
        "program": decision.review.program.name,
        "description": decision.description,
        "day": formats.date_format(decision.due_on, "D j M Y"),
    }
    notify_many(
        [
            Notice(
                decision.owner_id,
                Notification.Kind.DECISION_OWNED,
                f"decision-owned:{decision.pk}",
                _("A decision of the %(program)s review is yours") % words,
                _("%(by)s decided “%(description)s” and named you its owner, due %(day)s.") % words,
                reverse("sponsor:review", args=[decision.review_id]),
            )
        ]
    )


@transaction.atomic
def review_decision_settle(*, decision: ReviewDecision, status: str) -> ReviewDecision:
    """Say, once, how a decision ended: done or dropped. Follow-up outlives the review, so a
    decision is settled after its review is closed too."""
    if status not in (ReviewDecision.Status.DONE, ReviewDecision.Status.DROPPED):
        raise ValidationError(_("Say whether the decision was done or dropped."))
    decision = locked(decision)
    if decision.status != ReviewDecision.Status.OPEN:
        raise ValidationError(
            _("This decision is already marked %(status)s.")
            % {"status": decision.get_status_display()}
        )
    return model_update(decision, allowed=("status",), fields={"status": status})


def _mark_in_review(review):

    if SponsorReview.objects.filter(pk=review.pk, status=SponsorReview.Status.READY).update(
        status=SponsorReview.Status.IN_REVIEW, updated_at=timezone.now()
    ):
        review.status = SponsorReview.Status.IN_REVIEW
        bulk_history(SponsorReview, [review], update=True)


@transaction.atomic
def review_mark_reviewed(*, review, reviewer):
    """Close a review; its figures and discussion stay readable as they were."""

    review = SponsorReview.objects.select_for_update().get(pk=review.pk)
    _require_open(review)
    review.status = SponsorReview.Status.REVIEWED
    review.reviewed_at = timezone.now()
    review.reviewed_by = reviewer
    review.full_clean()
    review.save(update_fields=["status", "reviewed_at", "reviewed_by", "updated_at"])
    return review


COST_ITEM_FIELDS = (
    "category",
    "description",
    "incurred_on",
    "amount",
    "hours",
    "people",
    "hourly_rate",
)


@transaction.atomic
def cost_item_add(*, program, recorded_by=None, **fields) -> CostItem:
    """Add a line to the program's cost ledger."""
    item = model_create(CostItem, program=program, recorded_by=recorded_by, **fields)
    return item


@transaction.atomic
def cost_item_update(*, item: CostItem, **fields) -> CostItem:
    """Correct a ledger line."""
    return model_update(locked(item), allowed=COST_ITEM_FIELDS, fields=fields)


@transaction.atomic
def cost_item_remove(*, item: CostItem) -> None:
    """Take a mistaken line out of the ledger; costs are estimates, not evidence."""
    item.delete()


@transaction.atomic
def benefit_estimate_set(*, metric: OutcomeMetric, **fields) -> BenefitEstimate:
    """Record or change how a metric's improvement is isolated and turned into money."""
    estimate = BenefitEstimate.objects.filter(metric=metric).first() or BenefitEstimate(
        metric=metric
    )
    for name, value in fields.items():
        setattr(estimate, name, value)
    estimate.full_clean()
    estimate.save()
    return estimate


SUCCESS_STORY_FIELDS = (
    "enrolment",
    "step",
    "assignment",
    "metric",
    "title",
    "story",
    "result",
    "published",
)


def _about_the_assignments_learner(fields: dict, program_id) -> dict:
    # A story naming an assignment is about the learner who did it, unless it names its
    # learner itself. An assignment of another program is refused by the story's own
    # checks, so it gives the story no learner.
    assignment = fields.get("assignment")
    if (
        assignment is not None
        and fields.get("enrolment") is None
        and assignment.enrolment.program_id == program_id
    ):
        return {**fields, "enrolment": assignment.enrolment}
    return fields


@transaction.atomic
def success_story_create(*, program, **fields) -> SuccessStory:
    """Tell how a development step led to a measured result; sponsors see it once published.

    Everything it names (learner, step, assignment, metric) must be of `program`."""
    unknown = set(fields) - set(SUCCESS_STORY_FIELDS)
    if unknown:
        raise TypeError(f"unknown success story fields: {sorted(unknown)}")
    fields = _about_the_assignments_learner(fields, program.pk)
    return model_create(SuccessStory, program=program, **fields)


@transaction.atomic
def success_story_update(*, success_story: SuccessStory, **fields) -> SuccessStory:
    """Edit a success story; `story` is its text, so the story itself is `success_story`."""
    stored = locked(success_story)
    fields = _about_the_assignments_learner(fields, stored.program_id)
    return model_update(stored, allowed=SUCCESS_STORY_FIELDS, fields=fields)
