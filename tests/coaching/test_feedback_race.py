"""Two people giving feedback on one observation at the same moment, on PostgreSQL."""

import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from coaching.models import Feedback
from coaching.services import feedback_give, observation_log
from tests.factories import EnrolmentFactory, PerformanceObjectiveFactory, UserFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _waiting_on_a_lock() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0]


def test_the_second_of_two_simultaneous_feedbacks_waits_and_is_refused():
    enrolment = EnrolmentFactory()
    observation = observation_log(
        observer=enrolment.supervisor,
        enrolment=enrolment,
        performance_objective=PerformanceObjectiveFactory(program=enrolment.program),
        rating=3,
        behaviour="Named the missed hand-off.",
    )
    coach = UserFactory()
    first_saved, commit_first = threading.Event(), threading.Event()
    outcomes = {}

    def give(giver, name, *, hold=False):
        try:
            with transaction.atomic():
                feedback_give(
                    observation=observation,
                    giver=giver,
                    specific_example=f"{name}: the stand-up on Tuesday.",
                    impact_on_team_goals="The release stayed on track.",
                )
                if hold:  # still uncommitted while the other one arrives
                    first_saved.set()
                    assert commit_first.wait(10)
            outcomes[name] = "given"
        except ValidationError as error:
            outcomes[name] = error.messages
        finally:
            first_saved.set()
            connection.close()

    first = threading.Thread(
        target=give, args=(enrolment.supervisor, "first"), kwargs={"hold": True}
    )
    second = threading.Thread(target=give, args=(coach, "second"))
    first.start()
    assert first_saved.wait(10)
    second.start()
    deadline = time.monotonic() + 10
    while not _waiting_on_a_lock() and time.monotonic() < deadline:
        time.sleep(0.02)
    waited = _waiting_on_a_lock()
    commit_first.set()
    first.join(10)
    second.join(10)

    assert waited == 1  # the second queued behind the first instead of reading past it
    day = timezone.localdate().strftime("%-d %b %Y")
    assert outcomes == {
        "first": "given",
        "second": [f"{enrolment.supervisor} already gave feedback on this observation on {day}."],
    }
    assert list(Feedback.objects.values_list("giver", flat=True)) == [enrolment.supervisor.pk]
