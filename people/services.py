"""Writes for people, the organisation's units and job roles, and notification settings."""

from django.contrib.auth import password_validation
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

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
