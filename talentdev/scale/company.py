"""The generated company: people in a reporting tree, their org units and job roles.

Everyone sits in one org chart, eight reports to a manager: the first places are the
executives (who sponsor programs), the next the managers, and everyone without reports is
an HR admin, a program designer or a learner. Usernames say the role, so a benchmark can log
in as each: sponsor001, manager0001, hr001, designer001, learner00001.
"""

import datetime as dt
import random
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Permission

from people.models import JobRole, OrgUnit, User
from talentdev.core.access import HR_ADMIN_PERMISSION

from .design import HISTORY_DAYS

SPAN = 8  # reports per manager
UNIT_DEPTH = 2  # people at this depth or above head an org unit
ZONES = ("Europe/London", "Europe/Berlin", "America/New_York", "America/Chicago", "Asia/Singapore")
ROLES = {
    "executive": "Executive",
    "manager": "People manager",
    "hr": "HR partner",
    "designer": "Learning designer",
    "specialist": "Specialist",
}
FIRST = ("Ana", "Ben", "Chloe", "Dev", "Ema", "Femi", "Gus", "Hana", "Ivo", "Jun", "Kai", "Lena")
LAST = ("Okafor", "Silva", "Nakamura", "Berg", "Novak", "Haddad", "Reyes", "Kowalski", "Byrne")
# Everyone joined in the ten years before the history of programs begins, so no one is
# enrolled before they joined; most records have changed since (a new title, manager or
# unit from the HR system), the rest are as they were made.
HIRING_YEARS = 10
UNCHANGED_SHARE = 0.15


@dataclass
class Company:
    """Who is who, by id: what the programs and histories are built from."""

    sponsors: list = field(default_factory=list)
    managers: list = field(default_factory=list)
    hr: list = field(default_factory=list)
    designers: list = field(default_factory=list)
    learners: list = field(default_factory=list)
    manager_of: dict = field(default_factory=dict)  # person id -> their line manager's id
    username: dict = field(default_factory=dict)


def sizes(people: int) -> dict:
    """How many of each kind of person among `people`."""
    managing = max(1, (people - 2) // SPAN + 1)  # the places in the tree that have reports
    sponsors = max(1, round(people * 30 / 51_000))
    return {
        "sponsors": min(sponsors, managing),
        "managers": max(0, managing - sponsors),
        "hr": max(1, round(people * 5 / 51_000)),
        "designers": max(2, round(people * 24 / 51_000)),
    }


class RecordDates:
    """When each person joined (their record's creation) and when it last changed, drawn
    from a stream of their own so the rest of the company is what the seed built before
    people had these dates."""

    def __init__(self, seed: int, now: dt.datetime):
        self.rng = random.Random(f"record dates {seed}")  # noqa: S311 - not secrets
        self.now = now
        self.latest_join = now - dt.timedelta(days=HISTORY_DAYS + 30)
        self.span = dt.timedelta(days=365 * HIRING_YEARS).total_seconds()

    def next(self) -> tuple[dt.datetime, dt.datetime]:
        joined = self.latest_join - dt.timedelta(seconds=round(self.rng.uniform(0, self.span)))
        if self.rng.random() < UNCHANGED_SHARE:
            return joined, joined
        since = (self.now - joined).total_seconds()
        return joined, joined + dt.timedelta(seconds=round(self.rng.uniform(0, since)))


def build_company(writer, rng, *, people: int, now, seed: int) -> Company:
    count = sizes(people)
    dates = RecordDates(seed, now)
    password = make_password(settings.DEMO_PASSWORD)  # hashed once: hashing each is minutes
    roles = {}
    for code, title in ROLES.items():
        roles[code] = writer.new_id(JobRole)
        writer.add(JobRole, roles[code], code, title, "", now, now)
    kinds = (
        [("sponsor", "{:03d}", "executive", "Executive")] * count["sponsors"]
        + [("manager", "{:04d}", "manager", "Manager")] * count["managers"]
        + [("hr", "{:03d}", "hr", "HR partner")] * count["hr"]
        + [("designer", "{:03d}", "designer", "Learning designer")] * count["designers"]
    )
    kinds += [("learner", "{:05d}", "specialist", "Specialist")] * (people - len(kinds))
    company, numbered, ids, units = Company(), {}, [], []
    for place, (kind, number, role, title) in enumerate(kinds):
        person = writer.new_id(User)
        ids.append(person)
        numbered[kind] = numbered.get(kind, 0) + 1
        username = f"{kind}{number.format(numbered[kind])}"
        depth, above = 0, place
        while above:
            above, depth = (above - 1) // SPAN, depth + 1
        manager = ids[(place - 1) // SPAN] if place else None
        above_unit = units[(place - 1) // SPAN] if place else None
        if depth <= UNIT_DEPTH and place * SPAN + 1 < len(kinds):
            unit = writer.new_id(OrgUnit)
            writer.add(OrgUnit, unit, f"Unit {username}", f"unit-{place}", above_unit, now, now)
        else:
            unit = above_unit
        units.append(unit)
        first, last = FIRST[place % len(FIRST)], LAST[(place // len(FIRST)) % len(LAST)]
        joined, changed = dates.next()
        writer.add(
            User,
            person,
            password,
            None,
            False,
            username,
            first,
            last,
            f"{username}@example.com",
            kind == "hr",
            True,
            joined,
            f"S{place + 1:06d}",
            title,
            unit,
            roles[role],
            manager,
            ZONES[place % len(ZONES)],
            False,  # generated people get no email
            joined,
            changed,
        )
        getattr(company, f"{kind}s" if kind != "hr" else "hr").append(person)
        if manager:
            company.manager_of[person] = manager
        company.username[person] = username
    permission = Permission.objects.get(
        content_type__app_label="people", codename=HR_ADMIN_PERMISSION.split(".")[1]
    )
    through = User.user_permissions.through
    for person in company.hr:
        writer.add(through, writer.new_id(through), person, permission.pk)
    rng.shuffle(company.learners)  # programs draw learners from anywhere in the tree
    return company


USER_FIELDS = (
    "id",
    "password",
    "last_login",
    "is_superuser",
    "username",
    "first_name",
    "last_name",
    "email",
    "is_staff",
    "is_active",
    "date_joined",
    "employee_id",
    "job_title",
    "org_unit",
    "job_role",
    "manager",
    "time_zone",
    "email_notifications",
    "created_at",
    "updated_at",
)
