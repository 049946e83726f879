"""Two people recording values of one metric at once, on PostgreSQL: the metric's kept count
of values has both."""

import threading
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from measurement.services import measurement_record
from tests import factories as f
from tests.kept_counts import assert_values_counted

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_values_recorded_at_once_are_both_counted():
    metric = f.OutcomeMetricFactory()
    barrier, errors = threading.Barrier(2), []

    def record(value):
        try:
            barrier.wait(timeout=30)
            measurement_record(metric=metric, value=Decimal(value), measured_at=timezone.now())
        except Exception as error:  # noqa: BLE001 - handed back to the test
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=record, args=(value,)) for value in ("70", "71")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    metric.refresh_from_db()
    assert metric.values_count == 2
    assert_values_counted()
