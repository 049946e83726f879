"""The demo's organisation: org units, job roles, the people and their HR admin access."""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.contrib.auth.models import Permission
from django.db.models import Q

from people.models import JobRole, OrgUnit, User
from people.services import (
    group_permissions_set,
    job_role_create,
    job_role_update,
    org_unit_create,
    org_unit_update,
    person_create,
    person_update,
)

from .run import Run

DEMO_LOGINS = [
    ("learner", "Learner — follows a pathway"),
    ("manager", "Manager — supervises and observes"),
    ("sponsor", "Sponsor — reads outcome dashboards"),
    ("hradmin", "HR admin / program designer"),
]

PRODUCT_APPS = ("people", "objectives", "programs", "coaching", "measurement")
LOCKOUT_PERMISSIONS = ("view_accessattempt", "delete_accessattempt")
HR_ADMIN_GROUP = "HR admins"

ORG_UNITS = [  # (code, name, parent code): parents first
    ("northwind", "Northwind", None),
    ("customer-operations", "Customer Operations", "northwind"),
    ("customer-support", "Customer Support", "customer-operations"),
    ("escalations", "Escalations", "customer-operations"),
    ("engineering", "Engineering", "northwind"),
    ("platform", "Platform", "engineering"),
    ("product-engineering", "Product Engineering", "engineering"),
    ("people-talent", "People & Talent", "northwind"),
]

JOB_ROLES = [  # (code, title, description, {competency code: required level rank})
    (
        "support-specialist",
        "Support Specialist",
        "Resolves customer issues and hands work on cleanly to the next shift or team.",
        {"FB": 2, "SC": 2},
    ),
    (
        "team-lead",
        "Team Lead",
        "Leads a support team day to day: coaching, hand-offs and escalations.",
        {"FB": 3, "SC": 3, "CF": 3, "JD": 2},
    ),
    (
        "software-engineer",
        "Software Engineer",
        "Builds and runs the product with support and product colleagues.",
        {"SC": 2, "CF": 2, "JD": 2},
    ),
    (
        "engineering-lead",
        "Engineering Lead",
        "Leads engineers through delivery trade-offs and cross-team escalations.",
        {"FB": 3, "SC": 3, "CF": 3, "JD": 3},
    ),
]


@dataclass(frozen=True)
class Person:
    username: str
    first_name: str
    last_name: str
    employee_id: str
    job_title: str
    org_unit: str
    time_zone: str
    manager: str | None = None  # username; listed before their reports
    job_role: str | None = None


PEOPLE = [
    Person(
        "hradmin", "Hana", "Reyes", "NW-1001", "Head of Talent Development", "people-talent",
        "Europe/London",
    ),
    Person(
        "sponsor", "Samuel", "Okafor", "NW-1002", "VP Customer Operations", "customer-operations",
        "America/New_York",
    ),
    Person(
        "coach", "Claire", "Dubois", "NW-1003", "Leadership Coach", "people-talent",
        "Europe/Paris", "hradmin",
    ),
    Person(
        "manager", "Maya", "Lindqvist", "NW-1004", "Support Team Lead", "customer-support",
        "Europe/London", "sponsor", "team-lead",
    ),
    Person(
        "manager2", "Marcus", "Chen", "NW-1005", "Engineering Manager", "engineering",
        "Asia/Singapore", "sponsor", "engineering-lead",
    ),
    Person(
        "learner", "Lena", "Fischer", "NW-1101", "Senior Support Specialist", "customer-support",
        "Europe/London", "manager", "support-specialist",
    ),
    Person(
        "learner2", "Omar", "Haddad", "NW-1102", "Support Specialist", "customer-support",
        "Europe/Dublin", "manager", "support-specialist",
    ),
    Person(
        "learner3", "Priya", "Nair", "NW-1103", "Support Specialist", "customer-support",
        "Asia/Singapore", "manager", "support-specialist",
    ),
    Person(
        "learner4", "Tom", "Walsh", "NW-1104", "Escalations Specialist", "escalations",
        "America/New_York", "manager", "support-specialist",
    ),
    Person(
        "learner5", "Aiko", "Tanaka", "NW-1105", "Support Coordinator", "customer-support",
        "Asia/Tokyo", "manager", "support-specialist",
    ),
    Person(
        "learner6", "Diego", "Santos", "NW-1106", "Senior Software Engineer", "platform",
        "America/Chicago", "manager2", "software-engineer",
    ),
    Person(
        "learner7", "Sara", "Berg", "NW-1107", "Staff Engineer", "platform", "Europe/Berlin",
        "manager2", "software-engineer",
    ),
    Person(
        "learner8", "Kofi", "Mensah", "NW-1108", "Software Engineer", "product-engineering",
        "Africa/Accra", "manager2", "software-engineer",
    ),
    Person(
        "learner9", "Grace", "Liu", "NW-1109", "Software Engineer", "product-engineering",
        "Australia/Sydney", "manager2", "software-engineer",
    ),
]  # fmt: skip


def seed_org_units() -> dict[str, OrgUnit]:
    """The org tree, by code."""
    units = {}
    for code, name, parent in ORG_UNITS:
        fields = {"name": name, "parent": units.get(parent)}
        unit = OrgUnit.objects.filter(code=code).first()
        if unit is None:
            units[code] = org_unit_create(code=code, **fields)
        else:
            units[code] = org_unit_update(unit=unit, **fields)
    return units


def seed_job_roles(run: Run) -> dict[str, JobRole]:
    """The job roles with the levels they require, by code; needs the run's framework."""
    roles = {}
    for code, title, description, required in JOB_ROLES:
        fields = {
            "title": title,
            "description": description,
            "requirements": {
                run.competencies[competency]: run.levels[rank]
                for competency, rank in required.items()
            },
        }
        role = JobRole.objects.filter(code=code).first()
        if role is None:
            roles[code] = job_role_create(code=code, **fields)
        else:
            roles[code] = job_role_update(role=role, **fields)
    return roles


def seed_people(run: Run, *, units, roles) -> None:
    """Everyone in PEOPLE, kept in `run.people`; the HR admin also in the HR admins group."""
    # The HR admin role is a permission; the model permissions open the admin to them, and
    # those on sign-in lock-outs let them see one and lift it.
    hr_admins = group_permissions_set(
        name=HR_ADMIN_GROUP,
        permissions=Permission.objects.filter(
            Q(content_type__app_label__in=PRODUCT_APPS) & ~Q(codename__startswith="delete_")
            | Q(content_type__app_label="axes", codename__in=LOCKOUT_PERMISSIONS)
        ),
    )
    password_hash = _password_hash()
    for person in PEOPLE:
        fields = {
            "first_name": person.first_name,
            "last_name": person.last_name,
            "email": f"{person.first_name}.{person.last_name}@northwind.example".lower(),
            "employee_id": person.employee_id,
            "job_title": person.job_title,
            "org_unit": units[person.org_unit],
            "job_role": roles.get(person.job_role),
            "manager": run.people.get(person.manager),
            "time_zone": person.time_zone,
            "is_staff": person.username == "hradmin",
            "is_active": True,
            "groups": [hr_admins] if person.username == "hradmin" else None,
            "password_hash": password_hash,
        }
        found = User.objects.filter(username=person.username).first()
        if found is None:
            run.people[person.username] = person_create(username=person.username, **fields)
        else:
            run.people[person.username] = person_update(person=found, **fields)


def _password_hash() -> str:
    # Hashing is deliberately slow: hash once per run, and keep a hash that still matches
    # (so a second run does not sign the demo people out).
    usernames = [person.username for person in PEOPLE]
    current = (
        User.objects.filter(username__in=usernames)
        .exclude(password="")
        .values_list("password", flat=True)
        .first()
    )
    if current and check_password(settings.DEMO_PASSWORD, current):
        return current
    return make_password(settings.DEMO_PASSWORD)
