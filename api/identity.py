"""The service identity an API client acts as, and the rows its data scope covers."""

from django.db.models import Q

from people.models import OrgUnit
from talentdev.core.access import HR_ADMIN_PERMISSION

from .models import ApiClient

# How each model's rows reach the org unit a client limited to org units is given, as a
# lookup path to an org unit id: a person's records follow the person. A model missing
# here and below is none of such a client's business (sponsor reviews: a whole program's).
_ORG_UNIT_PATHS = {
    "people.user": "org_unit",
    "people.orgunit": "pk",
    "programs.enrolment": "learner__org_unit",
    "programs.stepprogress": "enrolment__learner__org_unit",
    "programs.progressevent": "enrolment__learner__org_unit",
    "programs.assignment": "enrolment__learner__org_unit",
    "coaching.observation": "learner__org_unit",
    "coaching.feedbackwindow": "observation__learner__org_unit",
    "coaching.feedback": "observation__learner__org_unit",
    "coaching.debrief": "enrolment__learner__org_unit",
    "coaching.coachingsession": "enrolment__learner__org_unit",
    "measurement.assessment": "enrolment__learner__org_unit",
    "measurement.measurement": "enrolment__learner__org_unit",
}
# What programs are built from names no one: every client may read it.
_OPEN_TO_EVERY_CLIENT = {
    "people.jobrole",
    "objectives.competencyframework",
    "objectives.proficiencyscale",
    "objectives.competency",
    "objectives.learningobjective",
    "objectives.performanceobjective",
    "programs.program",
    "programs.pathway",
    "programs.step",
    "programs.cohort",
    "measurement.outcomemetric",
}


def org_units_below(roots) -> set[int]:
    """The ids of `roots` and every unit under them, from one read of the tree."""
    children: dict[int | None, list[int]] = {}
    for pk, parent in OrgUnit.objects.values_list("pk", "parent_id"):
        children.setdefault(parent, []).append(pk)
    found, todo = set(), list(roots)
    while todo:
        pk = todo.pop()
        if pk not in found:
            found.add(pk)
            todo.extend(children.get(pk, ()))
    return found


class ServiceIdentity:
    """What `request.user` is for a request made with a client's token.

    It is signed in and active, is nobody (no pk), and answers `visible_to` through
    `rows_of`: every row for a client of the whole company, the rows under its org units
    for one limited to them.
    """

    is_authenticated = True
    is_anonymous = False
    is_active = True
    is_staff = False
    is_superuser = False
    pk = id = None

    def __init__(self, client: ApiClient, org_units: set[int] | None = None):
        self.client = client
        self._org_units = org_units

    def __str__(self):
        return f"API client {self.client.name}"

    @property
    def username(self) -> str:
        return f"client:{self.client.client_id}"

    @property
    def whole_company(self) -> bool:
        return self.client.data_scope == ApiClient.DataScope.COMPANY

    def has_scope(self, scope: str) -> bool:
        return scope in self.client.scopes

    def has_perm(self, perm: str, obj=None) -> bool:
        # Reading every program's data is what the HR admin permission means to the access
        # rules; a client of the whole company has that reach, and nothing else of a person's.
        return perm == HR_ADMIN_PERMISSION and self.whole_company

    def rows_of(self, model) -> Q:
        label = model._meta.label_lower
        if self.whole_company or label in _OPEN_TO_EVERY_CLIENT:
            return Q()
        path = _ORG_UNIT_PATHS.get(label)
        if path is None:
            return Q(pk__in=[])
        return Q(**{f"{path}__in": self.org_unit_ids()})

    def org_unit_ids(self) -> set[int]:
        """The units a client limited to org units covers, with those below them."""
        if self._org_units is None:
            self._org_units = org_units_below(self.client.org_units.values_list("pk", flat=True))
        return self._org_units

    def covers_org_unit(self, unit_id: int | None) -> bool:
        """Whether a person placed in `unit_id` falls inside this client's data scope."""
        return self.whole_company or unit_id in self.org_unit_ids()
