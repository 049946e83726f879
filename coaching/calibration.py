"""Observer calibration: how far each observer's ratings agree with what others rate the
same learners on the same performance objective, over a recent period.

Everything is aggregated in one query: ratings are summed per objective, learner and
observer (a "cell"); a window adds up every observer's cells of the same learner and
objective, so the others' mean of a cell is (all - own) / (all_n - own_n); the outer query
weighs it by the cell's observations, as if it were taken observation by observation.
(A correlated subquery per observation gives the same figures, at seconds a page for a
program of 5,000 learners.)
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import connections
from django.db.models import Count, IntegerField, Sum
from django.db.models.functions import Cast
from django.utils import timezone

from objectives.models import PerformanceObjective
from people.models import User

from .models import KeptCalibrationRow, Observation

# A rater whose mean differs from the others' by a full level or more stands out.
FLAG_GAP = 1.0

# How far back the comparison reaches, in days. Calibration is about how people rate now:
# a quarter holds enough shared learners to compare, and older ratings, from before a
# rater was told they stood out, would keep flagging them. The work grows with the
# period: a quarter of a 5,000-learner program is some 17,000 observations.
PERIODS = (30, 90)
DEFAULT_PERIOD = 90

# Ratings summed per cell, then per objective and observer, with how many rows there are.
_RANKED = """WITH cells AS ({cells}),
cells_beside_others AS (
    SELECT performance_objective_id, observer_id, n, total,
           SUM(n) OVER same_learner - n AS others_n,
           SUM(total) OVER same_learner - total AS others_total
    FROM cells
    WINDOW same_learner AS (PARTITION BY performance_objective_id, learner_id)
),
figures AS (
    SELECT performance_objective_id, observer_id,
           SUM(n) AS observations,
           COUNT(*) AS learners,
           SUM(total) AS rating_total,
           SUM(CASE WHEN others_n > 0 THEN n ELSE 0 END) AS shared,
           SUM(CASE WHEN others_n > 0
                    THEN n * CAST(others_total AS FLOAT) / others_n END) AS others_weighted
    FROM cells_beside_others
    GROUP BY performance_objective_id, observer_id
),
ranked AS (
    SELECT figures.*,
           COUNT(*) OVER () AS found,
           CASE WHEN shared > 0 THEN 0 ELSE 1 END AS uncompared,
           CASE WHEN shared > 0
                THEN ABS(CAST(rating_total AS FLOAT) / observations - others_weighted / shared)
           END AS spread
    FROM figures
)"""
# The page's order: largest gap first, raters nobody else compared with last.
_ORDER = "uncompared, spread DESC, performance_objective_id, observer_id"
_PAGE = """{ranked},
shown AS (
    SELECT * FROM ranked
    ORDER BY {order}
    {limit}
)
SELECT shown.performance_objective_id, objective.statement,
       shown.observer_id, observer.first_name, observer.last_name, observer.username,
       shown.observations, shown.learners, shown.rating_total,
       shown.shared, shown.others_weighted, shown.found
FROM shown
JOIN {objectives} objective ON objective.{objective_pk} = shown.performance_objective_id
JOIN {users} observer ON observer.{user_pk} = shown.observer_id
ORDER BY shown.uncompared, shown.spread DESC, shown.performance_objective_id, shown.observer_id
"""
# Every row of a period, numbered in the page's order, into the table the page reads.
_KEEP = """INSERT INTO {kept} ({columns})
{ranked}
SELECT %s, %s, %s, ROW_NUMBER() OVER (ORDER BY {order}) - 1, found,
       performance_objective_id, observer_id, observations, learners, rating_total,
       shared, others_weighted
FROM ranked
"""
_KEPT_COLUMNS = (
    "program_id",
    "days",
    "computed_at",
    "rank",
    "found",
    "performance_objective_id",
    "observer_id",
    "observations",
    "learners",
    "rating_total",
    "shared",
    "others_weighted",
)
CALIBRATION_COLUMNS = (
    "performance_objective_id",
    "performance_objective__statement",
    "observer_id",
    "observer__first_name",
    "observer__last_name",
    "observer__username",
    "observations",
    "learners",
    "rating_total",
    "shared",
    "others_weighted",
)


@dataclass(frozen=True)
class Calibration:
    """Some rows of the comparison, how many there are in all and, where known, as of when
    they were counted."""

    rows: list[dict]
    found: int
    as_of: datetime | None = None


def calibration_since(days: int, *, now=None):
    """The first instant a period of `days` counts from."""
    return (now or timezone.now()) - timedelta(days=days)


def observer_calibration(*, program, since=None) -> list[dict]:
    """Per performance objective and observer: how they rate, beside how others rate the
    same learners on the same objective (observations from `since` on, when given).
    A large gap flags a lenient or a harsh rater. Every row, largest gap first."""
    return calibration_rows(program=program, since=since).rows


def calibration_rows(*, program, since=None, offset=0, limit=None) -> Calibration:
    """The rows from `offset` on (at most `limit`), largest gap first, then raters nobody
    else compared with; `found` counts them all.

    `others` is the mean, over the observer's observations that someone else's also
    cover, of the others' mean rating of that learner on that objective."""
    fetched, found = _figures(program=program, since=since, offset=offset, limit=limit)
    return Calibration(rows=[calibration_row(values) for values in fetched], found=found)


def _figures(*, program, since=None, offset=0, limit=None) -> tuple[list[dict], int]:
    """The rows as summed, before calibration_row derives what the page shows from them,
    and how many there are in all."""
    cells, params = _cells(program, since)
    quote = _connection().ops.quote_name
    sql = _PAGE.format(
        ranked=_RANKED.format(cells=cells),
        order=_ORDER,
        limit="" if limit is None else "LIMIT %s OFFSET %s",
        objectives=quote(PerformanceObjective._meta.db_table),
        objective_pk=quote(PerformanceObjective._meta.pk.column),
        users=quote(User._meta.db_table),
        user_pk=quote(User._meta.pk.column),
    )
    params = (*params, limit, offset) if limit is not None else params
    with _connection().cursor() as cursor:
        cursor.execute(sql, params)
        fetched = cursor.fetchall()
    rows = [dict(zip(CALIBRATION_COLUMNS, values[:-1], strict=True)) for values in fetched]
    return rows, fetched[0][-1] if fetched else 0


def calibration_keep_period(*, program, days: int, computed_at) -> None:
    """Add every row of the program's calibration over the last `days` as of `computed_at`
    to the kept rows (coaching.kept_calibration), in the database, with their rank in the
    page's order and how many there are."""
    cells, params = _cells(program, calibration_since(days, now=computed_at))
    connection = _connection()
    quote = connection.ops.quote_name
    sql = _KEEP.format(
        kept=quote(KeptCalibrationRow._meta.db_table),
        columns=", ".join(quote(column) for column in _KEPT_COLUMNS),
        ranked=_RANKED.format(cells=cells),
        order=_ORDER,
    )
    at = connection.ops.adapt_datetimefield_value(computed_at)
    with connection.cursor() as cursor:
        cursor.execute(sql, (*params, program.pk, days, at))


def _cells(program, since):
    """The SQL, and its parameters, of the program's ratings summed per objective, learner
    and observer (from `since` on, when given)."""
    return (
        Observation.objects.filter(performance_objective__program=program)
        .filter(**({"observed_at__gte": since} if since else {}))
        .order_by()
        .values("performance_objective_id", "learner_id", "observer_id")
        # Whole numbers in and out: PostgreSQL sums bigints as slower decimals.
        .annotate(n=Cast(Count("*"), IntegerField()), total=Cast(Sum("rating"), IntegerField()))
        .query.sql_with_params()
    )


def _connection():
    return connections[Observation.objects.db]


def calibration_row(row: dict) -> dict:
    """A row as the page shows it: the observer's mean, the others' mean and the gap."""
    # Sums come back as decimals on PostgreSQL: counts as int, the rest as float.
    counts = {key: int(row[key]) for key in ("observations", "learners", "shared")}
    mean = float(row.pop("rating_total")) / counts["observations"]
    weighted = row.pop("others_weighted")
    others = float(weighted) / counts["shared"] if counts["shared"] else None
    gap = None if others is None else round(mean - others, 2)
    return {
        **row,
        **counts,
        "mean": round(mean, 2),
        "others": others,
        "gap": gap,
        "stands_out": _stands_out(gap),
    }


def _stands_out(gap) -> str:
    """'lenient' or 'harsh' for a rater a full level (FLAG_GAP) away from the others."""
    if gap is None or abs(gap) < FLAG_GAP:
        return ""
    return "lenient" if gap > 0 else "harsh"
