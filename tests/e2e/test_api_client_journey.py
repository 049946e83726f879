"""An HR admin lets an HR system into the API, in a real browser: makes a client for one
org unit, copies its secret from the one page that shows it, and the HR system gets a
token with it and calls the API over HTTP; once the admin revokes the client, that token
is refused."""

import base64
import json
import urllib.error
import urllib.parse
import urllib.request

import pytest
from playwright.sync_api import expect

from api.models import ApiClient
from tests import factories as f

pytestmark = pytest.mark.django_db(transaction=True)


def token_over_http(base_url, client_id, secret) -> str:
    """What an HR system does: client credentials in, an access token out."""
    basic = base64.b64encode(f"{client_id}:{secret}".encode()).decode()
    request = urllib.request.Request(  # noqa: S310 - the test's own live server
        f"{base_url}/api/v1/oauth/token",
        data=urllib.parse.urlencode({"grant_type": "client_credentials"}).encode(),
        headers={"Authorization": f"Basic {basic}"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        return json.load(response)["access_token"]


def me_over_http(base_url, token) -> tuple[int, dict]:
    request = urllib.request.Request(  # noqa: S310
        f"{base_url}/api/v1/me", headers={"Authorization": f"Bearer {token}"}
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return response.status, json.load(response)
    except urllib.error.HTTPError as refused:
        return refused.code, json.load(refused)


def test_an_hr_admin_makes_a_client_whose_secret_works_once_copied_and_revokes_it(
    page, login, live_server
):
    f.OrgUnitFactory(name="Sales EMEA", code="sales-emea")
    f.OrgUnitFactory(name="Finance", code="finance")
    login(f.HRAdminFactory())

    page.goto("/design/")
    page.get_by_role("link", name="API clients").click()
    page.get_by_role("link", name="New API client").click()

    # No scope chosen: refused beside the field, with the name kept.
    page.get_by_role("textbox", name="Name").fill("Payroll feed")
    page.get_by_role("button", name="Create client").click()
    expect(page.get_by_text("Choose at least one scope")).to_be_visible()
    expect(page.get_by_role("textbox", name="Name")).to_have_value("Payroll feed")

    page.get_by_label("people:read: Read people, org units and job roles").check()
    page.get_by_label("Org unit name or code").fill("sales")
    page.get_by_role("button", name="Add Sales EMEA to the org units").click()
    expect(page.get_by_role("textbox", name="Org units")).to_have_value("sales-emea")
    expect(page.get_by_label("People in chosen org units")).to_be_checked()
    page.get_by_role("button", name="Create client").click()

    expect(page.get_by_text("it will not be shown again")).to_be_visible()
    client_id = page.locator("#client-id").inner_text()
    secret = page.locator("#client-secret").inner_text()
    made = ApiClient.objects.get()
    assert client_id == made.client_id
    assert [unit.code for unit in made.org_units.all()] == ["sales-emea"]

    token = token_over_http(live_server.url, client_id, secret)
    status, me = me_over_http(live_server.url, token)
    assert status == 200
    assert me["kind"] == "client"
    assert me["name"] == "Payroll feed"
    assert me["scopes"] == ["people:read"]
    assert me["data_scope"] == "org_units"

    page.get_by_role("link", name="back to the clients").click()
    row = page.get_by_role("row").filter(has_text="Payroll feed")
    expect(row).to_contain_text(client_id)
    expect(row).to_contain_text("Sales EMEA")
    expect(row).to_contain_text("Active")
    assert secret not in page.content()
    row.get_by_role("link", name="Revoke Payroll feed").click()
    page.get_by_role("button", name="Revoke Payroll feed").click()
    expect(page.get_by_text("Payroll feed is revoked")).to_be_visible()
    expect(page.get_by_role("row").filter(has_text="Payroll feed")).to_contain_text("Revoked")

    status, _ = me_over_http(live_server.url, token)
    assert status == 401
