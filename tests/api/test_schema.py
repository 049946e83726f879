"""The OpenAPI schema generates cleanly, and the copy committed for integrators is the one
the app serves."""

import difflib
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from drf_spectacular.drainage import GENERATOR_STATS

from api.schema import _without_column_limits

COMMITTED = Path(settings.BASE_DIR) / "api" / "openapi.yaml"
REGENERATE = "Run `make schema` to write the schema as it is now, then commit api/openapi.yaml."


def generate(tmp_path, capsys) -> str:
    """The schema as `make schema` writes it, failing on any warning, error or breach of the
    OpenAPI specification; with what generation said when it fails."""
    GENERATOR_STATS.reset()  # warnings are counted across a process: count only these
    written = tmp_path / "openapi.yaml"
    try:
        call_command(
            "spectacular", "--validate", "--fail-on-warn", "--file", str(written), verbosity=0
        )
    except CommandError as failure:
        pytest.fail(f"The schema does not generate cleanly ({failure}):\n{capsys.readouterr().err}")
    return written.read_text()


def test_the_schema_generates_without_warnings_and_is_valid_openapi(tmp_path, capsys):
    generated = generate(tmp_path, capsys)
    assert generated.startswith("openapi: 3.")
    assert "/api/v1/people/bulk:" in generated


def test_the_committed_schema_is_the_one_the_app_serves(tmp_path, capsys):
    generated = generate(tmp_path, capsys)
    committed = COMMITTED.read_text() if COMMITTED.exists() else ""
    if committed != generated:
        diff = difflib.unified_diff(
            committed.splitlines(),
            generated.splitlines(),
            "api/openapi.yaml (committed)",
            "generated now",
            lineterm="",
            n=2,
        )
        shown = "\n".join(list(diff)[:60])
        pytest.fail(f"api/openapi.yaml is out of date. {REGENERATE}\n\n{shown}")


@pytest.mark.parametrize(
    ("mapped", "kept"),
    [
        # a positive small integer on PostgreSQL, and on SQLite
        ({"type": "integer", "minimum": 0, "maximum": 32767}, {"type": "integer", "minimum": 0}),
        (
            {"type": "integer", "minimum": 0, "maximum": 2**63 - 1, "format": "int64"},
            {"type": "integer", "minimum": 0},
        ),
        # bounds of the field's own stay, nullable or not
        (
            {"oneOf": [{"type": "integer", "minimum": 1, "maximum": 1000}]},
            {"oneOf": [{"type": "integer", "minimum": 1, "maximum": 1000}]},
        ),
        (
            {"type": "integer", "maximum": 10**12, "format": "int64"},
            {"type": "integer", "maximum": 10**12, "format": "int64"},
        ),
    ],
)
def test_the_schema_leaves_out_the_bounds_of_the_database_column(mapped, kept):
    # Else `make schema` on SQLite and the drift test on PostgreSQL would disagree.
    _without_column_limits(mapped)

    assert mapped == kept
