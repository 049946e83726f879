"""Writes for people, the organisation's units and job roles, and notification settings."""

from django.contrib.auth import password_validation
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from talentdev.core.services import locked, model_create, model_update

from .models import JobRole, Notification, OrgUnit, RoleRequirement, User

PERSON_FIELDS = (
    "first_name",
    "last_name",
    "email",
    "employee_id",
    "job_title",
    "org_unit",
    "job_role",
    "manager",
    "time_zone",
    "email_notifications",
    "is_active",
    "is_staff",
    "is_superuser",
)


def _access_set(person, groups, user_permissions):
    if groups is not None:
        person.groups.set(groups)
    if user_permissions is not None:
        person.user_permissions.set(user_permissions)


@transaction.atomic
def person_create(
    *,
    username: str,
    password: str = "",
    password_hash: str = "",
    groups=None,
    user_permissions=None,
    **fields,
) -> User:
    """Add a person. Without a password (or an already hashed one) they sign in only once
    a password is set for them."""
    unknown = set(fields) - set(PERSON_FIELDS)
    if unknown:
        raise TypeError(f"unknown person fields: {sorted(unknown)}")
    person = User(username=username, **fields)
    if password_hash:
        person.password = password_hash
    elif password:
        person.set_password(password)
    else:
        person.set_unusable_password()
    person.full_clean()
    person.save()
    _access_set(person, groups, user_permissions)
    return person


@transaction.atomic
def person_update(
    *, person: User, password_hash: str = "", groups=None, user_permissions=None, **fields
) -> User:
    """Change a person's username, details, reporting line or access; what is not given
    stays."""
    unknown = set(fields) - {"username", *PERSON_FIELDS}
    if unknown:
        raise TypeError(f"unknown person fields: {sorted(unknown)}")
    # Only ever a hash: a password given in clear goes through person_create or
    # person_password_set, which hash it.
    if password_hash:
        fields = {**fields, "password": password_hash}
    person = model_update(
        locked(person), allowed=("username", *PERSON_FIELDS, "password"), fields=fields
    )
    _access_set(person, groups, user_permissions)
    return person


@transaction.atomic
def person_password_set(*, person: User, password: str | None) -> User:
    """Give a person a new password, stored hashed. None turns password sign-in off for them;
    they may still sign in another way, such as single sign-on."""
    person = locked(person)
    if password is None:
        person.set_unusable_password()
    else:
        # The password rules are checked here as well as in the forms, so no caller can
        # store a password they refuse.
        password_validation.validate_password(password, person)
        person.set_password(password)
    return model_update(person, allowed=("password",), fields={"password": person.password})


@transaction.atomic
def org_unit_create(*, code: str, name: str, parent=None) -> OrgUnit:
    unit = model_create(OrgUnit, code=code, name=name, parent=parent)
    return unit


@transaction.atomic
def org_unit_update(*, unit: OrgUnit, **fields) -> OrgUnit:
    """Rename a unit or move it in the tree; a move that would make a loop is refused."""
    return model_update(locked(unit), allowed=("code", "name", "parent"), fields=fields)


@transaction.atomic
def job_role_create(*, code: str, title: str, description: str = "", requirements=None):
    """A job role, with the level it requires in each competency ({competency: level})."""
    role = model_create(JobRole, code=code, title=title, description=description)
    if requirements:
        job_role_requirements_set(role=role, requirements=requirements)
    return role


@transaction.atomic
def job_role_update(*, role: JobRole, requirements=None, **fields) -> JobRole:
    """Change a role's title or description; its required levels too when given."""
    role = model_update(locked(role), allowed=("code", "title", "description"), fields=fields)
    if requirements is not None:
        job_role_requirements_set(role=role, requirements=requirements)
    return role


@transaction.atomic
def job_role_requirements_set(*, role: JobRole, requirements: dict) -> None:
    """Make the role require exactly these levels ({competency: level}); others are dropped."""
    current = {item.competency_id: item for item in role.requirements.all()}
    for competency, level in requirements.items():
        item = current.pop(competency.pk, None) or RoleRequirement(
            job_role=role, competency=competency
        )
        item.required_level = level
        item.full_clean()
        item.save()
    RoleRequirement.objects.filter(pk__in=[item.pk for item in current.values()]).delete()


@transaction.atomic
def group_permissions_set(*, name: str, permissions) -> Group:
    """Make the named group grant exactly these permissions, creating the group if missing."""
    group = Group.objects.filter(name=name).first()
    if group is None:
        group = model_create(Group, name=name)
    group.permissions.set(permissions)
    return group


def notifications_mark_read(*, recipient) -> int:
    """Mark every unread notification of a person as read; returns how many."""
    return Notification.objects.filter(recipient=recipient, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def email_notifications_set(*, person, wanted: bool) -> None:
    """Turn a person's notification emails on or off; the notifications stay in the app."""
    User.objects.filter(pk=person.pk).update(email_notifications=wanted)


class BatchRefused(Exception):  # noqa: N818 - a refusal the caller reports, record by record
    """Some records of a batch were refused; nothing of the batch was saved.

    `errors` maps each refused record's index to {field: [messages]}.
    """

    def __init__(self, errors: dict[int, dict[str, list[str]]]):
        super().__init__(f"{len(errors)} records refused")
        self.errors = errors


# What a sync may set; access (staff, superuser, groups) is never the HR system's to give.
SYNCED_FIELDS = frozenset(PERSON_FIELDS) - {"is_staff", "is_superuser"}


@transaction.atomic
def people_upsert(*, records: list[dict], people) -> list[tuple[User, bool]]:
    """Create or update people by employee ID, all of them or none.

    Each record has an `employee_id`, an optional `username` (the employee ID when a new
    person has none) and any of SYNCED_FIELDS, with org unit and job role already found;
    `manager_employee_id` names the manager ("" for none) among `people` or the batch
    itself, so a batch may bring a new manager with their reports. Managers are set once
    everyone exists, and a reporting line that would loop is refused on the record that
    closes it. Returns (person, created) per record, in order; raises BatchRefused.
    """
    errors: dict[int, dict[str, list[str]]] = {}
    ids = [record["employee_id"] for record in records]
    existing = {person.employee_id: person for person in people.filter(employee_id__in=ids)}
    seen: dict[str, int] = {}
    done: list[tuple[User, bool] | None] = []
    for index, record in enumerate(records):
        fields = {
            k: v for k, v in record.items() if k not in ("employee_id", "manager_employee_id")
        }
        employee_id = record["employee_id"]
        if employee_id in seen:
            errors[index] = {
                "employee_id": [f"Record {seen[employee_id]} has this employee ID too."]
            }
            done.append(None)
            continue
        seen[employee_id] = index
        try:
            with transaction.atomic():
                done.append(_person_upserted(existing.get(employee_id), employee_id, fields))
        except ValidationError as refused:
            errors[index] = _by_field(refused)
            done.append(None)
    batch = {pair[0].employee_id: pair[0] for pair in done if pair is not None}
    wanted = [
        (index, record["manager_employee_id"])
        for index, record in enumerate(records)
        if "manager_employee_id" in record and done[index] is not None
    ]
    named = {m for _, m in wanted if m and m not in batch}
    managers = {**{p.employee_id: p for p in people.filter(employee_id__in=named)}, **batch}
    for index, manager_id in wanted:
        manager = managers.get(manager_id) if manager_id else None
        if manager_id and manager is None:
            errors[index] = {"manager_employee_id": ["No person has this employee ID."]}
            continue
        person = done[index][0]
        if person.manager_id == (manager.pk if manager else None):
            continue
        try:
            with transaction.atomic():
                model_update(person, allowed=("manager",), fields={"manager": manager})
        except ValidationError as refused:
            errors[index] = {
                ("manager_employee_id" if name == "manager" else name): messages
                for name, messages in _by_field(refused).items()
            }
    if errors:
        raise BatchRefused(dict(sorted(errors.items())))
    return done


def _by_field(refused: ValidationError) -> dict[str, list[str]]:
    return refused.message_dict if hasattr(refused, "error_dict") else {"": refused.messages}


def _person_upserted(person: User | None, employee_id: str, fields: dict) -> tuple[User, bool]:
    unknown = set(fields) - SYNCED_FIELDS - {"username"}
    if unknown:
        raise TypeError(f"unknown person fields: {sorted(unknown)}")
    if person is None:
        username = fields.pop("username", "") or employee_id
        return person_create(username=username, employee_id=employee_id, **fields), True
    changed = {name: value for name, value in fields.items() if getattr(person, name) != value}
    guarded = sorted(set(changed) & SIGN_IN_FIELDS)
    if guarded and _holds_access(person):
        raise ValidationError(
            {
                name: _(
                    "This person holds access in the product (staff, an admin or a group): "
                    "their sign-in details change in the product, not through a sync."
                )
                for name in guarded
            }
        )
    if changed:
        person = model_update(locked(person), allowed=("username", *SYNCED_FIELDS), fields=changed)
    return person, False


# What signs a person in or lets them in: a sync that could change these for an HR admin
# could send their password reset to another address and take the account over.
SIGN_IN_FIELDS = frozenset({"email", "username", "is_active"})


def _holds_access(person: User) -> bool:
    """Whether a person has more than a learner's own access: staff, superuser, or any
    permission or group (HR admins among them)."""
    return (
        person.is_staff
        or person.is_superuser
        or person.groups.exists()
        or person.user_permissions.exists()
    )
