"""Forms sponsors fill in on a review."""

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy

from areas.fields import PersonField
from talentdev.core.forms import Form
from talentdev.core.validators import validate_due_ahead


class CommentForm(Form):
    body = forms.CharField(label=gettext_lazy("Comment"), widget=forms.Textarea(attrs={"rows": 2}))


class DecisionForm(Form):
    description = forms.CharField(
        label=gettext_lazy("Decision"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("e.g. Recalibrate the pathway: add a practice step on …"),
    )
    owner = PersonField(
        label=gettext_lazy("Owner"),
        help_text=gettext_lazy(
            "The program's owner, one of its sponsors, or yourself: username, email or "
            "employee ID; suggestions come as you type."
        ),
    )
    due_on = forms.DateField(
        label=gettext_lazy("Due"),
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[validate_due_ahead],
    )

    def __init__(self, *args, review, **kwargs):
        super().__init__(*args, **kwargs)
        # Suggestions come from those who may own it (sponsor:review_owners).
        self.fields["owner"].widget.attrs["hx-get"] = reverse(
            "sponsor:review_owners", args=[review.pk]
        )
