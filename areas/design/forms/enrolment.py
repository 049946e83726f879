"""Enrolling one learner or a whole cohort."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from areas.fields import PeopleField, PersonField
from programs.models import Cohort


class EnrolForm(forms.Form):
    """Enrol one learner or a whole cohort at once."""

    learners = PeopleField(
        label=_("Learners"),
        help_text=_(
            "One person, or a whole cohort: one per line, by username, email or employee ID."
        ),
    )
    cohort = forms.ModelChoiceField(
        label=_("Cohort"), queryset=Cohort.objects.none(), required=False
    )
    new_cohort = forms.CharField(
        label=_("…or start a new cohort named"), required=False, max_length=200
    )
    supervisor = PersonField(
        label=_("Supervisor"),
        required=False,
        help_text=_(
            "Observes and coaches at work. Leave empty to make each learner's line manager "
            "their supervisor."
        ),
    )
    coach = PersonField(label=_("Coach (optional)"), required=False)
    enrolled_on = forms.DateField(
        label=_("Enrolled on"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, program, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cohort"].queryset = program.cohorts.order_by("-starts_on")
        self.fields["enrolled_on"].initial = timezone.localdate()
