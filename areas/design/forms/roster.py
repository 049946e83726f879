"""The roster's filters: who to list, read from the query string."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from people.selectors import person_matches
from programs.models import Cohort, Enrolment
from programs.roster import STUCK_AFTER_DAYS, stuck_since, with_step_overdue


class RosterFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Learner"), method="search")
    cohort = django_filters.ModelChoiceFilter(
        label=_("Cohort"), queryset=Cohort.objects.none(), empty_label=_("Any cohort")
    )
    status = django_filters.ChoiceFilter(
        label=_("Enrolment"), choices=Enrolment.Status.choices, empty_label=_("Any status")
    )
    competent = django_filters.ChoiceFilter(
        label=_("Competency"),
        choices=[("yes", _("Reached")), ("no", _("Not yet"))],
        empty_label=_("Either"),
        method="by_competency",
    )
    overdue = django_filters.BooleanFilter(
        label=_("Only with a step overdue"), widget=forms.CheckboxInput, method="only_overdue"
    )
    stuck = django_filters.NumberFilter(
        label=_("Stuck for at least (days)"),
        method="stuck_for",
        min_value=1,
        max_value=3650,
        help_text=_("Active learners with no progress for this many days (%(days)d is usual).")
        % {"days": STUCK_AFTER_DAYS},
    )

    class Meta:
        model = Enrolment
        fields = ["q", "cohort", "status", "competent", "overdue", "stuck"]

    def __init__(self, *args, program, **kwargs):
        super().__init__(*args, **kwargs)
        # Through the program, so each cohort's name (which names its program) costs no query.
        self.filters["cohort"].queryset = program.cohorts.order_by("-starts_on")

    def search(self, queryset, name, value):
        # Every word matches the learner, as people are found on the enrol page.
        for word in value.split()[:4]:
            queryset = queryset.filter(person_matches(word, via="learner__"))
        return queryset

    def by_competency(self, queryset, name, value):
        return queryset.filter(competent_on__isnull=value != "yes")

    def only_overdue(self, queryset, name, value):
        return queryset.filter(with_step_overdue()) if value else queryset

    def stuck_for(self, queryset, name, value):
        return queryset.filter(stuck_since(int(value)))
