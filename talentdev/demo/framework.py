"""The demo's competency framework: four leadership competencies on a four-level scale."""

from datetime import timedelta

from objectives.models import CompetencyFramework
from objectives.services import (
    competency_create,
    framework_create,
    framework_publish,
    indicator_create,
    proficiency_level_update,
    scale_create,
)

from . import clock
from .run import Run

FRAMEWORK = "Leadership Competencies"
LEVELS = [
    ("Foundational", "Knows the practice and uses it with support."),
    ("Developing", "Uses it in familiar situations, sometimes when prompted."),
    ("Proficient", "Uses it reliably and unprompted, including under pressure."),
    ("Expert", "Adapts it to new situations and coaches others in it."),
]
COMPETENCIES = [  # (code, name, description, strategic rationale, an indicator per level)
    (
        "FB",
        "Feedback",
        "Gives feedback that is timely, cites specific examples and names the impact.",
        "Teams that hear about a behaviour within a day correct course within the sprint, not "
        "at the quarterly review: rework and repeat escalations fall.",
        [
            "Gives feedback when asked, usually days after the behaviour.",
            "Gives feedback within a day and names the behaviour.",
            "Gives feedback the same day, citing a specific example and its impact on team goals.",
            "Builds a team habit of timely peer feedback and coaches others to give it.",
        ],
    ),
    (
        "SC",
        "Stakeholder communication",
        "Keeps stakeholders informed and frames decisions they can take.",
        "Customer escalations are won or lost on how clearly we communicate options and "
        "trade-offs to the people who decide.",
        [
            "Shares updates when asked.",
            "Sends regular updates tailored to the audience.",
            "Presents options and trade-offs stakeholders can decide on in one meeting.",
            "Aligns senior stakeholders with competing goals behind one decision.",
        ],
    ),
    (
        "CF",
        "Cross-functional collaboration",
        "Gets support, product and engineering working to one goal.",
        "Escalation cycle time is set by the hand-offs between functions, not by the work "
        "inside any one of them.",
        [
            "Works well inside the team.",
            "Involves the other functions a piece of work needs.",
            "Runs joint work across functions with an owner for every hand-off.",
            "Shapes how functions work together across the organisation.",
        ],
    ),
    (
        "JD",
        "Judgement under constraints",
        "Makes sound trade-offs between scope, time, cost and quality.",
        "Leads make project trade-offs with incomplete information every week; good ones "
        "protect quality and cost at once.",
        [
            "Escalates trade-off decisions.",
            "Decides routine trade-offs and can explain why.",
            "Decides under time pressure, weighing options, and records the rationale.",
            "Sets decision principles others use.",
        ],
    ),
]
PUBLISHED = timedelta(days=240)  # ago


def seed_framework(run: Run) -> None:
    """Version 1 of the framework, built and published once; the run keeps its levels and
    competencies for the job roles and programs."""
    framework = CompetencyFramework.objects.filter(name=FRAMEWORK, version=1).first()
    if framework is None:
        framework = _build()
        framework = framework_publish(framework=framework, at=run.ago(PUBLISHED))
    else:
        # Every run dates the framework's publication PUBLISHED before its clock, so the
        # date moves as far as the clock has since the last run.
        run.moved = run.ago(PUBLISHED) - framework.published_at
        clock.move(framework, published_at=run.ago(PUBLISHED))
    scale = framework.scales.get()
    run.framework = framework
    run.levels = {level.rank: level for level in scale.levels.all()}
    run.competencies = {c.code: c for c in framework.competencies.all()}


def _build() -> CompetencyFramework:
    framework = framework_create(
        name=FRAMEWORK,
        description="The behaviours Northwind expects of people who lead work and "
        "people, mapped to the customer operations strategy.",
    )
    scale = scale_create(
        framework=framework, name="Four levels", levels=[name for name, _ in LEVELS]
    )
    levels = list(scale.levels.order_by("rank"))
    for level, (_, description) in zip(levels, LEVELS, strict=True):
        proficiency_level_update(level=level, description=description)
    for code, name, description, rationale, indicators in COMPETENCIES:
        competency = competency_create(
            framework=framework,
            code=code,
            name=name,
            description=description,
            strategic_rationale=rationale,
            scale=scale,
        )
        for level, text in zip(levels, indicators, strict=True):
            indicator_create(competency=competency, level=level, description=text)
    return framework
