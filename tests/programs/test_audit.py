"""The line-of-sight audit: each break in the chain, named, with the record to fix."""

from dataclasses import dataclass

import pytest

from objectives.models import PerformanceObjective
from programs.audit import Severity, program_audit
from programs.models import Pathway
from tests.factories import (
    CompetencyFactory,
    LearningObjectiveFactory,
    OutcomeMetricFactory,
    PathwayFactory,
    PerformanceObjectiveFactory,
    ProgramFactory,
    StepFactory,
)

pytestmark = pytest.mark.django_db


@dataclass
class Chain:
    program: object
    lo: object = None
    po: object = None
    metric: object = None
    pathway: object = None
    steps: tuple = ()


def build(
    *,
    learning=True,
    performance=True,
    linked=True,
    metric=True,
    metric_linked=True,
    pathway=True,
    steps=True,
    practised=True,
):
    """An unbroken chain by default; each switch breaks one link."""
    chain = Chain(program=ProgramFactory())
    program = chain.program
    if learning:
        chain.lo = LearningObjectiveFactory(program=program, statement="Explain why feedback works")
    if performance:
        chain.po = PerformanceObjectiveFactory(
            program=program, statement="Deliver feedback within 24 hours"
        )
    if linked and chain.lo and chain.po:
        chain.po.learning_objectives.add(chain.lo)
    if metric:
        chain.metric = OutcomeMetricFactory(program=program)
        if metric_linked and chain.po:
            chain.metric.performance_objectives.add(chain.po)
    if pathway:
        chain.pathway = PathwayFactory(program=program)
        if steps:
            first = StepFactory(pathway=chain.pathway, position=1, difficulty=1, title="Study")
            second = StepFactory(pathway=chain.pathway, position=2, difficulty=3, title="Practise")
            if chain.lo:
                first.learning_objectives.add(chain.lo)
            elif chain.po:
                first.performance_objectives.add(chain.po)
            if chain.po and practised:
                second.performance_objectives.add(chain.po)
            elif chain.lo:
                second.learning_objectives.add(chain.lo)
            chain.steps = (first, second)
    return chain


def only(findings, code):
    matching = [f for f in findings if f.code == code]
    assert len(matching) == 1, [f.code for f in findings]
    return matching[0]


def codes(findings):
    return sorted(f.code for f in findings)


def test_an_unbroken_line_of_sight_has_no_findings():
    chain = build()

    assert program_audit(program=chain.program) == []


def test_a_program_without_performance_objectives_is_told_to_write_them_first():
    chain = build(performance=False)

    findings = program_audit(program=chain.program)

    finding = only(findings, "no_performance_objectives")
    assert finding.severity is Severity.ERROR
    assert finding.subject == chain.program
    assert finding.message == (
        "The program has no performance objectives: nothing says what learners will do "
        "differently on the job. Write those first."
    )
    # the learning objective now supports nothing, which is its own break
    assert codes(findings) == [
        "learning_objective_without_performance",
        "no_performance_objectives",
    ]


def test_a_program_without_learning_objectives_is_told_nothing_builds_understanding():
    chain = build(learning=False)

    findings = program_audit(program=chain.program)

    finding = only(findings, "no_learning_objectives")
    assert finding.severity is Severity.ERROR
    assert finding.subject == chain.program
    assert finding.message == (
        "The program has no learning objectives: nothing builds the understanding "
        "behind the behaviours."
    )
    assert codes(findings) == ["no_learning_objectives", "performance_objective_without_learning"]


def test_a_learning_objective_supporting_no_performance_objective_is_named():
    chain = build(linked=False)

    finding = only(program_audit(program=chain.program), "learning_objective_without_performance")

    assert finding.severity is Severity.WARNING
    assert finding.subject == chain.lo
    assert finding.message == (
        "Learning objective “Explain why feedback works” supports no performance objective: "
        "learners may understand it, but nothing shows them applying it."
    )


def test_a_long_statement_is_shortened_in_the_message():
    chain = build()
    long_lo = LearningObjectiveFactory(
        program=chain.program, competency=chain.lo.competency, statement="word " * 40
    )

    finding = only(program_audit(program=chain.program), "learning_objective_without_performance")

    assert finding.subject == long_lo
    shortened = ("word " * 14).strip()[:69] + "…"
    assert f"“{shortened}”" in finding.message


def test_a_performance_objective_resting_on_no_learning_objective_is_named():
    chain = build(linked=False)

    finding = only(program_audit(program=chain.program), "performance_objective_without_learning")

    assert finding.severity is Severity.WARNING
    assert finding.subject == chain.po
    assert finding.message == (
        "Performance objective “Deliver feedback within 24 hours” rests on no learning "
        "objective: learners may follow the script without knowing why."
    )


def test_a_vague_performance_objective_is_not_measurable_and_the_fields_to_fix_are_named():
    chain = build()
    # Saved around the SMART check, as data from before the rule or an import would be.
    vague = PerformanceObjective.objects.create(
        program=chain.program,
        statement="Participants will understand feedback",
        evidence_method=PerformanceObjective.EvidenceMethod.OBSERVATION,
    )

    findings = program_audit(program=chain.program)

    finding = only(findings, "not_measurable")
    assert finding.severity is Severity.ERROR
    assert finding.subject == vague
    assert finding.message == (
        "Performance objective “Participants will understand feedback” is not observable and "
        "measurable yet; fix: statement, action, condition, measure, measure unit, target "
        "comparator, target value, time window."
    )
    assert "no_evidence_method" not in codes(findings)


def test_a_performance_objective_without_an_evidence_method_is_named_once():
    chain = build()
    chain.po.evidence_method = ""
    chain.po.save(update_fields=["evidence_method"])

    findings = program_audit(program=chain.program)

    finding = only(findings, "no_evidence_method")
    assert finding.severity is Severity.ERROR
    assert finding.subject == chain.po
    assert finding.message == (
        "Performance objective “Deliver feedback within 24 hours” says nothing about how it "
        "will be evidenced (observation, work sample or metric)."
    )
    # the missing method is not reported a second time as "not measurable"
    assert codes(findings) == ["no_evidence_method"]


def test_a_performance_objective_tied_to_no_outcome_metric_is_named():
    chain = build(metric_linked=False)

    findings = program_audit(program=chain.program)

    finding = only(findings, "no_outcome_metric")
    assert finding.severity is Severity.WARNING
    assert finding.subject == chain.po
    assert finding.message == (
        "Performance objective “Deliver feedback within 24 hours” is tied to no outcome "
        "metric: no sponsor will see the business result it should move."
    )
    assert codes(findings) == ["no_outcome_metric"]


def test_a_program_without_a_pathway_is_told_nothing_bridges_understanding_and_application():
    chain = build(pathway=False)

    findings = program_audit(program=chain.program)

    finding = only(findings, "no_pathway")
    assert finding.severity is Severity.ERROR
    assert finding.subject == chain.program
    assert finding.message == (
        "The program has no pathway: nothing bridges understanding and application."
    )
    assert codes(findings) == ["no_pathway"]


def test_a_pathway_without_steps_is_named_by_its_version():
    chain = build(steps=False)

    findings = program_audit(program=chain.program)

    finding = only(findings, "empty_pathway")
    assert finding.severity is Severity.ERROR
    assert finding.subject == chain.pathway
    assert finding.message == "Pathway version 1 has no steps."
    assert codes(findings) == ["empty_pathway"]


def test_a_step_serving_no_objective_is_named():
    chain = build()
    idle = StepFactory(pathway=chain.pathway, position=3, difficulty=3, title="Team lunch")

    findings = program_audit(program=chain.program)

    finding = only(findings, "step_serves_no_objective")
    assert finding.severity is Severity.WARNING
    assert finding.subject == idle
    assert finding.message == "Step 3 “Team lunch” serves no objective: why is it on the pathway?"
    assert codes(findings) == ["step_serves_no_objective"]


def test_a_step_easier_than_the_one_before_it_is_named():
    chain = build()
    easier = StepFactory(pathway=chain.pathway, position=3, difficulty=2, title="Recap quiz")
    easier.learning_objectives.add(chain.lo)

    findings = program_audit(program=chain.program)

    finding = only(findings, "difficulty_falls")
    assert finding.severity is Severity.WARNING
    assert finding.subject == easier
    assert finding.message == (
        "Difficulty falls from 3 at step 2 to 2 at step 3 “Recap quiz”: experiences should "
        "grow harder along the pathway."
    )
    assert codes(findings) == ["difficulty_falls"]


def test_a_performance_objective_no_step_practises_is_named():
    chain = build(practised=False)

    findings = program_audit(program=chain.program)

    finding = only(findings, "performance_objective_not_practised")
    assert finding.severity is Severity.WARNING
    assert finding.subject == chain.po
    assert finding.message == "No step of the pathway practises “Deliver feedback within 24 hours”."
    assert codes(findings) == ["performance_objective_not_practised"]


def test_a_program_without_outcome_metrics_is_told_sponsors_cannot_see_results():
    chain = build(metric=False)

    findings = program_audit(program=chain.program)

    finding = only(findings, "no_outcome_metrics")
    assert finding.severity is Severity.ERROR
    assert finding.subject == chain.program
    assert finding.message == (
        "The program has no outcome metrics: sponsors cannot see whether it moves the business."
    )
    assert codes(findings) == ["no_outcome_metric", "no_outcome_metrics"]


def test_findings_come_most_severe_first():
    chain = build(linked=False, metric=False, practised=False)
    StepFactory(pathway=chain.pathway, position=3, difficulty=1, title="Idle")

    findings = program_audit(program=chain.program)

    severities = [f.severity for f in findings]
    assert severities == sorted(severities, reverse=True)
    assert severities[0] is Severity.ERROR
    assert severities[-1] is Severity.WARNING
    assert {f.code for f in findings} == {
        "learning_objective_without_performance",
        "performance_objective_without_learning",
        "no_outcome_metric",
        "no_outcome_metrics",
        "performance_objective_not_practised",
        "step_serves_no_objective",
        "difficulty_falls",
    }


def test_the_audit_reads_the_latest_pathway_version_the_designer_is_working_on():
    chain = build()  # its version 1 is published
    draft = PathwayFactory(
        program=chain.program, version=2, status=Pathway.Status.DRAFT, published_at=None
    )

    findings = program_audit(program=chain.program)

    finding = only(findings, "empty_pathway")
    assert finding.subject == draft
    assert finding.message == "Pathway version 2 has no steps."

    hard = StepFactory(pathway=draft, position=1, difficulty=4, title="Lead")
    easy = StepFactory(pathway=draft, position=2, difficulty=1, title="Read")
    hard.performance_objectives.add(chain.po)
    easy.learning_objectives.add(chain.lo)

    findings = program_audit(program=chain.program)

    assert codes(findings) == ["difficulty_falls"]
    assert findings[0].subject == easy


def _program_of_size(size):
    program = ProgramFactory()
    competency = CompetencyFactory()
    metric = OutcomeMetricFactory(program=program)
    pathway = PathwayFactory(program=program)
    for n in range(size):
        lo = LearningObjectiveFactory(program=program, competency=competency)
        po = PerformanceObjectiveFactory(program=program)
        po.learning_objectives.add(lo)
        metric.performance_objectives.add(po)
        step = StepFactory(pathway=pathway, position=n + 1, difficulty=min(n // 7 + 1, 5))
        step.learning_objectives.add(lo)
        step.performance_objectives.add(po)
    return program


@pytest.mark.parametrize("size", [2, 30])
def test_the_audit_runs_the_same_number_of_queries_however_big_the_program(
    size, django_assert_num_queries
):
    program = _program_of_size(size)

    # learning objectives (+ their performance objectives), performance objectives (+ their
    # metrics; their learning objectives are those already read), the latest pathway
    # (+ steps and their two kinds of objectives), and whether the program has a metric
    with django_assert_num_queries(9):
        findings = program_audit(program=program)

    assert findings == []
