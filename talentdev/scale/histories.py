"""Each learner's history on a program, written as the product would have written it.

A learner is enrolled, and their pathway is walked forward in time, step by step, the way
progression (programs/progression.py) moves it: each step opens when the ones before it are
done (or with the step before it when it runs alongside), and completes at the moment its
rule is first met by the evidence generated here — observations against its evidence rule
(judged by programs.evidence.gate_met_at itself), the learner's or supervisor's sign-off,
a reflection, an assessment at the step's level. Evidence that would complete a step is made
only while that step is open, so no step is left open that progression would close. The
enrolment completes with its last step and reaches competency at the first moment the
program's rule holds. Every change is a ProgressEvent, every observation opens a feedback
window decided from its times and its feedback as coaching decides it.

A paused or withdrawn learner's history stops at the moment a person paused or withdrew
them. Running progression's sweep over what is written here changes nothing.
"""

import datetime as dt
import uuid
from dataclasses import dataclass

from coaching.models import CoachingSession, Feedback, FeedbackWindow, Observation, Reflection
from measurement.models import Assessment
from programs.evidence import gate_met_at
from programs.models import Enrolment, ProgressEvent, Rating, Step, StepProgress, StepSignOff

E, S, CAUSE, C = ProgressEvent.Type, StepProgress.Status, ProgressEvent.Cause, Step.Completion
DAY = dt.timedelta(days=1)
PAUSED_SHARE, WITHDRAWN_SHARE = 0.04, 0.05
STEP_GAP_DAYS = 6  # mean days between observations while an evidence rule is being worked on
BACKGROUND_GAP_DAYS = 30  # mean days between observations otherwise
MAX_TRIES = 14  # observations on one evidence rule before a learner is stuck on it
BEHAVIOURS = (
    "Did it as the checklist describes, unprompted.",
    "Started well, then skipped the last part under time pressure.",
    "Handled a difficult case calmly and followed through.",
    "Needed a prompt, then did it fully.",
)


def day_start(day: dt.date) -> dt.datetime:
    # As programs.history.day_start: an enrolment's first step opens at 00:00 UTC.
    return dt.datetime.combine(day, dt.time.min, tzinfo=dt.UTC)


@dataclass
class Lived:
    """What the measurements need of one enrolment's history."""

    enrolment: int
    start: dt.datetime
    horizon: dt.datetime
    done_share: float
    effect: float  # how much this learner improves, 0 to 1


class History:
    """One enrolment's life: generated, then written."""

    def __init__(self, writer, rng, plan, company, learner, *, now, today):
        self.w, self.rng, self.plan, self.now, self.today = writer, rng, plan, now, today
        self.learner = learner
        self.line_manager = company.manager_of.get(learner)
        cohort, cohort_start = rng.choice(plan.cohorts)
        latest = min(cohort_start + dt.timedelta(days=13), today - DAY)
        self.enrolled_on = cohort_start + dt.timedelta(
            days=rng.randint(0, (latest - cohort_start).days)
        )
        self.cohort = cohort
        self.pathway, _since, self.steps = next(
            p for p in reversed(plan.pathways) if p[1] <= self.enrolled_on
        )
        self.start = day_start(self.enrolled_on)
        self._people(company)
        self.pace = rng.lognormvariate(0, 0.45) * (4 if rng.random() < 0.12 else 1)
        self.skill = rng.uniform(0.05, 0.45)
        self.ramp_days = rng.uniform(90, 200) * self.pace
        self.id = writer.new_id(Enrolment)
        self.status = Enrolment.Status.ACTIVE
        self.horizon, self.stopped = now, None
        roll = rng.random()
        if roll < PAUSED_SHARE + WITHDRAWN_SHARE and (now - self.start).days > 20:
            self.stopped = (
                Enrolment.Status.PAUSED if roll < PAUSED_SHARE else Enrolment.Status.WITHDRAWN
            )
            self.horizon = self.start + (now - self.start) * rng.uniform(0.15, 0.95)
        self.observations, self.assessments, self.sign_offs, self.events = [], [], [], []
        self.reflections, self.sessions = [], []
        self.baseline = {}  # competency id -> rank at baseline
        self.rows = {}  # step id -> [id, status, due_on, started_at, completed_at, updated]

    def _people(self, company):
        rng, manager = self.rng, self.line_manager
        others = company.managers or company.sponsors
        if manager is None or rng.random() < 0.15:
            supervisor = rng.choice(others)
            while supervisor == self.learner and len(others) > 1:
                supervisor = rng.choice(others)
        else:
            supervisor = manager
        coach = None
        # Practice on the job needs two observers: without a separate line manager, a coach.
        if supervisor == manager or manager is None or rng.random() < 0.4:
            candidates = [p for p in rng.sample(others, min(4, len(others)))]
            candidates = [p for p in candidates if p not in (self.learner, supervisor)]
            coach = candidates[0] if candidates else None
        self.supervisor, self.coach = supervisor, coach
        weights = {supervisor: 0.6}
        if coach:
            weights[coach] = 0.25
        if manager and manager not in weights and manager != self.learner:
            weights[manager] = 0.15
        self.observers = list(weights)
        self.observer_weights = list(weights.values())

    # -- time and people -------------------------------------------------------------

    def _after(self, moment, mean_days):
        return moment + dt.timedelta(days=self.rng.expovariate(1 / (mean_days * self.pace)))

    def _rating(self, at) -> int:
        skill = min(1.0, self.skill + (at - self.start).days / self.ramp_days)
        if self.rng.random() < 0.2 + 0.7 * skill:
            return Rating.EXCEEDS if self.rng.random() < 0.25 else Rating.MEETS
        return Rating.APPROACHING if self.rng.random() < 0.7 else Rating.BELOW

    def _observe(self, at, objective_ids):
        objective = self.rng.choice(objective_ids)
        observer = self.rng.choices(self.observers, self.observer_weights)[0]
        self.observations.append((at, objective, observer, self._rating(at)))

    def _background(self, since, until):
        """Observations in a stretch of time when no evidence rule is open."""
        objective_ids = [po for po, _w in self.plan.objectives]
        at = self._after(since, BACKGROUND_GAP_DAYS)
        while at < until:
            self._observe(at, objective_ids)
            at = self._after(at, BACKGROUND_GAP_DAYS)

    # -- the walk --------------------------------------------------------------------

    def live(self) -> Lived:
        opened = done = self.start
        background_from = self.start
        for index, step in enumerate(self.steps):
            due = (
                self.enrolled_on + dt.timedelta(days=step.due_days)
                if (step.due_days and step.due_from == Step.DueFrom.ENROLMENT)
                else None
            )
            row = [self.w.new_id(StepProgress), S.NOT_STARTED, due, None, None, self.start]
            self.rows[step.id] = row
            opens = opened if index == 0 or step.with_previous else done
            if opens is None or opens > self.horizon:
                done = None
                continue
            opened = opens
            row[1], row[3], row[5] = S.IN_PROGRESS, opens, opens
            if step.due_days and step.due_from == Step.DueFrom.UNLOCK:
                row[2] = opens.date() + dt.timedelta(days=step.due_days)
            self._event(E.STEP_UNLOCKED, opens, step, S.NOT_STARTED, S.IN_PROGRESS, CAUSE.RULE)
            if step.completed_by == C.EVIDENCE:
                if background_from is not None:
                    self._background(background_from, opens)
                finished = self._evidence(step, opens)
                background_from = finished[0] if finished else None
            else:
                finished = self._decide(step, opens)
            if finished is None:
                done = None
                continue
            at, status, cause, actor, detail = finished
            row[1], row[5] = status, at
            if status == S.COMPLETED:
                row[4] = at
            self._event(
                E.STEP_COMPLETED if status == S.COMPLETED else E.STEP_SKIPPED,
                at,
                step,
                S.IN_PROGRESS,
                status,
                cause,
                actor,
                detail,
            )
            if done is not None:
                done = max(done, at)
        if background_from is not None:
            self._background(background_from, self.horizon)
        finished_at = None
        if all(row[1] in StepProgress.DONE_STATUSES for row in self.rows.values()):
            finished_at = max(row[5] for row in self.rows.values())
            self._event(
                E.ENROLMENT_COMPLETED,
                finished_at,
                None,
                Enrolment.Status.ACTIVE,
                Enrolment.Status.COMPLETED,
                CAUSE.RULE,
            )
            self.status, self.stopped = Enrolment.Status.COMPLETED, None
            self._later_checkpoint(finished_at)
        self._extras()
        competent = self._competent_at()
        if competent is not None:
            self._event(E.COMPETENCY_REACHED, competent, None, "", "", CAUSE.RULE)
        if self.stopped:
            self.status = self.stopped
            reason = (
                "On parental leave."
                if self.stopped == Enrolment.Status.PAUSED
                else ("Moved to another role.")
            )
            self._event(
                E.ENROLMENT_STATUS,
                self.horizon,
                None,
                Enrolment.Status.ACTIVE,
                self.stopped,
                CAUSE.PERSON,
                self.plan.owner,
                {"reason": reason},
            )
        self._write(finished_at, competent)
        done_steps = sum(row[1] in StepProgress.DONE_STATUSES for row in self.rows.values())
        return Lived(
            self.id,
            self.start,
            self.horizon,
            done_steps / len(self.steps),
            min(1.0, self.skill + 0.4),
        )

    def _evidence(self, step, opens):
        """Observations against the step's rule until the rule is met, the learner gets stuck
        or time runs out; returns how the step finished, or None."""

        def qualifying():
            return [
                (observer, at)
                for at, objective, observer, rating in self.observations
                if objective in step.objective_ids and rating >= step.gate_min_rating
            ]

        met = gate_met_at(step, qualifying(), since=opens, until=self.horizon)
        at, tries = opens, 0
        while met is None and tries < MAX_TRIES:
            at = self._after(at, STEP_GAP_DAYS)
            if at > self.horizon:
                return None
            self._observe(at, list(step.objective_ids))
            tries += 1
            met = gate_met_at(step, qualifying(), since=opens, until=self.horizon)
        if met is None:
            return None
        inside = [
            (observer, moment)
            for observer, moment in qualifying()
            if met - dt.timedelta(days=step.gate_within_days) <= moment <= met
        ]
        detail = {"observations": len(inside), "observers": len({o for o, _m in inside})}
        return met, S.COMPLETED, CAUSE.RULE, None, detail

    def _decide(self, step, opens):
        rule, rng = step.completed_by, self.rng
        if rule == C.ASSESSMENT:
            return self._assessed(step, opens)
        at = self._after(opens, {C.LEARNER: 5, C.REFLECTION: 8}.get(rule, 12))
        if at > self.horizon:
            return None
        if rule == C.REFLECTION:
            self.reflections.append((at, step.id, "Tried the model on a real case."))
            return at, S.COMPLETED, CAUSE.RULE, None, {"evidence": rule}
        progress = self.rows[step.id][0]
        if rule == C.LEARNER:
            note = "Worked through the module and its examples."
            self.sign_offs.append(
                (progress, StepSignOff.Decision.SIGNED_OFF, self.learner, note, at)
            )
            return at, S.COMPLETED, CAUSE.SIGN_OFF, self.learner, {"note": note}
        by = self.supervisor
        if step.skippable and rng.random() < 0.15:
            reason = "Already runs this on the job every week."
            self.sign_offs.append((progress, StepSignOff.Decision.SKIPPED, by, reason, at))
            return at, S.SKIPPED, CAUSE.SKIP, by, {"reason": reason}
        note = "Saw it done well on three occasions."
        self.sign_offs.append((progress, StepSignOff.Decision.SIGNED_OFF, by, note, at))
        return at, S.COMPLETED, CAUSE.SIGN_OFF, by, {"note": note}

    def _assessed(self, step, opens):
        """A baseline (the first step) or a checkpoint of every competency, made while the
        step is open; done once one reaches the step's level."""
        baseline = step.kind == Step.Kind.BASELINE_ASSESSMENT
        day = opens.date()
        for attempt in range(3):
            day = self._after(day_start(day), 6 if baseline else 15).date()
            if day_start(day) > self.horizon or day > self.today:
                return None
            ranks = self._assess(day, baseline, attempt)
            if step.assessment_min_rank is None or max(ranks) >= step.assessment_min_rank:
                at = max(day_start(day), opens)
                return at, S.COMPLETED, CAUSE.RULE, None, {"evidence": C.ASSESSMENT}
        return None

    def _assess(self, day, baseline, attempt) -> list[int]:
        rng, ranks = self.rng, []
        kind = Assessment.Kind.BASELINE if baseline else Assessment.Kind.CHECKPOINT
        for competency, learning in self.plan.competencies:
            if baseline:
                rank = rng.choice((1, 1, 2, 2, 2, 3))
            else:
                start = self.baseline.get(competency, 1)
                rank = min(4, start + attempt + (1 if rng.random() < 0.6 else 0))
            if baseline:
                self.baseline[competency] = rank
                if rng.random() < 0.25:
                    self.assessments.append(
                        (competency, learning, Assessment.Kind.SELF, rank, self.learner, day, None)
                    )
            score = None if baseline else 30 + 15 * rank + rng.randint(0, 10)
            self.assessments.append((competency, learning, kind, rank, self.supervisor, day, score))
            ranks.append(rank)
        return ranks

    def _later_checkpoint(self, finished_at):
        if self.rng.random() < 0.4:
            day = (finished_at + dt.timedelta(days=self.rng.randint(60, 150))).date()
            if day_start(day) <= self.horizon and day <= self.today:
                self._assess(day, False, 1)

    def _extras(self):
        """A coaching session or two with the coach and a journal entry: evidence that
        completes no step of this pathway."""
        span = self.horizon - self.start
        if self.coach:
            for _ in range(self.rng.randint(0, 2)):
                self.sessions.append(self.start + span * self.rng.random())
        if self.rng.random() < 0.3:
            self.reflections.append(
                (self.start + span * self.rng.random(), None, "What I noticed this month.")
            )

    def _competent_at(self):
        """The first moment every objective was met on the job and, when the program asks for
        a level, the latest assessment of every competency was at it (progression's rule)."""
        first = {}
        for at, objective, _observer, rating in self.observations:
            if rating >= Rating.MEETS and (objective not in first or at < first[objective]):
                first[objective] = at
        objectives = [po for po, _w in self.plan.objectives]
        if any(po not in first for po in objectives):
            return None
        levels = {}
        if self.plan.min_rank is not None:
            for competency, _lo, kind, rank, _by, day, _score in sorted(
                self.assessments, key=lambda a: a[5]
            ):
                if kind != Assessment.Kind.SELF:
                    levels.setdefault(competency, []).append((rank, day_start(day)))
            if any(c not in levels for c, _lo in self.plan.competencies):
                return None
        moments = sorted(
            {first[po] for po in objectives} | {at for made in levels.values() for _r, at in made}
        )
        for moment in moments:
            if all(first[po] <= moment for po in objectives) and all(
                _level_at(made, moment) >= self.plan.min_rank for made in levels.values()
            ):
                return min(moment, self.now)
        return None

    # -- writing ---------------------------------------------------------------------

    def _event(self, type_, at, step, before, after, cause, actor=None, detail=None):
        self.events.append(
            (type_, at, step.id if step else None, before, after, cause, actor, detail)
        )

    def _write(self, finished_at, competent):
        w, created = self.w, min(self.start + dt.timedelta(hours=9), self.now)
        w.add(
            Enrolment,
            self.id,
            self.learner,
            self.plan.id,
            self.pathway,
            self.cohort,
            self.supervisor,
            self.coach,
            self.status,
            self.enrolled_on,
            max(finished_at.date(), self.enrolled_on) if finished_at else None,
            max(competent.date(), self.enrolled_on) if competent else None,
            created,
            max([created, *(e[1] for e in self.events)]),
        )
        for step_id, (pk, status, due, started, completed, updated) in self.rows.items():
            w.add(
                StepProgress,
                pk,
                self.id,
                step_id,
                status,
                due,
                started,
                completed,
                created,
                max(created, updated),
            )
        for progress, decision, by, note, at in self.sign_offs:
            w.add(StepSignOff, w.new_id(StepSignOff), progress, decision, by, note, at, at, at)
        for type_, at, step, before, after, cause, actor, detail in self.events:
            w.add(
                ProgressEvent,
                uuid.UUID(int=self.rng.getrandbits(128), version=4),
                type_,
                self.id,
                step,
                before,
                after,
                at,
                cause,
                actor,
                detail or {},
                at,
            )
        windows = dict(self.plan.objectives)
        for at, objective, observer, rating in self.observations:
            self._write_observation(at, objective, observer, rating, windows[objective])
        for at, step, body in self.reflections:
            w.add(Reflection, w.new_id(Reflection), self.id, step, at, body, "", at, at)
        for at in self.sessions:
            w.add(
                CoachingSession,
                w.new_id(CoachingSession),
                self.id,
                self.coach,
                at,
                "Turning feedback into practice",
                "",
                at,
                at,
            )
        for competency, learning, kind, rank, by, day, score in self.assessments:
            at = min(day_start(day) + dt.timedelta(hours=15), self.now)
            w.add(
                Assessment,
                w.new_id(Assessment),
                self.id,
                competency,
                learning,
                kind,
                self.plan.levels[competency][rank],
                score,
                by,
                day,
                "",
                at,
                at,
            )

    def _write_observation(self, at, objective, observer, rating, window):
        w, rng, now = self.w, self.rng, self.now
        pk = w.new_id(Observation)
        behaviour = BEHAVIOURS[rating - 1]
        w.add(
            Observation,
            pk,
            self.id,
            self.learner,
            observer,
            objective,
            None,
            at,
            rating,
            behaviour,
            "",
            at,
            at,
        )
        closes = at + window
        giver = observer if rng.random() < 0.85 else self.supervisor
        roll = rng.random()
        if closes >= now:  # still open: feedback given already by some observers
            delivered = at + (now - at) * rng.random() if roll < 0.5 else None
        elif roll < 0.73:
            delivered = at + window * rng.uniform(0.05, 0.95)
        elif roll < 0.77:
            delivered = closes + dt.timedelta(hours=rng.uniform(1, 72))
            delivered = delivered if delivered <= now else None
        else:
            delivered = None
        if delivered is not None and delivered <= closes:
            status, resolved = FeedbackWindow.Status.MET, delivered
        elif delivered is not None or closes < now:
            status, resolved = FeedbackWindow.Status.MISSED, closes
        else:
            status, resolved = FeedbackWindow.Status.OPEN, None
        w.add(
            FeedbackWindow,
            w.new_id(FeedbackWindow),
            pk,
            at,
            closes,
            status,
            resolved,
            at,
            resolved or at,
        )
        if delivered is not None:
            w.add(
                Feedback,
                w.new_id(Feedback),
                pk,
                giver,
                "In the session on Tuesday you " + behaviour[0].lower() + behaviour[1:],
                "The team closed the issue without a second hand-off.",
                "Keep naming the next step out loud.",
                delivered,
                delivered,
                delivered,
            )


def _level_at(made, moment) -> int:
    ranks = [rank for rank, at in made if at <= moment]
    return ranks[-1] if ranks else 0


def build_histories(writer, rng, plans, company, *, now) -> dict[int, list[Lived]]:
    """Every program's learners and their histories; what was lived, by program id."""
    today = now.date()
    lived = {}
    for plan in plans:
        if not plan.cohorts:
            continue
        pool = company.managers if plan.leadership and company.managers else company.learners
        lived[plan.id] = [
            History(writer, rng, plan, company, learner, now=now, today=today).live()
            for learner in rng.sample(pool, min(plan.size, len(pool)))
        ]
    return lived
