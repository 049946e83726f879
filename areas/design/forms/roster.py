"""The roster's filters: who to list, read from the query string."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from programs.filters import EnrolmentFilters
from programs.models import Cohort, Enrolment
from programs.roster import STUCK_AFTER_DAYS, stuck_since, with_step_overdue

FIELD_ORDER = ["q", "cohort", "status", "competent", "overdue", "stuck"]


class RosterFilter(EnrolmentFilters):
    """The shared enrolment filters, and the roster's own: a cohort of the program, an
    overdue step, no progress for days."""

    cohort = django_filters.ModelChoiceFilter(
        label=_("Cohort"), queryset=Cohort.objects.none(), empty_label=_("Any cohort")
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
        fields = FIELD_ORDER

    def __init__(self, *args, program, **kwargs):
        super().__init__(*args, **kwargs)
        # The form shows the filters in this order, the shared ones among the roster's own.
        self.filters = {name: self.filters[name] for name in FIELD_ORDER}
        # Through the program, so each cohort's name (which names its program) costs no query.
        self.filters["cohort"].queryset = program.cohorts.order_by("-starts_on")

    def only_overdue(self, queryset, name, value):
        return queryset.filter(with_step_overdue()) if value else queryset

    def stuck_for(self, queryset, name, value):
        return queryset.filter(stuck_since(int(value)))
