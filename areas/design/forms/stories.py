"""Telling a program's success story: the result, and the step or assignment that led to it."""

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from measurement.models import STORY_NAMES_NO_STEP, SuccessStory
from programs.models import Assignment, Step
from programs.selectors import assignment_number, program_assignments
from talentdev.core.forms import Form


def assignment_label(assignment: Assignment) -> str:
    """How an assignment is offered and shown in the form: its number first, which is what
    the form reads back."""
    return f"#{assignment.pk} · {assignment.title} · {assignment.enrolment.learner}"


class AssignmentField(forms.CharField):
    """One assignment of the program, by its number, with suggestions as its title or
    learner's name is typed. A program may give tens of thousands of assignments, so the
    form never lists them all: the page stays small and shows no more than is searched."""

    def __init__(self, *, program, **kwargs):
        self.program = program
        kwargs.setdefault(
            "widget",
            forms.TextInput(
                attrs={
                    "list": "assignment-suggestions",
                    "autocomplete": "off",
                    "hx-get": reverse("design:story_assignments", args=[program.pk]),
                    "hx-trigger": "input changed delay:250ms",
                    "hx-target": "#assignment-suggestions",
                    "hx-swap": "innerHTML",
                }
            ),
        )
        super().__init__(**kwargs)

    def prepare_value(self, value):
        return assignment_label(value) if isinstance(value, Assignment) else value

    def clean(self, value):
        text = (super().clean(value) or "").strip()
        if not text:
            return None
        number = assignment_number(text)
        if number is None:
            raise ValidationError(
                _("Type the assignment's number, or its title or learner and pick a suggestion.")
            )
        found = program_assignments(program=self.program).filter(pk=number).first()
        if found is None:
            raise ValidationError(
                _("No assignment numbered %(number)s was given on this program."),
                params={"number": number},
            )
        return found


class StepChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, step):
        return _("Version %(version)s · %(step)s") % {"version": step.pathway.version, "step": step}


class StoryForm(Form):
    """A success story as its program's designer tells it; the services check the rest."""

    title = forms.CharField(
        label=_("Title"),
        max_length=SuccessStory._meta.get_field("title").max_length,
        error_messages={"required": _("Give the story a title.")},
    )
    story = forms.CharField(
        label=_("The story"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What the learner did on the job, and what changed because of it."),
        error_messages={"required": _("Tell the story: what the learner did and what changed.")},
    )
    result = forms.CharField(
        label=_("Result"),
        max_length=SuccessStory._meta.get_field("result").max_length,
        help_text=_("The measured result, in one line, e.g. “Decided in 3 days instead of 8”."),
        error_messages={"required": _("Write the measured result in one line.")},
    )
    step = StepChoiceField(
        label=_("The step that led to it"),
        queryset=Step.objects.none(),
        required=False,
        help_text=_("Required unless you name an assignment."),
    )
    metric = forms.ModelChoiceField(
        label=_("Outcome metric it moved (optional)"),
        queryset=None,
        required=False,
    )
    published = forms.BooleanField(
        label=_("Published"),
        required=False,
        help_text=_("Sponsors see the story on their dashboard once it is published."),
    )

    def __init__(self, *args, program, story: SuccessStory | None = None, **kwargs):
        if story is not None:
            kwargs.setdefault(
                "initial",
                {
                    "title": story.title,
                    "story": story.story,
                    "result": story.result,
                    "step": story.step_id,
                    "assignment": story.assignment,
                    "metric": story.metric_id,
                    "published": story.published,
                },
            )
        super().__init__(*args, **kwargs)
        self.fields["step"].queryset = (
            Step.objects.filter(pathway__program=program)
            .select_related("pathway")
            .order_by("-pathway__version", "position")
        )
        self.fields["metric"].queryset = program.outcome_metrics.order_by("name")
        # Declared here, not on the class: its suggestions come from this program's page.
        self.fields["assignment"] = AssignmentField(
            program=program,
            label=_("Assignment (optional)"),
            required=False,
            help_text=_(
                "The on-the-job assignment it came from: type its number, or its title or "
                "the learner's name and pick from the suggestions."
            ),
        )
        self.order_fields(["title", "story", "result", "step", "assignment", "metric"])

    def clean(self):
        cleaned = super().clean()
        # The story's own check decides when it is saved; asked here too, the missing step
        # is reported with the other missing fields instead of after them are fixed.
        typed_assignment = (self.data.get(self.add_prefix("assignment")) or "").strip()
        if not (cleaned.get("step") or typed_assignment or self.has_error("step")):
            self.add_error("step", STORY_NAMES_NO_STEP)
        return cleaned
