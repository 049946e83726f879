"""The browser can log in and reach a role's home."""

import pytest

from tests.factories import EnrolmentFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_learner_logs_in_and_lands_on_their_pathway(page, login):
    enrolment = EnrolmentFactory()
    login(enrolment.learner)
    assert page.url.endswith("/learn/")
    assert page.get_by_role("link", name="My pathway").is_visible()
