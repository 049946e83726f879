"""CSV written by the database: the fields of a download's line as expressions, on
PostgreSQL and on SQLite alike.

A long download spends most of its time turning rows into Python values and writing them
out a field at a time; a line the database has already written is one string to pass on.
Text is always quoted (its quotes doubled), which every CSV reader reads as csv.writer's
output; dates and numbers are written bare.
"""

from django.db.models import Case, CharField, Expression, Func, Value, When
from django.db.models.functions import Coalesce, Left, Replace
from django.db.models.lookups import In

# Text a spreadsheet would run as a formula; every download guards it (safe_row too).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
LINE_END = "\r\n"


class Joined(Func):
    """Texts end to end in one flat expression, a null one as empty. (Concat nests a pair
    of parentheses for each part: a line of twenty fields is too deep for SQLite's parser.)
    """

    function = "CONCAT"  # PostgreSQL's takes any number of parts and skips nulls
    output_field = CharField()

    def as_sqlite(self, compiler, connection, **extra_context):
        parts = [
            Coalesce(part, Value(""), output_field=CharField()) for part in self.source_expressions
        ]
        joined = Func(*parts, template="(%(expressions)s)", arg_joiner=" || ")
        return joined.as_sql(compiler, connection, **extra_context)


def _text(value) -> Expression:
    value = value if hasattr(value, "resolve_expression") else Value(value)
    return Coalesce(value, Value(""), output_field=CharField())


def field(value) -> Expression:
    """Text as one CSV field: quoted, its quotes doubled; None as an empty one."""
    return Joined(Value('"'), Replace(_text(value), Value('"'), Value('""')), Value('"'))


def typed_field(value) -> Expression:
    """Text people typed as one CSV field, with a leading apostrophe where a spreadsheet
    would run it as a formula (as measurement.exports.safe_row)."""
    value = _text(value)
    apostrophe = Case(
        When(In(Left(value, 1), list(FORMULA_STARTS)), then=Value("'")),
        default=Value(""),
        output_field=CharField(),
    )
    return field(Joined(apostrophe, value))


def line(*fields: Expression) -> Expression:
    """Fields (each written by field(), typed_field() or bare) as the text of one line,
    without its end."""
    parts = []
    for position, part in enumerate(fields):
        if position:
            parts.append(Value(","))
        parts.append(part)
    return Joined(*parts)
