"""Evidence on the learners of "Leading Through Real Work" and the program's figures."""

from datetime import timedelta
from decimal import Decimal

from measurement.models import Assessment, Measurement
from programs.models import Assignment, Rating

from .design import Built
from .evidence import (
    Said,
    ask_peer,
    assess,
    assignment,
    coaching,
    debrief,
    observe,
    reflect,
    series,
)
from .run import Run


def seed_leadership_evidence(run: Run, ld: Built) -> None:
    """Stretch assignments, observations and feedback, assessments, a debrief, coaching,
    reflections, peer feedback and the program's figures, monthly and per learner."""
    e, pos, los = ld.enrolments, ld.performance, ld.learning
    stretch = ld.pathway.steps.get(position=5)
    criteria = {
        "review": "Every hand-off has a named owner and date within 2 days",
        "decide": "A written options paper with cost, time and customer impact per option",
        "present": "Stakeholders rate the decision briefing 8 or more out of 10",
    }
    diego = assignment(
        run,
        e["learner6"],
        stretch,
        title="Lead the enterprise rollout escalation",
        kind=Assignment.ScenarioKind.CUSTOMER_ESCALATION,
        brief="An enterprise customer's rollout is stuck between support, platform and "
        "product. Run the escalation to a decision: agree owners for each hand-off, lay "
        "out the options and their trade-offs, and present the decision and its results.",
        stakeholders="Head of Customer Support; Product Director; the customer's account lead",
        due_on=run.in_days(6),
        criteria=[(text, pos[key]) for key, text in criteria.items()],
        submitted=(
            timedelta(days=6),
            "Hand-off register with owners and dates; options paper (three options); "
            "briefing notes.",
            "Rollout unblocked in 4 days instead of the usual 9; the account lead rated "
            "the briefing 8 of 10.",
        ),
    )
    sara = assignment(
        run,
        e["learner7"],
        stretch,
        title="Decide the Q3 platform trade-off",
        kind=Assignment.ScenarioKind.PROJECT_TRADEOFF,
        brief="The Q3 platform upgrade cannot ship with its full scope, on time and inside "
        "budget. Lay out the options with product and finance, decide, and present the "
        "result to the stakeholders.",
        stakeholders="Head of Platform; Product Director; Finance business partner",
        due_on=run.day(42),
        criteria=[(text, pos[key]) for key, text in criteria.items()],
        submitted=(
            timedelta(days=46),
            "Options paper with three scopes, costs and customer impact; decision record.",
            "Decided in 3 days instead of the usual 8; deferring the reporting scope "
            "avoided a second release train, an estimated USD 18,000 saved.",
        ),
        presented=(45, "Head of Platform, Product Director and Finance business partner"),
    )
    assignment(
        run,
        e["learner4"],
        stretch,
        title="Untangle the repeat-escalation hand-offs",
        kind=Assignment.ScenarioKind.CROSS_FUNCTIONAL,
        brief="Repeat escalations bounce between support and product. Map the hand-offs, "
        "agree owners with both teams, and report the effect on repeat escalations after "
        "a month.",
        stakeholders="Head of Customer Support; Product Engineering lead",
        due_on=run.in_days(45),
        criteria=[
            (
                "Each hand-off in the repeat-escalation path has an owner both teams agreed",
                pos["review"],
            ),
            (
                "Results presented to both team leads with the before-and-after count",
                pos["present"],
            ),
        ],
    )

    observe(
        run,
        e["learner6"],
        "manager2",
        pos["present"],
        "Briefed the Head of Support and the Product Director on three options with cost "
        "and customer impact, and asked for a decision by Friday.",
        run.in_last_week(2, 15),
        Rating.MEETS,
        assignment=diego,
        feedback=Said(
            timedelta(hours=20),
            "In Tuesday's briefing you put the three options on one page with cost and "
            "customer impact side by side.",
            "The directors decided in the meeting, so the customer heard back two days "
            "inside our escalation target.",
            "Send the page a day ahead so finance can check the numbers.",
        ),
    )
    observe(
        run,
        e["learner6"],
        "manager2",
        pos["review"],
        "Ran the three-team hand-off review; two of seven hand-offs were left without an owner.",
        timedelta(hours=6),
        Rating.APPROACHING,
        assignment=diego,
        evidence="Hand-off register, version of this morning.",
    )
    observe(
        run,
        e["learner6"],
        "coach",
        pos["decide"],
        "Chose to ship the fix without the reporting change, and wrote down why.",
        run.in_last_week(-4, 10),
        Rating.MEETS,
        feedback=Said(
            timedelta(hours=30),
            "Your decision note on the fix listed what was left out and why.",
            "Support could tell the customer exactly what was coming and when.",
        ),
    )
    observe(
        run,
        e["learner7"],
        "manager2",
        pos["decide"],
        "Deferred the reporting scope to Q4 after comparing three options with product "
        "and finance.",
        timedelta(days=50),
        Rating.EXCEEDS,
        assignment=sara,
        evidence="Options paper and decision record.",
        feedback=Said(
            timedelta(hours=4),
            "Your options paper costed each scope and named the customers each one would delay.",
            "The decision took 3 days instead of 8 and kept the release train on plan.",
        ),
    )
    observe(
        run,
        e["learner7"],
        "manager2",
        pos["present"],
        "Presented the trade-off to the Head of Platform, the Product Director and "
        "finance in ten minutes, including the options she rejected.",
        timedelta(days=45),
        Rating.EXCEEDS,
        assignment=sara,
        feedback=Said(
            timedelta(hours=2),
            "You opened with the decision you needed and showed the rejected options "
            "before anyone asked.",
            "All three stakeholders agreed in the room; satisfaction with the briefing "
            "was 9 of 10.",
        ),
    )
    observe(
        run,
        e["learner7"],
        "coach",
        pos["review"],
        "Brought the support and platform leads together to agree the incident hand-off.",
        timedelta(days=80),
        Rating.MEETS,
    )
    observe(
        run,
        e["learner4"],
        "manager",
        pos["review"],
        "Handed a repeat escalation to product without agreeing who would update the customer.",
        run.in_last_week(0, 11),
        Rating.APPROACHING,
        feedback=Said(
            timedelta(hours=50),
            "On Monday's repeat escalation nobody owned the customer update after the "
            "hand-off to product.",
            "The customer chased twice, which counts against our repeat-escalation goal.",
        ),
    )

    S, C, J = "SC", "CF", "JD"
    levels = {  # learner: supervisor, baseline, checkpoint, self-assessment (ranks)
        "learner7": ("manager2", {S: 2, C: 2, J: 2}, {S: 3, C: 3, J: 3}, {S: 3, C: 3, J: 4}),
        "learner8": ("manager2", {S: 1, C: 1, J: 1}, None, None),
        "learner6": ("manager2", {S: 1, C: 2, J: 1}, {S: 2, C: 3, J: 2}, {S: 3, C: 3, J: 2}),
        "learner4": ("manager", {S: 2, C: 1, J: 2}, None, {S: 2, C: 2, J: 2}),
        "learner3": ("manager", {S: 2, C: 2, J: 1}, None, None),
        "learner9": ("manager2", {S: 2, C: 1, J: 2}, None, None),
    }
    checkpoint_days = {"learner7": 27, "learner6": 38}
    by_code = {"SC": los["sc"], "CF": los["cf"], "JD": los["jd"]}
    for username, (assessor, baseline, checkpoint, own) in levels.items():
        enrolment = e[username]
        baseline_on = enrolment.enrolled_on + timedelta(days=1)
        for code, rank in baseline.items():
            assess(
                run,
                enrolment,
                code,
                Assessment.Kind.BASELINE,
                rank,
                baseline_on,
                assessor,
                objective=by_code[code],
            )
        for code, rank in (checkpoint or {}).items():
            when = run.day(checkpoint_days[username])
            assess(
                run,
                enrolment,
                code,
                Assessment.Kind.CHECKPOINT,
                rank,
                when,
                assessor,
                objective=by_code[code],
            )
        for code, rank in (own or {}).items():
            assess(run, enrolment, code, Assessment.Kind.SELF, rank, run.day(4), username)

    verdicts = {c.pk: True for c in sara.success_criteria.all()}
    debrief(
        run,
        e["learner7"],
        sara,
        "manager2",
        timedelta(days=41),
        what_happened="Sara led the Q3 trade-off review with product and finance and "
        "presented the decision to the three stakeholders.",
        what_went_well="The one-page options paper made the decision fast; presenting the "
        "rejected options first removed the usual objections.",
        what_to_change="Bring finance in before the review, not during it.",
        lessons="Trade-offs land when each option names its customer impact and its cost.",
        actions=[
            {
                "description": "Invite finance to draft the next options paper",
                "owner": run.person("learner7"),
                "due_on": run.day(27),
                "done_at": run.ago(timedelta(days=30)),
            },
            {
                "description": "Run the trade-off simulation for the next cohort as a guest "
                "facilitator",
                "owner": run.person("learner7"),
                "due_on": run.in_days(10),
            },
            {
                "description": "Share the options-paper template with the other platform leads",
                "owner": run.person("manager2"),
                "due_on": run.in_days(3),
            },
        ],
        criteria_verdicts=verdicts,
    )
    coaching(
        run,
        e["learner6"],
        "Running reviews that end with an owner for every hand-off",
        timedelta(days=8),
        "Diego's reviews find the problems but end before owners are agreed.",
        [
            {
                "description": "Close every cross-functional review with an owner and a "
                "date per hand-off",
                "measure": "hand-offs with a named owner and date at the end of the review",
                "target_value": Decimal("100"),
                "target_unit": "%",
                "due_on": run.in_days(14),
            },
            {
                "description": "Send the options paper to stakeholders before the briefing",
                "measure": "working days between the escalation and the options paper",
                "target_value": Decimal("2"),
                "target_unit": "days",
                "due_on": run.in_days(21),
            },
        ],
    )
    reflect(
        run,
        e["learner6"],
        ld.pathway.steps.get(position=4),
        "In the simulation I solved the technical problem and forgot the customer update. "
        "Nobody owned it because I never asked.",
        "End every escalation call by reading out the owner of each hand-off.",
        timedelta(days=42),
    )
    reflect(
        run,
        e["learner7"],
        ld.pathway.steps.get(position=6),
        "The presentation was easier than the decision: once the options were costed, "
        "the room decided for me.",
        "Use the same one-page format for the Q4 roadmap trade-offs.",
        timedelta(days=40),
    )
    ask_peer(
        run,
        e["learner6"],
        "coach",
        "learner7",
        "How clear were Diego's hand-off owners in the rollout escalation?",
        due=timedelta(days=4),
        objective=pos["review"],
    )

    months = run.month_ends(6)
    metrics, source = ld.metrics, Measurement.Source.IMPORT
    series(metrics["ttc"], [180, 176, 165, 152, 141, 132], months, source=source)
    series(metrics["defects"], [12, 11.6, 10.4, 9.1, 8.2, 7.4], months, source=source)
    series(metrics["satisfaction"], [6.8, 6.9, 7.2, 7.6, 7.9, 8.1], months, source=source)
    series(metrics["savings"], [0, 4500, 9800, 16200, 22500, 27900], months, source=source)
    learner_values = {  # learner: stakeholder satisfaction at (days ago, value)
        "learner7": [(140, 6.5), (80, 7.6), (45, 9.0)],
        "learner6": [(75, 6.2), (40, 7.1), (5, 8.0)],
        "learner4": [(25, 6.9)],
    }
    for username, points in learner_values.items():
        enrolment = e[username]
        series(
            metrics["satisfaction"],
            [value for _, value in points],
            [run.ago(timedelta(days=days)) for days, _ in points],
            enrolment=enrolment,
            source=Measurement.Source.MANUAL,
            recorded_by=enrolment.supervisor,
        )
    ld.assignments["sara"] = sara
