"""The API's callers, for the changes an API client makes."""

from tests.api.conftest import client_with  # noqa: F401 - a fixture, found here by pytest
