"""Enrolling one learner or a whole cohort."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from areas.fields import PeopleField, PersonField
from programs.models import Cohort
from talentdev.core.forms import Form


class EnrolForm(Form):
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


class EnrolmentPeopleForm(Form):
    """Who works with an enrolled learner, and their cohort."""

    supervisor = PersonField(
        label=_("Supervisor"),
        error_messages={
            "required": _("A supervisor can be replaced, not removed: name who takes over.")
        },
    )
    coach = PersonField(
        label=_("Coach"),
        required=False,
        help_text=_("Username, email or employee ID. Leave empty for no coach."),
    )
    cohort = forms.ModelChoiceField(
        label=_("Cohort"), queryset=Cohort.objects.none(), required=False
    )

    def __init__(self, *args, enrolment, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "supervisor": enrolment.supervisor,
                "coach": enrolment.coach,
                "cohort": enrolment.cohort_id,
            },
        )
        super().__init__(*args, **kwargs)
        self.fields["cohort"].queryset = enrolment.program.cohorts.order_by("-starts_on")
        # Enrolled without one (a learner with no line manager): it may stay so.
        self.fields["supervisor"].required = enrolment.supervisor_id is not None


class EnrolmentStatusForm(Form):
    """Pause, resume or withdraw an enrolment: a pause and a withdrawal say why, and a
    withdrawal is confirmed."""

    reason = forms.CharField(
        label=_("Reason"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Kept in the enrolment's history."),
    )
    confirm = forms.BooleanField(
        error_messages={"required": _("Tick the box to confirm the withdrawal.")}
    )

    REASON_MISSING = {
        "pause": _("Say why the enrolment is paused."),
        "withdraw": _("Say why the learner is withdrawn."),
    }

    def __init__(self, *args, action: str, learner, **kwargs):
        super().__init__(*args, prefix=action, **kwargs)
        if action == "resume":
            del self.fields["reason"]
        else:
            self.fields["reason"].error_messages["required"] = self.REASON_MISSING[action]
        if action == "withdraw":
            self.fields["confirm"].label = _(
                "Withdraw %(learner)s: their steps stop and they leave the team pages of those "
                "who work with them."
            ) % {"learner": learner}
        else:
            del self.fields["confirm"]
