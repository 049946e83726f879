"""Outcome measurements: each program's team metric week by week (at full scale), and each
learner's own metric every 20 days while they are on the program, moving from baseline
toward target as they progress."""

import datetime as dt

from measurement.models import Measurement

from .design import METRICS

TEAM_EVERY = dt.timedelta(days=7)
LEARNER_EVERY = dt.timedelta(days=20)


def build_measurements(writer, rng, plans, lived_by_program, *, now, scale=1.0) -> None:
    (_n, _k, _u, _d, team_base, team_target, *_), learner_def = METRICS[0], METRICS[1]
    learner_base, learner_target = learner_def[4], learner_def[5]
    for plan in plans:
        start = dt.datetime.combine(plan.starts_on, dt.time(6), tzinfo=dt.UTC)
        # Weekly at full size; a smaller company's programs report less often, so every
        # count scales with the company.
        every, at = TEAM_EVERY / min(1.0, scale), start
        while at <= now:
            share = min(1.0, (at - start).days / 365)
            value = team_base + (team_target - team_base) * share * 0.8 + rng.gauss(0, 1.2)
            _add(writer, plan.team_metric, None, at, value, Measurement.Source.IMPORT, plan.owner)
            at += every
        for lived in lived_by_program.get(plan.id, ()):
            own = learner_base + rng.gauss(0, 1.5)
            gain = (learner_target - learner_base) * lived.effect * (0.4 + 0.6 * lived.done_share)
            at, months = lived.start + dt.timedelta(hours=10), 0.0
            while at <= lived.horizon:
                value = own + gain * min(1.0, months / 6) + rng.gauss(0, 0.8)
                _add(
                    writer,
                    plan.learner_metric,
                    lived.enrolment,
                    at,
                    value,
                    Measurement.Source.API,
                    None,
                )
                at += LEARNER_EVERY
                months += LEARNER_EVERY.days / 30


def _add(writer, metric, enrolment, at, value, source, by):
    writer.add(
        Measurement,
        writer.new_id(Measurement),
        metric,
        enrolment,
        at,
        f"{max(value, 0):.4f}",
        source,
        "",
        by,
        at,
        at,
    )
