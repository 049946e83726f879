"""Forms learners fill in about their own work."""

from django import forms
from django.utils.translation import gettext_lazy as _

from areas.fields import FewChoicesField
from objectives.models import ProficiencyLevel
from programs.models import Enrolment, Step
from talentdev.core.forms import Form


class _LinkField(forms.URLField):
    """A link as typed, with https:// added when no scheme is given; whether it is a valid
    address the service says, together with whatever else is missing."""

    default_validators = []


class EvidenceForm(Form):
    evidence = forms.CharField(
        label=_("What did you do and produce?"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,  # the service says what is missing, in one place
        help_text=_("Describe the work and where the results are; be specific."),
    )
    outcome = forms.CharField(
        label=_("What result did it achieve?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    evidence_url = _LinkField(
        label=_("Link to a work sample (optional)"), required=False, assume_scheme="https"
    )


class CancelAssignmentForm(Form):
    reason = forms.CharField(
        label=_("Why cancel it?"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,  # the service says what is missing, in one place
        help_text=_("The learner is told, with your reason."),
    )


class PresentationForm(Form):
    presented_on = forms.DateField(
        label=_("Presented on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    presented_to = forms.CharField(
        label=_("Presented to"), max_length=300, help_text=_("Who heard the results?")
    )


class SelfAssessmentForm(Form):
    level = forms.ModelChoiceField(
        label=_("Where are you today?"),
        queryset=None,
        widget=forms.RadioSelect,
        empty_label=None,
    )
    notes = forms.CharField(
        label=_("Why this level? (optional)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )

    def __init__(self, *args, competency, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["level"].queryset = ProficiencyLevel.objects.filter(
            scale_id=competency.scale_id
        ).order_by("rank")


class ReflectionForm(Form):
    # No blank choice: most learners are in one program, and it is then already chosen.
    enrolment = FewChoicesField(label=_("Program"), queryset=None, empty_label=None)
    step = FewChoicesField(
        label=_("About the step (optional)"),
        queryset=None,
        required=False,
        empty_label=_("No particular step"),
    )
    body = forms.CharField(
        label=_("What did you try, and what did you notice?"),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    next_action = forms.CharField(
        label=_("What will you do next?"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )

    def __init__(self, *args, learner, **kwargs):
        super().__init__(*args, **kwargs)
        enrolments = Enrolment.objects.current().filter(learner=learner)
        self.fields["enrolment"].queryset = enrolments.select_related("program")
        self.fields["enrolment"].label_from_instance = lambda e: e.program.name
        self.fields["step"].queryset = Step.objects.filter(
            pathway__enrolments__in=enrolments
        ).order_by("pathway_id", "position")


class StepReflectionForm(Form):
    """A reflection written from a step's page: the step is the one the page shows."""

    body = forms.CharField(
        label=_("What did you try, and what did you notice?"),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    next_action = forms.CharField(
        label=_("What will you do next?"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )


class StepDoneForm(Form):
    note = forms.CharField(
        label=_("What did you do?"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,  # the service says what is missing, in one place
        help_text=_("A sentence is enough: it is kept with the step for your supervisor."),
    )
