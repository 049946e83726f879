"""Forms sponsors fill in on a review."""

from django import forms
from django.utils.translation import gettext_lazy

from people.models import User
from talentdev.core.validators import validate_due_ahead


class CommentForm(forms.Form):
    body = forms.CharField(label=gettext_lazy("Comment"), widget=forms.Textarea(attrs={"rows": 2}))


class DecisionForm(forms.Form):
    description = forms.CharField(
        label=gettext_lazy("Decision"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("e.g. Recalibrate the pathway: add a practice step on …"),
    )
    owner = forms.ModelChoiceField(
        label=gettext_lazy("Owner"),
        queryset=User.objects.none(),
        help_text=gettext_lazy("The program's owner, one of its sponsors or you."),
    )
    due_on = forms.DateField(
        label=gettext_lazy("Due"),
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[validate_due_ahead],
    )

    def __init__(self, *args, owners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners
