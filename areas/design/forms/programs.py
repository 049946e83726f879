"""The program form: its purpose, dates, framework, owner and sponsors."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Fieldset, Layout, Row
from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from areas.fields import PeopleField, PersonField
from programs.models import Program
from programs.services import COMPETENCY_RULE_FIELDS, PROGRAM_UPDATE_FIELDS
from talentdev.core.forms import ModelForm


class ProgramForm(ModelForm):
    """A program's purpose, dates and framework. HR admins also choose the owner."""

    owner = PersonField(
        label=_("Owner"),
        help_text=_("Who designs and answers for the program. Username, email or employee ID."),
    )
    sponsors = PeopleField(
        label=_("Sponsors (optional)"),
        required=False,
        help_text=_(
            "Executives who follow the results: one per line, by username, email or employee ID."
        ),
    )

    class Meta:
        model = Program
        fields = [*PROGRAM_UPDATE_FIELDS, "sponsors"]
        widgets = {
            "business_goal": forms.Textarea(attrs={"rows": 2}),
            "description": forms.Textarea(attrs={"rows": 3}),
            "starts_on": forms.DateInput(attrs={"type": "date"}),
            "ends_on": forms.DateInput(attrs={"type": "date"}),
        }
        labels = {"slug": _("Short name for links")}
        help_texts = {
            "slug": _(
                "Lower-case letters, digits and hyphens, e.g. timely-feedback. Left empty, it "
                "follows the name."
            ),
            "framework": _("Learning objectives draw their competencies from it."),
        }

    def __init__(self, *args, may_choose_owner: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not may_choose_owner:
            # Only HR admins hand a program to someone else; everyone else owns what they start.
            del self.fields["owner"]
        self.fields["framework"].queryset = self.fields["framework"].queryset.exclude(
            status="retired"
        )
        self.fields["slug"].required = False
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            "name",
            "slug",
            "business_goal",
            "description",
            *(["owner"] if may_choose_owner else []),
            "sponsors",
            "framework",
            Row(Column("starts_on", css_class="col-sm-6"), Column("ends_on", css_class="col-sm-6")),
            Row(
                Column("status", css_class="col-sm-4"),
                Column("cost", css_class="col-sm-4"),
                Column("currency", css_class="col-sm-4"),
            ),
            Fieldset(
                _("When a learner has reached competency"),
                "competency_needs_objectives",
                "competency_min_rank",
                css_id="competency-rule",
            ),
        )

    def _post_clean(self):
        super()._post_clean()
        # The model's dates rule reports against the whole program; show it beside the end date.
        message = next(
            c.get_violation_error_message()
            for c in Program._meta.constraints
            if c.name.endswith("_ends_after_start")
        )
        general = self._errors.get(NON_FIELD_ERRORS)
        if not general or "ends_on" in self._errors:
            return
        kept = [error for error in general.as_data() if message not in error.messages]
        if len(kept) == len(general):
            return
        if kept:
            self._errors[NON_FIELD_ERRORS] = self.error_class(
                kept, error_class="nonfield", renderer=self.renderer
            )
        else:
            del self._errors[NON_FIELD_ERRORS]
        self.add_error("ends_on", message)

    def competency_rule_changed(self) -> bool:
        """Whether the person changed when a learner reaches competency: the program's
        learners are then evaluated again (programs.services.program_update)."""
        return any(name in self.changed_data for name in COMPETENCY_RULE_FIELDS)

    def clean_slug(self):
        # Left empty, the short name follows the program's name.
        slug = self.cleaned_data.get("slug")
        return slug or slugify(self.data.get(self.add_prefix("name"), ""))[:80]
