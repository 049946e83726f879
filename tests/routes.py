"""The product's routes that name an object, with where their ids come from in a small
company (RouteWorld), who opens each and who is refused: what the route tests ask."""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from measurement.models import CostItem
from tests import factories as f
from tests.world import World


class RouteWorld(World):
    """The access tests' company, with what the design and sponsor pages name besides: a
    framework with a competency, a cost, an HR admin and the other program's owner."""

    def __init__(self):
        super().__init__()
        self.competency = f.CompetencyFactory()
        self.program.framework = self.competency.framework
        self.program.save(update_fields=["framework"])
        self.cost = CostItem.objects.create(
            program=self.program,
            category=CostItem.Category.DELIVERY,
            description="Facilitators",
            incurred_on=dt.date(2026, 3, 1),
            amount=Decimal("1200.00"),
        )
        self.hr_admin = f.HRAdminFactory(username="hr_admin")
        self.other_designer = self.other_program.owner


# Who is asked, by role: the learner's own pages, those who follow them, the program's
# designer and sponsor, and people with no tie to any of it.
ROLES = {
    "learner": lambda w: w.a.learner,
    "supervisor": lambda w: w.a.supervisor,
    "other learner": lambda w: w.b.learner,
    "sponsor": lambda w: w.sponsor,
    "owner": lambda w: w.owner,
    "other designer": lambda w: w.other_designer,
    "HR admin": lambda w: w.hr_admin,
    "stranger": lambda w: w.peer,
}

OUTSIDERS = {"stranger", "other designer"}
# A learner's records: theirs and their followers', never another learner's or a sponsor's.
PERSONAL_REFUSED = OUTSIDERS | {"other learner", "sponsor"}
# A program's design: its owner's and HR admins', not those taking part in it.
DESIGN_REFUSED = OUTSIDERS | {"learner", "other learner", "supervisor", "sponsor"}
# Frameworks are shared reference data that designers read and only HR admins change.
FRAMEWORK_CHANGE_REFUSED = {"stranger", "learner", "supervisor", "sponsor", "owner"}
# A program's results: its sponsors' (and HR admins'), not its learners' or their followers'.
SPONSOR_REFUSED = OUTSIDERS | {"learner", "other learner", "supervisor"}


@dataclass(frozen=True)
class Entry:
    """Where a route's ids come from, who opens it, and who is refused."""

    kwargs: object
    opens: frozenset = field(default_factory=frozenset)
    refused: frozenset = field(default_factory=frozenset)


def personal(kwargs, opens=("learner",)):
    return Entry(kwargs, frozenset(opens), frozenset(PERSONAL_REFUSED))


def followed(kwargs, opens=("supervisor",)):
    return Entry(kwargs, frozenset(opens), frozenset(PERSONAL_REFUSED))


def design(kwargs=None, opens=("owner", "HR admin")):
    def ids(w):
        return {"pk": w.program.pk, **(kwargs(w) if kwargs else {})}

    return Entry(ids, frozenset(opens), frozenset(DESIGN_REFUSED))


def framework_change(kwargs):
    return Entry(kwargs, frozenset({"HR admin"}), frozenset(FRAMEWORK_CHANGE_REFUSED))


def sponsor(kwargs, opens=("sponsor", "HR admin")):
    return Entry(kwargs, frozenset(opens), frozenset(SPONSOR_REFUSED))


ROUTES: dict[str, Entry] = {
    # A program's objectives are everyone's on it, not one learner's.
    "learn:objective": Entry(
        lambda w: {"pk": w.po.pk},
        opens=frozenset({"learner", "other learner"}),
        refused=frozenset(OUTSIDERS),
    ),
    "learn:step": personal(lambda w: {"pk": w.a.progress.pk}),
    "learn:step_reflect": personal(lambda w: {"pk": w.a.progress.pk}, opens=()),
    "learn:step_done": personal(lambda w: {"pk": w.a.progress.pk}, opens=()),
    "learn:assignment": personal(lambda w: {"pk": w.a.assignment.pk}),
    "team:feedback": followed(lambda w: {"pk": w.a.observation.pk}),
    "team:debrief": followed(lambda w: {"pk": w.a.assignment.pk}),
    "team:debrief_action_done": followed(lambda w: {"pk": w.a.debrief_action.pk}, opens=()),
    "team:learner": followed(lambda w: {"pk": w.a.enrolment.pk}),
    "team:assignment_new": followed(lambda w: {"pk": w.a.enrolment.pk}),
    "team:assessment_new": followed(lambda w: {"pk": w.a.enrolment.pk}),
    "team:step_sign_off": followed(lambda w: {"pk": w.a.progress.pk}, opens=()),
    "team:step_skip": followed(lambda w: {"pk": w.a.progress.pk}, opens=()),
    "team:coaching_session": followed(lambda w: {"pk": w.a.enrolment.pk}),
    "team:commitment_settle": followed(
        lambda w: {"pk": w.a.commitment.pk, "status": "kept"}, opens=()
    ),
    "team:peer_request": followed(lambda w: {"pk": w.a.enrolment.pk}),
    "team:peer_reviewers": followed(lambda w: {"pk": w.a.enrolment.pk}),
    "design:program": design(),
    "design:program_edit": design(),
    "design:objective_new": design(),
    "design:objective_check": design(opens=()),
    "design:objective_edit": design(lambda w: {"objective_pk": w.po.pk}),
    "design:learning_new": design(lambda w: {"objective_pk": w.po.pk}),
    "design:learning_edit": design(lambda w: {"learning_pk": w.lo.pk}),
    "design:step_new": design(),
    "design:step_edit": design(lambda w: {"step_pk": w.step.pk}),
    "design:step_move": design(lambda w: {"step_pk": w.step.pk, "direction": "up"}, opens=()),
    "design:step_delete": design(lambda w: {"step_pk": w.step.pk}, opens=()),
    "design:pathway_new": design(opens=()),
    "design:pathway_publish": design(lambda w: {"pathway_pk": w.pathway.pk}, opens=()),
    "design:enrol": design(),
    "design:enrolment": design(lambda w: {"enrolment_pk": w.a.enrolment.pk}),
    "design:enrolment_status": design(
        lambda w: {"enrolment_pk": w.a.enrolment.pk, "action": "pause"}, opens=()
    ),
    "design:review_rollup": design(opens=()),
    "design:roster": design(),
    "design:audit": design(),
    "design:audit_summary": design(),
    "design:calibration": design(),
    "design:metrics": design(),
    "design:metric_new": design(),
    "design:metric_edit": design(lambda w: {"metric_pk": w.metric.pk}),
    "design:roi": design(),
    "design:roi_cost": design(lambda w: {"item_pk": w.cost.pk}),
    "design:roi_cost_remove": design(lambda w: {"item_pk": w.cost.pk}, opens=()),
    "design:roi_benefit": design(lambda w: {"metric_pk": w.metric.pk}),
    "design:stories": design(),
    "design:story_new": design(),
    "design:story_edit": design(lambda w: {"story_pk": w.story.pk}),
    "design:story_assignments": design(),
    "design:framework": Entry(
        lambda w: {"pk": w.competency.framework_id},
        opens=frozenset({"owner", "other designer", "HR admin"}),
        refused=frozenset({"stranger", "learner", "supervisor", "sponsor"}),
    ),
    "design:framework_edit": framework_change(lambda w: {"pk": w.competency.framework_id}),
    "design:framework_new_version": framework_change(lambda w: {"pk": w.competency.framework_id}),
    "design:framework_publish": framework_change(lambda w: {"pk": w.competency.framework_id}),
    "design:scale_new": framework_change(lambda w: {"pk": w.competency.framework_id}),
    "design:competency_new": framework_change(lambda w: {"pk": w.competency.framework_id}),
    "design:competency_edit": framework_change(
        lambda w: {"pk": w.competency.framework_id, "competency_pk": w.competency.pk}
    ),
    "design:indicator_new": framework_change(lambda w: {"pk": w.competency.framework_id}),
    # Only HR admins read a record's history, and only of records they see.
    "design:history": Entry(
        lambda w: {"label": "programs.program", "pk": w.program.pk},
        opens=frozenset({"HR admin"}),
        refused=frozenset(DESIGN_REFUSED | {"owner"}),
    ),
    "sponsor:dashboard": sponsor(lambda w: {"pk": w.program.pk}),
    "sponsor:export": sponsor(lambda w: {"pk": w.program.pk, "table": "metrics"}),
    # the program's owner reads its reviews: the decisions they follow up are there
    "sponsor:review": sponsor(
        lambda w: {"pk": w.review.pk}, opens=("sponsor", "HR admin", "owner")
    ),
    "sponsor:review_close": sponsor(lambda w: {"pk": w.review.pk}, opens=()),
    "sponsor:review_owners": sponsor(lambda w: {"pk": w.review.pk}),
    "sponsor:decision_settle": sponsor(lambda w: {"pk": w.decision.pk, "status": "done"}, opens=()),
}
