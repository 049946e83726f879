"""Every operation in the schema, called on the running app with generated input, answers
as the schema says: no server error, and a documented status, content type, headers and
body. Then chains of calls, following the links between operations (create a person, then
read and change them)."""

from pathlib import Path

import pytest
import requests
import schemathesis
import yaml
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from schemathesis.config import SchemathesisConfig

import api
from api import services
from api.scopes import SCOPES

# The committed schema, which test_schema.py holds equal to the one the app serves.
SCHEMA_FILE = Path(api.__file__).with_name("openapi.yaml")
CONFIG = {
    # Fixed, so a run in CI repeats one on a laptop. For 63 operations: about 45 s on
    # SQLite, 95 s on PostgreSQL, most of it in the coverage phase's ~3,000 requests.
    "seed": 20261130,
    "generation": {"max-examples": 10, "deterministic": True, "database": "none"},
    "phases": {"stateful": {"max-steps": 6}},
    "checks": {
        # Input the schema allows can still be refused with field errors, for what a schema
        # cannot say: that an org unit code names an existing unit, that a cursor is one the
        # API gave, that an Idempotency-Key is not reused for another body.
        "positive_data_acceptance": {
            "expected-statuses": ["2xx", "400", "401", "403", "404", "409", "422", "429"]
        },
    },
}
FEW_ENUM_VALUES = 4


def trimmed(document):
    """The schema with every long enum cut to a few values (and "UTC", the default).

    The coverage phase tries each value of an enum: the ~600 time zones a person may have
    would make ~3,000 requests through the same lines. A few stand for them all.
    """
    if isinstance(document, dict):
        document = {name: trimmed(value) for name, value in document.items()}
        values = document.get("enum")
        if isinstance(values, list) and len(values) > FEW_ENUM_VALUES:
            kept = values[:FEW_ENUM_VALUES]
            document["enum"] = kept + (["UTC"] if "UTC" in values and "UTC" not in kept else [])
        return document
    if isinstance(document, list):
        return [trimmed(item) for item in document]
    return document


schema = schemathesis.openapi.from_dict(
    trimmed(yaml.safe_load(SCHEMA_FILE.read_text())), config=SchemathesisConfig.from_dict(CONFIG)
)


@pytest.fixture
def caller(live_server, settings):
    """How to call the running app: its address, and a token with every scope of a client
    of the whole company."""
    settings.API_RATE_PER_MINUTE = 1_000_000  # thousands of calls a minute, by design
    client, secret = services.client_create(
        name="Conformance", scopes=list(SCOPES), data_scope="company", created_by=None
    )
    answer = requests.post(
        f"{live_server.url}/api/v1/oauth/token",
        data={"grant_type": "client_credentials"},
        auth=(client.client_id, secret),
        timeout=10,
    )
    assert answer.status_code == 200, answer.text
    token = answer.json()["access_token"]
    return {"base_url": live_server.url, "headers": {"Authorization": f"Bearer {token}"}}


@schema.parametrize()
@hypothesis_settings(deadline=None, suppress_health_check=list(HealthCheck))
def test_every_operation_answers_as_the_schema_says(case, caller):
    case.call_and_validate(**caller)


def test_chains_of_calls_answer_as_the_schema_says(caller):
    class Workflow(schema.as_state_machine()):
        def get_call_kwargs(self, case):
            return caller

    Workflow.run(
        settings=hypothesis_settings(
            max_examples=15,
            stateful_step_count=6,
            derandomize=True,
            deadline=None,
            suppress_health_check=list(HealthCheck),
        )
    )
