"""One run of the demo seed: the moment it runs at, dates relative to it, and what it built."""

import datetime as dt
from dataclasses import dataclass, field
from datetime import timedelta

from django.utils import timezone

from measurement.rollups import last_full_week, utc_today
from objectives.models import Competency, CompetencyFramework, ProficiencyLevel
from people.models import User


@dataclass
class Run:
    """The clock every demo time is set against, and the people and framework seeded so far."""

    now: dt.datetime
    stdout: object = None  # hears what is being built, when given
    people: dict[str, User] = field(default_factory=dict)  # by username
    framework: CompetencyFramework | None = None
    levels: dict[int, ProficiencyLevel] = field(default_factory=dict)  # by rank
    competencies: dict[str, Competency] = field(default_factory=dict)  # by code
    # How far the clock moved since the demo was last seeded (nothing on a first run): what
    # progression decided then moves as far, with the evidence it was decided on.
    moved: timedelta = timedelta(0)
    today: dt.date = field(init=False)
    # what sponsor reviews roll up: the last full week in UTC, as the scheduled rollup counts it
    last_week: tuple[dt.date, dt.date] = field(init=False)

    def __post_init__(self):
        self.today = timezone.localdate(self.now)
        self.last_week = last_full_week(utc_today(self.now))

    def say(self, message: str) -> None:
        if self.stdout is not None:
            self.stdout.write(message)

    def person(self, username: str) -> User:
        return self.people[username]

    def ago(self, delta: timedelta) -> dt.datetime:
        return self.now - delta

    def day(self, days_ago: int) -> dt.date:
        return self.today - timedelta(days=days_ago)

    def in_days(self, days: int) -> dt.date:
        return self.today + timedelta(days=days)

    def in_last_week(self, weekday: int, hour: int) -> timedelta:
        """How long ago `hour`:00 UTC was on that day of the last full week (0 is its Monday;
        a negative day falls in the week before). Sponsor reviews roll up that week, so
        evidence placed in it shows there whatever the weekday of the run."""
        moment = dt.datetime.combine(
            self.last_week[0] + timedelta(days=weekday), dt.time(hour, tzinfo=dt.UTC)
        )
        return self.now - moment

    def month_ends(self, months: int) -> list[dt.datetime]:
        """The 28th of each of the last `months` full months, oldest first."""
        first_of_month = self.today.replace(day=1)
        moments = []
        for back in range(months, 0, -1):
            year, month = divmod(first_of_month.month - 1 - back, 12)
            moments.append(
                dt.datetime(first_of_month.year + year, month + 1, 28, 12, tzinfo=dt.UTC)
            )
        return moments
