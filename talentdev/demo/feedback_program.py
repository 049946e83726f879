"""Program 1, "Timely, Specific Feedback": its objectives, pathway, metrics, cohorts, learners.

Built backwards from three performance objectives on giving feedback within 24 hours,
citing a specific example and naming its impact on team goals.
"""

from datetime import timedelta
from decimal import Decimal

from measurement.models import OutcomeMetric
from objectives.models import LearningObjective, PerformanceObjective
from programs.models import Program, Rating, Step

from . import design
from .design import Built, StepSpec
from .enrolments import Plan, SignOff, enrol
from .run import Run

FEEDBACK_SLUG = "timely-specific-feedback"
FEEDBACK_LO = (
    "Participants will be able to identify and distinguish the behavioral benefits of timely "
    "and specific feedback."
)
DELIVER = "Participants will deliver feedback within 24 hours of observing a behavior"
CITE = "Participants will cite specific examples when giving feedback"
IMPACT = "Participants will describe the impact of the behavior on team goals"

# The level a checkpoint and competency ask for: "Proficient", third of the four.
PROFICIENT = 3

# 3 observations rated "meets" or better, from 2 observers, within 60 days.
FEEDBACK_GATE = {
    "gate_min_observations": 3,
    "gate_min_rating": Rating.MEETS,
    "gate_min_observers": 2,
    "gate_within_days": 60,
}


K, D = Step.Kind, Step.Completion
FEEDBACK_STEPS = [
    StepSpec(
        K.MICRO_LEARNING,
        "Why timely, specific feedback works",
        "Ten minutes on what timely, specific feedback changes for a team, with three short "
        "examples to tell apart.",
        1,
        0.25,
        7,
        learning=("why",),
    ),
    # Both build the "why": the case study opens with the micro-learning, not after it.
    StepSpec(
        K.CASE_STUDY,
        "Case study: the review that came too late",
        "Analyse a quarter in which feedback waited for the performance review: what it cost "
        "the team, and what a specific example on the day would have changed.",
        2,
        1,
        7,
        learning=("why",),
        performance=("cite", "impact"),
        with_previous=True,
    ),
    StepSpec(
        K.ROLE_PLAY,
        "Role-play: feedback after a tense stand-up",
        "Practise with a partner and an observer: name the moment, its impact on the team goal "
        "and what to try next, in under five minutes. Your supervisor signs it off.",
        3,
        1.5,
        7,
        learning=("why",),
        performance=("deliver", "cite", "impact"),
        completed_by=D.SUPERVISOR,
    ),
    StepSpec(
        K.ON_THE_JOB,
        "On the job: give feedback within 24 hours",
        "Over six weeks, give feedback within 24 hours of behaviours you observe. Your "
        "supervisor and one other observer rate what they see.",
        4,
        8,
        42,
        performance=("deliver", "cite", "impact"),
        gate=FEEDBACK_GATE,
        completed_by=D.EVIDENCE,
    ),
    StepSpec(
        K.REFLECTION,
        "Reflection: what changed in your team",
        "Write what you tried, what you noticed in your team and what you will keep doing.",
        4,
        0.5,
        7,
        learning=("why",),
        completed_by=D.REFLECTION,
    ),
    StepSpec(
        K.CHECKPOINT_REVIEW,
        "Checkpoint review with your supervisor",
        "Go through the evidence against the three performance objectives and agree whether "
        "you are competent: your supervisor assesses you at Proficient or above.",
        5,
        1,
        7,
        learning=("why",),
        performance=("deliver", "cite", "impact"),
        completed_by=D.ASSESSMENT,
        min_rank=PROFICIENT,
    ),
]


def seed_feedback_program(run: Run) -> Built:
    """The program, its objectives, pathway, metrics, cohorts and enrolments."""
    run.say("Program 1: Timely, Specific Feedback")
    program = design.program(
        run,
        FEEDBACK_SLUG,
        starts=100,
        name="Timely, Specific Feedback",
        business_goal="Raise team engagement and cut rework in Customer Support by making "
        "feedback timely and specific: within 24 hours, citing the example and its impact "
        "on team goals.",
        description="Built backwards from three performance objectives: first why timely, "
        "specific feedback works, then practice, then six weeks of doing it on the job "
        "with observers.",
        status=Program.Status.ACTIVE,
        cost=Decimal("24000"),
        # Competent: all three objectives seen on the job at Meets, and assessed Proficient.
        competency_needs_objectives=True,
        competency_min_rank=PROFICIENT,
    )
    lo = design.learning_objective(
        run,
        program,
        "FB",
        FEEDBACK_LO,
        LearningObjective.BloomLevel.ANALYZE,
        LearningObjective.AssessmentMethod.CASE_ANALYSIS,
    )
    common = {
        "time_window": timedelta(hours=24),
        "time_window_anchor": "of observing the behaviour",
        "evidence_method": PerformanceObjective.EvidenceMethod.OBSERVATION,
        "feedback_window": timedelta(hours=24),
    }
    pos = {
        "deliver": design.performance_objective(
            program,
            DELIVER,
            supports=[lo],
            action="deliver feedback",
            condition="after observing a team member's behaviour at work",
            measure="hours from the observed behaviour to the feedback conversation",
            measure_unit="hours",
            target_comparator=PerformanceObjective.Comparator.AT_MOST,
            target_value=Decimal("24"),
            **common,
        ),
        "cite": design.performance_objective(
            program,
            CITE,
            supports=[lo],
            action="cite specific examples",
            condition="in every feedback conversation about an observed behaviour",
            measure="feedback conversations that cite what was said or done, and when",
            measure_unit="%",
            target_comparator=PerformanceObjective.Comparator.AT_LEAST,
            target_value=Decimal("90"),
            **common,
        ),
        "impact": design.performance_objective(
            program,
            IMPACT,
            supports=[lo],
            action="describe the impact of the behaviour on team goals",
            condition="in every feedback conversation about an observed behaviour",
            measure="feedback conversations that name a team goal the behaviour affected",
            measure_unit="%",
            target_comparator=PerformanceObjective.Comparator.AT_LEAST,
            target_value=Decimal("80"),
            **common,
        ),
    }
    los = {"why": lo}
    pathway = design.pathway(run, program, FEEDBACK_STEPS, los, pos, published=100)
    timeliness = design.metric(
        program,
        "Feedback within 24 hours",
        moves=[pos["deliver"]],
        kind=OutcomeMetric.Kind.QUALITY,
        unit="%",
        direction=OutcomeMetric.Direction.INCREASE,
        baseline=Decimal("35"),
        target=Decimal("85"),
    )
    engagement = design.metric(
        program,
        "Team engagement score",
        moves=[pos["cite"], pos["impact"]],
        kind=OutcomeMetric.Kind.OTHER,
        unit="points of 100",
        direction=OutcomeMetric.Direction.INCREASE,
        baseline=Decimal("62"),
        target=Decimal("75"),
    )
    fb = Built(
        program=program,
        pathway=pathway,
        learning=los,
        performance=pos,
        metrics={"timeliness": timeliness, "engagement": engagement},
    )

    cohorts = {
        "pilot": design.cohort(run, program, "Customer Support pilot", 95),
        "wave2": design.cohort(run, program, "Customer Support wave 2", 45),
        "wave3": design.cohort(run, program, "Customer Support wave 3", 7),
    }
    fb.plans = [
        # Completed and competent in 58 days: practice signed off, the evidence rule met on
        # the job 50 days ago, the reflection, then the checkpoint at Proficient.
        Plan("learner4", "manager", 95, cohort="pilot", sign_offs=(
            SignOff(1, 93, "Watched it; noted three moments from last week I let pass."),
            SignOff(2, 88, "The late review cost two reworked releases; wrote what a "
                    "same-day example would have saved."),
            SignOff(3, 82, "Named the moment, its impact on the response target and the "
                    "next step, in four minutes."),
        )),
        # The role-play waited weeks for a partner; on the job since, she met the evidence
        # rule last week and wrote her reflection: the checkpoint is next.
        Plan("learner3", "manager", 95, cohort="pilot", sign_offs=(
            SignOff(1, 89, "Done, with notes on the third example."),
            SignOff(2, 88, "Wrote up what the quarter's late feedback cost the team."),
            SignOff(3, 40, "Clear and calm; quoted the customer's words back."),
        )),
        # Practising on the job: one observer's evidence so far, the rule not yet met.
        Plan("learner", "manager", 45, cohort="wave2", coach="coach", sign_offs=(
            SignOff(1, 44, "Done."),
            SignOff(2, 39, "Case analysed: the review came eleven weeks late."),
            SignOff(3, 32, "Named the example; softened the impact. Ready to try it on the "
                    "job."),
        )),
        # Stuck on the case study, which is overdue.
        Plan("learner2", "manager", 45, cohort="wave2", sign_offs=(
            SignOff(1, 38, "Watched it."),
        )),
        # Just enrolled: the micro-learning and the case study open.
        Plan("learner5", "manager", 7, cohort="wave3"),
    ]  # fmt: skip
    fb.enrolments = {plan.learner: enrol(run, program, plan, cohorts) for plan in fb.plans}
    return fb
