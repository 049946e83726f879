"""Fast forms for people who observe and coach learners."""

from django import forms
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from areas.fields import PersonField
from measurement.models import COMPETENCY_OUTSIDE_PROGRAM, Assessment
from objectives.models import LearningObjective, PerformanceObjective, ProficiencyLevel
from programs.models import Assignment, Enrolment, Rating, Step, StepProgress
from talentdev.core.forms import Form
from talentdev.core.validators import validate_due_ahead


class ObservationForm(Form):
    """Who, against which objective, how well, what was seen: one submit."""

    enrolment = forms.ModelChoiceField(
        label=_("Learner"), queryset=Enrolment.objects.none(), empty_label=_("Choose a learner")
    )
    performance_objective = forms.ModelChoiceField(
        label=_("Performance objective"),
        queryset=PerformanceObjective.objects.none(),
        empty_label=_("Choose an objective"),
    )
    rating = forms.TypedChoiceField(
        label=_("How well"), choices=Rating.choices, coerce=int, widget=forms.RadioSelect
    )
    behaviour = forms.CharField(
        label=_("What did you see or hear?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The specific moment, as you would describe it to the learner."),
    )

    def __init__(self, *args, enrolments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enrolment"].queryset = enrolments
        self.fields["enrolment"].label_from_instance = self._learner_label
        enrolment_id = self.chosen_enrolment()
        if enrolment_id:
            # Only the objectives of the chosen learner's program are offered.
            self.fields["performance_objective"].queryset = PerformanceObjective.objects.filter(
                program__enrolments__in=enrolments.filter(pk=enrolment_id)
                if str(enrolment_id).isdigit()
                else enrolments.none()
            ).order_by("id")

    def chosen_enrolment(self) -> str:
        """The enrolment id sent or asked for, as text; empty when none."""
        return str(self.data.get("enrolment") or self.initial.get("enrolment") or "")

    def offer(self, enrolments) -> None:
        """List just these enrolments (already read) in the learner drop-down; any of
        `enrolments` given to the form is still accepted."""
        field = self.fields["enrolment"]
        field.widget.choices = [
            ("", field.empty_label),
            *((e.pk, self._learner_label(e)) for e in enrolments),
        ]

    @staticmethod
    def _learner_label(enrolment) -> str:
        return f"{enrolment.learner} — {enrolment.program}"


class FeedbackForm(Form):
    specific_example = forms.CharField(
        label=_("Specific example"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,  # the model says what is missing, in one place
        help_text=_("The moment you are giving feedback on: what was said or done, and when."),
    )
    impact_on_team_goals = forms.CharField(
        label=_("Impact on team goals"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("How it helped or hurt what the team is trying to achieve."),
    )
    suggestion = forms.CharField(
        label=_("What to keep doing or try next (optional)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )


class NextActionForm(Form):
    description = forms.CharField(label=_("Next action"), max_length=500)
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=None)
    # Checked here as well as by the service, so the message sits beside its own row's date.
    due_on = forms.DateField(
        label=_("Due"),
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[validate_due_ahead],
    )

    def __init__(self, *args, owners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners


NextActionFormSet = forms.formset_factory(NextActionForm, extra=3, max_num=10)


class DebriefForm(Form):
    """A debrief laid out from the assignment: one question per success criterion."""

    what_happened = forms.CharField(
        label=_("What happened?"), widget=forms.Textarea(attrs={"rows": 3})
    )
    what_went_well = forms.CharField(
        label=_("What went well?"), widget=forms.Textarea(attrs={"rows": 2})
    )
    what_to_change = forms.CharField(
        label=_("What would you change next time?"), widget=forms.Textarea(attrs={"rows": 2})
    )
    lessons = forms.CharField(label=_("Lessons learned"), widget=forms.Textarea(attrs={"rows": 2}))

    VERDICTS = [("", _("Not judged")), ("yes", _("Met")), ("no", _("Not met"))]

    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for criterion in self.criteria:
            self.fields[f"criterion_{criterion.pk}_notes"] = forms.CharField(
                label=_("How did it go against: %(c)s") % {"c": criterion.description},
                widget=forms.Textarea(attrs={"rows": 2}),
                help_text=_("Shows: %(po)s") % {"po": criterion.performance_objective.statement},
            )
            self.fields[f"criterion_{criterion.pk}_met"] = forms.ChoiceField(
                label=_("Verdict"), choices=self.VERDICTS, required=False
            )

    def criterion_fields(self):
        return [
            (c, self[f"criterion_{c.pk}_notes"], self[f"criterion_{c.pk}_met"])
            for c in self.criteria
        ]

    def criteria_review(self) -> tuple[str, dict]:
        """The per-criterion notes as text, and the verdicts by criterion id."""
        notes = "\n".join(
            f"{c.description}: {self.cleaned_data[f'criterion_{c.pk}_notes']}"
            for c in self.criteria
        )
        verdicts = {
            c.pk: self.cleaned_data[f"criterion_{c.pk}_met"] == "yes"
            for c in self.criteria
            if self.cleaned_data[f"criterion_{c.pk}_met"]
        }
        return notes, verdicts


class CommitmentForm(Form):
    description = forms.CharField(label=_("Commitment"), max_length=500)
    measure = forms.CharField(label=_("Measured by"), max_length=200)
    target_value = forms.DecimalField(label=_("Target"), max_digits=12, decimal_places=2)
    target_unit = forms.CharField(label=_("Unit"), max_length=50)
    due_on = forms.DateField(
        label=_("Due"),
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[validate_due_ahead],
    )


CommitmentFormSet = forms.formset_factory(CommitmentForm, extra=2, max_num=10)


class CoachingSessionForm(Form):
    focus = forms.CharField(label=_("Focus of the session"), max_length=200)
    notes = forms.CharField(
        label=_("Notes"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class PeerRequestForm(Form):
    """Ask a colleague, named by identifier: a drop-down of the whole staff would not do in
    a company of any size. Who may be asked is PeerFeedbackRequest's rule."""

    reviewer = PersonField(
        label=_("Ask"),
        help_text=_(
            "The colleague's username, email or employee ID; suggestions come as you type."
        ),
        error_messages={
            "required": _("Name the colleague to ask: their username, email or employee ID.")
        },
    )
    performance_objective = forms.ModelChoiceField(
        label=_("About the objective (optional)"), queryset=None, required=False
    )
    prompt = forms.CharField(
        label=_("Question for the peer"), widget=forms.Textarea(attrs={"rows": 2})
    )
    due_at = forms.DateTimeField(
        label=_("Due by"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    anonymous = forms.BooleanField(
        label=_("Keep the reviewer's name from the learner"), required=False
    )

    def __init__(self, *args, enrolment, own=False, **kwargs):
        super().__init__(*args, **kwargs)
        if own:
            # The learner asking about their own work knows whom they asked.
            del self.fields["anonymous"]
        # Suggestions come from the learner's colleagues (team:peer_reviewers).
        self.fields["reviewer"].widget.attrs["hx-get"] = reverse(
            "team:peer_reviewers", args=[enrolment.pk]
        )
        self.fields["performance_objective"].queryset = PerformanceObjective.objects.filter(
            program_id=enrolment.program_id
        ).order_by("id")


class PeerResponseForm(Form):
    response = forms.CharField(
        label=_("Your feedback"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class StepSignOffForm(Form):
    note = forms.CharField(
        label=_("What did you see them do?"),
        max_length=1000,
        required=False,  # the service says what is missing, in one place
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class StepSkipForm(Form):
    reason = forms.CharField(
        label=_("Why skip it?"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("E.g. they already do this on the job; the reason stays with the step."),
    )


class AssignmentForm(Form):
    """An on-the-job assignment that mirrors a real problem of the learner's work."""

    title = forms.CharField(label=_("Title"), max_length=200)
    brief = forms.CharField(
        label=_("Brief"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The real problem: the situation, what is at stake and what is asked."),
    )
    scenario_kind = forms.ChoiceField(
        label=_("Kind of scenario"), choices=Assignment.ScenarioKind.choices
    )
    stakeholders = forms.CharField(
        label=_("Stakeholders"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("Who the work is for and who will hear the results."),
    )
    due_on = forms.DateField(
        label=_("Due"),
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[validate_due_ahead],  # said with the other fields' errors, not after
    )
    step = forms.ModelChoiceField(
        label=_("Pathway step"),
        queryset=None,
        required=False,
        empty_label=_("No particular step"),
        help_text=_("A step its debrief completes is done when every criterion is met."),
    )

    def __init__(self, *args, enrolment, **kwargs):
        super().__init__(*args, **kwargs)
        # Only steps still ahead of the learner; the first one its debrief completes, open
        # ones first, is chosen already, so giving the assignment moves the pathway.
        done = StepProgress.objects.filter(
            enrolment=enrolment, status__in=StepProgress.DONE_STATUSES
        ).values("step_id")
        steps = Step.objects.filter(pathway_id=enrolment.pathway_id).exclude(pk__in=done)
        steps = steps.order_by("position")
        self.fields["step"].queryset = steps
        self.fields["step"].label_from_instance = self._step_label
        if "step" not in self.initial:
            ahead = (
                StepProgress.objects.filter(
                    enrolment=enrolment, step__completed_by=Step.Completion.DEBRIEF
                )
                .exclude(status__in=StepProgress.DONE_STATUSES)
                .order_by("status", "step__position")  # "in_progress" sorts before "not_started"
            )
            self.initial["step"] = ahead.values_list("step_id", flat=True).first()

    @staticmethod
    def _step_label(step):
        label = f"{step.position}. {step.title}"
        if step.completed_by == Step.Completion.DEBRIEF:
            return _("%(step)s (its debrief completes it)") % {"step": label}
        return label


class CriterionForm(Form):
    description = forms.CharField(label=_("Success criterion"), max_length=500)
    performance_objective = forms.ModelChoiceField(
        label=_("Shows the performance objective"), queryset=None
    )

    def __init__(self, *args, objectives, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["performance_objective"]
        field.queryset = objectives
        # Every row offers the same objectives: read once (`objectives` keeps its rows),
        # not once per row.
        field.widget.choices = [("", field.empty_label), *((o.pk, str(o)) for o in objectives)]


CriterionFormSet = forms.formset_factory(
    CriterionForm, extra=3, max_num=10, validate_max=True, absolute_max=10
)


class AssessmentForm(Form):
    """A baseline or checkpoint of one competency the learner's program builds. The fields
    carry the model's names, so its refusals stand beside them."""

    KINDS = [(k.value, k.label) for k in (Assessment.Kind.BASELINE, Assessment.Kind.CHECKPOINT)]

    competency = forms.ModelChoiceField(
        label=_("Competency"),
        queryset=None,
        empty_label=None,
        error_messages={"invalid_choice": COMPETENCY_OUTSIDE_PROGRAM},
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=KINDS,
        widget=forms.RadioSelect,
        error_messages={
            "invalid_choice": _(
                "Record a baseline or a checkpoint: learners record their self-assessment."
            )
        },
    )
    assessed_level = forms.ModelChoiceField(
        label=_("Level"), queryset=None, empty_label=_("Choose a level")
    )
    assessed_on = forms.DateField(
        label=_("Assessed on"),
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    score = forms.DecimalField(
        label=_("Score (optional)"),
        max_digits=5,
        decimal_places=2,
        required=False,
        help_text=_("Out of 100, e.g. a quiz result."),
    )
    learning_objective = forms.ModelChoiceField(
        label=_("Learning objective (optional)"),
        queryset=None,
        required=False,
        empty_label=_("No particular objective"),
    )
    notes = forms.CharField(
        label=_("Notes"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args, enrolment, **kwargs):
        super().__init__(*args, **kwargs)
        competencies = enrolment.program.competencies().order_by("code", "pk")
        listed = list(competencies)
        self.chosen = self._chosen(listed)
        # The fields take any competency of the program, any level of its scales and any
        # of its objectives; Assessment.clean says whether level and objective are the
        # chosen competency's. The widgets offer the chosen one's only (htmx reloads them
        # when another is chosen), from rows read once.
        self.fields["competency"].queryset = competencies
        self.fields["competency"].widget.choices = [(c.pk, str(c)) for c in listed]
        level = self.fields["assessed_level"]
        level.queryset = ProficiencyLevel.objects.filter(scale__in=competencies.values("scale"))
        objective = self.fields["learning_objective"]
        objective.queryset = LearningObjective.objects.filter(program_id=enrolment.program_id)
        if self.chosen is None:
            level.widget.choices = objective.widget.choices = []
            return
        levels = ProficiencyLevel.objects.filter(scale_id=self.chosen.scale_id).order_by("rank")
        level.widget.choices = [("", level.empty_label), *((lv.pk, str(lv)) for lv in levels)]
        objectives = objective.queryset.filter(competency=self.chosen).order_by("pk")
        objective.widget.choices = [
            ("", objective.empty_label),
            *((lo.pk, lo.statement) for lo in objectives),
        ]

    def _chosen(self, competencies):
        """The competency whose levels the form offers: the one sent or asked for if the
        program builds it, else the first."""
        wanted = str(self.data.get("competency") or self.initial.get("competency") or "")
        return next(
            (c for c in competencies if str(c.pk) == wanted),
            competencies[0] if competencies else None,
        )
