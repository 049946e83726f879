"""The benchmark's one table, as plain text for the terminal or as Markdown."""

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Row:
    """One line of the table: a page for a role, a throughput run, or a job."""

    what: str
    who: str = ""
    queries: str = ""
    p50: float | None = None
    p95: float | None = None
    note: str = ""


HEADINGS = ("page or job", "role", "queries", "p50 ms", "p95 ms", "")


def queries_cell(fewest: int, most: int) -> str:
    # A page whose count varies between runs shows the range: worth a look in itself.
    return str(fewest) if fewest == most else f"{fewest}–{most}"


def _ms(value: float | None) -> str:
    if value is None:
        return ""
    return "—" if math.isnan(value) else f"{value:,.1f}"


def _cells(row: Row) -> tuple[str, ...]:
    return (row.what, row.who, row.queries, _ms(row.p50), _ms(row.p95), row.note)


def render_text(rows: list[Row]) -> str:
    table = [HEADINGS, *(_cells(row) for row in rows)]
    widths = [max(len(line[i]) for line in table) for i in range(len(HEADINGS))]
    right = {2, 3, 4}  # figures line up on the right

    def line(cells):
        return "  ".join(
            cell.rjust(width) if i in right else cell.ljust(width)
            for i, (cell, width) in enumerate(zip(cells, widths, strict=True))
        ).rstrip()

    return "\n".join(
        [line(HEADINGS), line("-" * width for width in widths)]
        + [line(cells) for cells in table[1:]]
    )


def render_markdown(rows: list[Row], *, title: str, about: str) -> str:
    def line(cells):
        return "| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |"

    return "\n".join(
        [
            f"# {title}",
            "",
            about,
            "",
            line(HEADINGS),
            "|---|---|--:|--:|--:|---|",
            *(line(_cells(row)) for row in rows),
            "",
        ]
    )
