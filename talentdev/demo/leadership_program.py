"""Program 2, "Leading Through Real Work": its design, learners and fully loaded cost ledger.

Baseline assessment, practice of rising difficulty, a stretch assignment presented to its
stakeholders, structured debriefs and supervisor coaching.
"""

from datetime import timedelta
from decimal import Decimal

from measurement.models import BenefitEstimate, CostItem, OutcomeMetric
from measurement.services import benefit_estimate_set, cost_item_add, cost_item_update
from objectives.models import LearningObjective, PerformanceObjective
from programs.models import Program, Step

from . import design
from .design import Built, StepSpec
from .enrolments import Plan, SignOff, enrol
from .run import Run

LEADERSHIP_SLUG = "leading-through-real-work"

# The level the checkpoint and competency ask for: "Proficient", third of the four.
PROFICIENT = 3

K, D = Step.Kind, Step.Completion
LEADERSHIP_STEPS = [
    StepSpec(
        K.BASELINE_ASSESSMENT,
        "Baseline assessment with your supervisor",
        "Rate yourself and be rated against the four leadership competencies, so the pathway "
        "starts from your strengths and gaps.",
        1,
        1.5,
        7,
        learning=("cf", "jd", "sc"),
        completed_by=D.ASSESSMENT,  # any level: it is where the pathway starts from
    ),
    StepSpec(
        K.CASE_STUDY,
        "Case study: the delayed enterprise rollout",
        "Weigh three options for a rollout that cannot ship with full scope, on time and on "
        "budget; write the rationale.",
        2,
        2,
        14,
        learning=("jd",),
        performance=("decide",),
    ),
    StepSpec(
        K.ROLE_PLAY,
        "Role-play: present a trade-off to a sceptical director",
        "Present your options paper in ten minutes to a director who wants everything. Your "
        "supervisor signs it off.",
        3,
        1.5,
        14,
        learning=("sc",),
        performance=("present",),
        completed_by=D.SUPERVISOR,
    ),
    StepSpec(
        K.SIMULATION,
        "Simulation: a three-team customer escalation",
        "Run a live escalation between support, platform and product: agree owners for every "
        "hand-off and brief the customer's account lead. A lead who already runs such "
        "escalations on the job may be excused it by their supervisor.",
        4,
        3,
        14,
        learning=("cf", "sc"),
        performance=("review", "present"),
        completed_by=D.SUPERVISOR,
        skippable=True,
    ),
    StepSpec(
        K.ON_THE_JOB,
        "Stretch assignment: lead a real problem and present the results",
        "Lead a live cross-functional problem to a decision with success criteria agreed up "
        "front, then present the results to its stakeholders.",
        5,
        20,
        42,
        performance=("review", "decide", "present"),
        completed_by=D.DEBRIEF,  # its assignment debriefed with every criterion met
    ),
    StepSpec(
        K.DEBRIEF,
        "Structured debrief of the stretch assignment",
        "What happened, what went well, what to change, the lessons, and next actions with "
        "owners and dates; then write what you take from it.",
        5,
        1,
        7,
        learning=("cf", "jd", "sc"),
        performance=("review", "decide", "present"),
        completed_by=D.REFLECTION,
    ),
    StepSpec(
        K.CHECKPOINT_REVIEW,
        "Checkpoint: evidence and results with your supervisor",
        "Review observations, the assignment's results and your self-assessment against the "
        "role's required levels: your supervisor assesses you at Proficient or above.",
        5,
        1,
        14,
        learning=("cf", "jd", "sc"),
        performance=("review", "decide", "present"),
        completed_by=D.ASSESSMENT,
        min_rank=PROFICIENT,
    ),
]


def seed_leadership_program(run: Run) -> Built:
    """The program, its objectives, pathway, metrics, cohorts and enrolments."""
    run.say("Program 2: Leading Through Real Work")
    program = design.program(
        run,
        LEADERSHIP_SLUG,
        starts=190,
        name="Leading Through Real Work",
        business_goal="Bring new team and engineering leads to competency sooner, with "
        "fewer escaped defects and escalation costs, through stretch assignments that "
        "mirror real problems.",
        description="Baseline assessment, practice of rising difficulty, a stretch "
        "assignment presented to its stakeholders, structured debriefs and supervisor "
        "coaching.",
        status=Program.Status.ACTIVE,
        cost=Decimal("68000"),
        # Competent: every objective seen on the job at Meets, and assessed Proficient in
        # all three competencies.
        competency_needs_objectives=True,
        competency_min_rank=PROFICIENT,
    )
    B, A = LearningObjective.BloomLevel, LearningObjective.AssessmentMethod
    los = {
        "cf": design.learning_objective(
            run,
            program,
            "CF",
            "Participants will be able to explain where hand-offs between support, product "
            "and engineering slow a customer escalation.",
            B.UNDERSTAND,
            A.DISCUSSION,
        ),
        "jd": design.learning_objective(
            run,
            program,
            "JD",
            "Participants will be able to analyse a project trade-off against scope, time, "
            "cost and customer impact.",
            B.ANALYZE,
            A.CASE_ANALYSIS,
        ),
        "sc": design.learning_objective(
            run,
            program,
            "SC",
            "Participants will be able to explain how framing options and their trade-offs "
            "changes what a stakeholder decides.",
            B.UNDERSTAND,
            A.QUIZ,
        ),
    }
    C, E = PerformanceObjective.Comparator, PerformanceObjective.EvidenceMethod
    pos = {
        "review": design.performance_objective(
            program,
            "Leads will run a cross-functional review that names an owner and a date for "
            "every hand-off within 2 days of an escalation",
            supports=[los["cf"]],
            action="run a cross-functional hand-off review",
            condition="when a customer escalation involves two or more functions",
            measure="hand-offs with a named owner and date",
            measure_unit="%",
            target_comparator=C.AT_LEAST,
            target_value=Decimal("95"),
            time_window=timedelta(days=2),
            time_window_anchor="of the escalation being raised",
            evidence_method=E.OBSERVATION,
        ),
        "decide": design.performance_objective(
            program,
            "Leads will decide project trade-offs with a written options paper within 5 "
            "days of the trade-off being raised",
            supports=[los["jd"]],
            action="decide a project trade-off with a written options paper",
            condition="when scope, time and cost cannot all be met",
            measure="trade-off decisions recorded with options, rationale and customer impact",
            measure_unit="%",
            target_comparator=C.AT_LEAST,
            target_value=Decimal("90"),
            time_window=timedelta(days=5),
            time_window_anchor="of the trade-off being raised",
            evidence_method=E.WORK_SAMPLE,
        ),
        "present": design.performance_objective(
            program,
            "Leads will present options and trade-offs to stakeholders within 5 days of an "
            "escalation",
            supports=[los["sc"], los["jd"]],
            action="present options and trade-offs to stakeholders",
            condition="when a customer escalation needs a decision from senior stakeholders",
            measure="stakeholders' rating of the decision briefing",
            measure_unit="points of 10",
            target_comparator=C.AT_LEAST,
            target_value=Decimal("8"),
            time_window=timedelta(days=5),
            time_window_anchor="of the escalation being raised",
            evidence_method=E.OBSERVATION,
        ),
    }
    pathway = design.pathway(run, program, LEADERSHIP_STEPS, los, pos, published=190)
    D, KM = OutcomeMetric.Direction, OutcomeMetric.Kind
    metrics = {
        "ttc": design.metric(
            program,
            "Time to competency",
            moves=list(pos.values()),
            kind=KM.TIME_TO_COMPETENCY,
            unit="days",
            direction=D.DECREASE,
            baseline=Decimal("180"),
            target=Decimal("120"),
            money_value_per_unit=Decimal("350"),
        ),
        "defects": design.metric(
            program,
            "Defect escape rate",
            moves=[pos["decide"]],
            kind=KM.QUALITY,
            unit="%",
            direction=D.DECREASE,
            baseline=Decimal("12"),
            target=Decimal("6"),
            money_value_per_unit=Decimal("2500"),
        ),
        "satisfaction": design.metric(
            program,
            "Stakeholder satisfaction",
            moves=[pos["present"]],
            kind=KM.STAKEHOLDER_SATISFACTION,
            unit="points of 10",
            direction=D.INCREASE,
            baseline=Decimal("6.8"),
            target=Decimal("8.5"),
        ),
        "savings": design.metric(
            program,
            "Escalation cost savings",
            moves=[pos["review"], pos["decide"]],
            kind=KM.COST_SAVINGS,
            unit="USD",
            direction=D.INCREASE,
            aggregation=OutcomeMetric.Aggregation.SUM,
            baseline=Decimal("0"),
            target=Decimal("40000"),
        ),
    }
    ld = Built(program=program, pathway=pathway, learning=los, performance=pos, metrics=metrics)
    cohorts = {
        "a": design.cohort(run, program, "Leads cohort A", 150),
        "b": design.cohort(run, program, "Leads cohort B", 85),
        "c": design.cohort(run, program, "Leads cohort C", 28),
    }
    ld.plans = [
        # Completed and competent: excused the simulation, she led a live trade-off to a
        # decision (longer than its six weeks), presented it, was debriefed, reflected and
        # passed the checkpoint.
        Plan("learner7", "manager2", 150, cohort="a", coach="coach", sign_offs=(
            SignOff(2, 136, "Chose the phased rollout; the rationale names each customer "
                    "it delays."),
            SignOff(3, 122, "Held her ground on scope and offered the director a date."),
            SignOff(4, 121, "Sara already runs the weekly support-platform incident review, "
                    "with an owner for every hand-off.", skip=True),
        )),
        # Withdrew after the case study.
        Plan("learner8", "manager2", 150, cohort="a", withdrew=110, sign_offs=(
            SignOff(2, 136, "Done; I would pick the second option."),
        )),
        # On the stretch assignment; evidence submitted, the debrief still to come.
        Plan("learner6", "manager2", 85, cohort="b", coach="coach", sign_offs=(
            SignOff(2, 70, "Three options costed; recommended cutting reporting scope."),
            SignOff(3, 56, "Good framing; open with the decision you need."),
            SignOff(4, 42, "Solved it, but nobody owned the customer update until asked."),
        )),
        # Practising; the stretch assignment is already agreed.
        Plan("learner4", "manager", 28, cohort="c", coach="coach", sign_offs=(
            SignOff(2, 13, "Options paper done; customer impact per option added."),
        )),
        # Just started: the baseline is done, the case study open.
        Plan("learner3", "manager", 10, cohort="c"),
        Plan("learner9", "manager2", 5, cohort="c", coach="coach"),
    ]  # fmt: skip
    ld.enrolments = {plan.learner: enrol(run, program, plan, cohorts) for plan in ld.plans}
    return ld


def seed_leadership_costs(run: Run, ld: Built) -> None:
    """A fully loaded cost ledger and isolated benefits, for the ROI pages."""
    program, metrics = ld.program, ld.metrics
    C = CostItem.Category
    lines = [  # (days ago, category, description, amount or (hours, people, rate))
        (200, C.ANALYSIS, "Interviews with leads and their managers", Decimal("4000")),
        (190, C.DESIGN, "Case study, practice scenarios and debrief guides", Decimal("14000")),
        (150, C.DELIVERY, "Facilitated workshops, three cohorts", Decimal("12000")),
        (150, C.PARTICIPANT_TIME, "Workshops and practice away from the job",
         (Decimal("60"), 6, Decimal("55"))),
        (120, C.COACHING_TIME, "Managers' observations and debriefs",
         (Decimal("20"), 2, Decimal("75"))),
        (30, C.EVALUATION, "Outcome data collection and analysis", Decimal("4000")),
    ]  # fmt: skip
    for days, category, description, cost in lines:
        fields = (
            {"amount": cost}
            if isinstance(cost, Decimal)
            else dict(zip(("hours", "people", "hourly_rate"), cost, strict=True))
        )
        fields |= {"category": category, "incurred_on": run.day(days)}
        found = CostItem.objects.filter(program=program, description=description).first()
        if found is None:
            cost_item_add(
                program=program,
                description=description,
                recorded_by=run.person("hradmin"),
                **fields,
            )
        else:
            cost_item_update(item=found, **fields)
    isolation = BenefitEstimate.Isolation
    benefit_estimate_set(
        metric=metrics["ttc"],
        isolation_method=isolation.MANAGER_ESTIMATE,
        isolation_note="Managers credited half of the faster ramp-up to the program; the "
        "rest to the new onboarding checklist.",
        attribution_percent=Decimal("50"),
        confidence_percent=Decimal("70"),
        occurrences_per_year=Decimal("1"),
        units_affected=6,
    )
    benefit_estimate_set(
        metric=metrics["defects"],
        isolation_method=isolation.TREND_LINE,
        isolation_note="Defects were falling 0.3 points a month before the program; only "
        "the fall beyond that trend is credited.",
        attribution_percent=Decimal("30"),
        confidence_percent=Decimal("100"),
        occurrences_per_year=Decimal("12"),
        units_affected=1,
    )
