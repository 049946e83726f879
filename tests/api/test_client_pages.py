"""The pages where HR admins manage API clients (/design/api-clients/): the list, a new
client whose secret is shown once, a new secret and revocation, checked against the real
token endpoint and /api/v1/me."""

import base64
import re
from datetime import timedelta
from urllib.parse import urlencode

import pytest
from django.test import Client
from django.utils import timezone
from django.utils.html import escape

from api.models import ApiClient
from api.services import client_create, client_revoke
from tests import factories as f

pytestmark = pytest.mark.django_db

LIST = "/design/api-clients/"
NEW = "/design/api-clients/new/"
SEARCH = "/design/api-clients/org-units/"
REFUSED = "You cannot do this here"


def reset_url(client):
    return f"/design/api-clients/{client.pk}/reset-secret/"


def revoke_url(client):
    return f"/design/api-clients/{client.pk}/revoke/"


def request_token(client_id, secret):
    """Ask the real token endpoint for a token with HTTP Basic credentials, as an HR
    system does; the response as it comes."""
    basic = base64.b64encode(f"{client_id}:{secret}".encode()).decode()
    return Client().post(
        "/api/v1/oauth/token",
        urlencode({"grant_type": "client_credentials"}),
        content_type="application/x-www-form-urlencoded",
        HTTP_AUTHORIZATION=f"Basic {basic}",
    )


def token_for(client_id, secret) -> str:
    response = request_token(client_id, secret)
    assert response.status_code == 200, response.content
    return response.json()["access_token"]


def call_me(token):
    return Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {token}")


def make_client(admin, name="Workday sync", scopes=("people:read",), **more):
    return client_create(
        name=name,
        scopes=list(scopes),
        data_scope=more.pop("data_scope", ApiClient.DataScope.COMPANY),
        created_by=admin,
        **more,
    )


@pytest.fixture
def admin(client):
    person = f.HRAdminFactory(username="hr", first_name="Hana", last_name="Reyes")
    client.force_login(person)
    return person


def shown_secret(response) -> str:
    return response.context["secret"]


# --- who may come in ---------------------------------------------------------------------


def _plain_person():
    return f.UserFactory()


def _sponsor():
    person = f.UserFactory()
    f.ProgramFactory().sponsors.add(person)
    return person


def _learner():
    return f.EnrolmentFactory().learner


def _program_owner():
    # May design programs, so the design pages let them in; API clients are not theirs.
    return f.ProgramFactory().owner


@pytest.fixture(params=[_plain_person, _sponsor, _learner, _program_owner])
def not_hr_admin(request, client):
    person = request.param()
    client.force_login(person)
    return person


def test_every_client_page_refuses_anyone_who_is_not_an_hr_admin_and_changes_nothing(
    client, not_hr_admin
):
    existing, secret = make_client(f.HRAdminFactory())
    token = token_for(existing.client_id, secret)
    pages = [
        ("get", LIST, {}),
        ("get", NEW, {}),
        ("post", NEW, {"name": "Sneaky", "scopes": ["people:read"], "data_scope": "company"}),
        ("get", reset_url(existing), {}),
        ("post", reset_url(existing), {}),
        ("get", revoke_url(existing), {}),
        ("post", revoke_url(existing), {}),
        ("get", SEARCH, {"q": "unit"}),
    ]
    for method, url, data in pages:
        response = getattr(client, method)(url, data)
        assert response.status_code == 403, (method, url)
        assert REFUSED in response.content.decode(), (method, url)
        assert "403.html" in [t.name for t in response.templates]
    assert list(ApiClient.objects.values_list("name", "revoked_at")) == [("Workday sync", None)]
    assert call_me(token).status_code == 200
    assert token_for(existing.client_id, secret)


def test_the_refusal_is_the_one_the_design_pages_give(client):
    plain = f.UserFactory()
    client.force_login(plain)
    design = client.get("/design/")
    clients = client.get(LIST)
    assert design.status_code == clients.status_code == 403
    assert [t.name for t in design.templates][:1] == [t.name for t in clients.templates][:1]


def test_someone_signed_out_is_sent_to_sign_in(client):
    response = client.get(LIST)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/design/api-clients/")


def test_the_designers_home_links_the_client_pages_for_hr_admins_only(client, admin):
    assert 'href="/design/api-clients/"' in client.get("/design/").content.decode()
    owner = f.ProgramFactory().owner
    client.force_login(owner)
    page = client.get("/design/")
    assert page.status_code == 200
    assert "/design/api-clients/" not in page.content.decode()


# --- the list ----------------------------------------------------------------------------


def test_the_list_shows_each_clients_scopes_data_scope_creator_last_use_and_status(client, admin):
    sales = f.OrgUnitFactory(name="Sales EMEA", code="sales-emea")
    company, _ = make_client(admin, name="Workday sync", scopes=["people:read", "people:write"])
    limited, _ = make_client(
        admin,
        name="Payroll feed",
        data_scope=ApiClient.DataScope.ORG_UNITS,
        org_units=[sales],
    )
    gone, _ = make_client(admin, name="Old LMS")
    client_revoke(client=gone)
    used_at = timezone.now() - timedelta(days=2)
    ApiClient.objects.filter(pk=limited.pk).update(last_used_at=used_at)

    page = client.get(LIST)
    html = page.content.decode()
    assert page.status_code == 200
    rows = {c.name: c for c in page.context["clients"]}
    assert set(rows) == {"Workday sync", "Payroll feed", "Old LMS"}
    assert [c.name for c in page.context["clients"]][-1] == "Old LMS"  # revoked ones last
    for shown in (company.client_id, limited.client_id, gone.client_id, "people:write"):
        assert shown in html
    assert "Whole company" in html
    assert "Sales EMEA" in html
    assert "sales-emea" in html
    assert "by Hana Reyes" in html
    assert "never" in html  # Workday sync has not called yet
    assert used_at.strftime("%-d %b %Y") in html
    assert "Revoked" in html
    assert "Active" in html
    assert reset_url(company) in html
    assert revoke_url(company) in html
    assert reset_url(gone) not in html
    assert revoke_url(gone) not in html


@pytest.mark.parametrize("count", [2, 30])
def test_the_list_costs_the_same_queries_for_2_clients_as_for_30(
    client, admin, count, django_assert_num_queries
):
    units = [f.OrgUnitFactory() for _ in range(2)]
    for n in range(count):
        kind = ApiClient.DataScope.ORG_UNITS if n % 2 else ApiClient.DataScope.COMPANY
        extra = {"org_units": units} if n % 2 else {}
        made, _ = make_client(admin, name=f"Client {n:02}", data_scope=kind, **extra)
        if n % 3 == 0:
            client_revoke(client=made)
    # The session, the person, their permissions (two), the navigation's roles, the
    # page of clients with their creators, and the org units of that page.
    with django_assert_num_queries(7):
        page = client.get(LIST)
    assert page.status_code == 200
    assert len(page.context["clients"]) == count


def test_a_long_list_is_read_a_page_at_a_time(client, admin):
    for n in range(51):
        make_client(admin, name=f"Client {n:02}")
    first = client.get(LIST)
    assert len(first.context["clients"]) == 50
    assert "?page=2" in first.content.decode()
    second = client.get(LIST, {"page": 2})
    assert [c.name for c in second.context["clients"]] == ["Client 50"]


# --- a new client ------------------------------------------------------------------------


def test_a_new_client_shows_its_id_and_secret_once_and_they_get_a_working_token(client, admin):
    form = client.get(NEW)
    assert form.status_code == 200
    html = form.content.decode()
    for scope in ("people:read", "people:write", "evidence:read"):
        assert f'value="{scope}"' in html
    response = client.post(
        NEW,
        {
            "name": "Workday sync",
            "scopes": ["people:read", "programs:read"],
            "data_scope": "company",
        },
    )

    assert response.status_code == 200  # shown in the answer itself, never behind a redirect
    made = ApiClient.objects.get()
    secret = shown_secret(response)
    html = response.content.decode()
    assert made.client_id in html
    assert escape(secret) in html
    assert "it will not be shown again" in html
    assert "no-store" in response["Cache-Control"]
    assert made.created_by == admin
    assert made.scopes == ["people:read", "programs:read"]
    assert made.data_scope == ApiClient.DataScope.COMPANY
    # Nowhere to read it back: not in the session, the list or the new-secret page.
    assert secret not in str(dict(client.session.items()))
    assert escape(secret) not in client.get(LIST).content.decode()
    assert escape(secret) not in client.get(reset_url(made)).content.decode()

    me = call_me(token_for(made.client_id, secret))
    assert me.status_code == 200
    assert me.json()["kind"] == "client"
    assert me.json()["client_id"] == made.client_id
    assert me.json()["scopes"] == ["people:read", "programs:read"]
    assert me.json()["data_scope"] == "company"


def test_a_client_limited_to_org_units_keeps_the_units_named_by_their_codes(client, admin):
    sales = f.OrgUnitFactory(code="sales")
    support = f.OrgUnitFactory(code="support")
    f.OrgUnitFactory(code="finance")
    response = client.post(
        NEW,
        {
            "name": "Regional HRIS",
            "scopes": ["people:read"],
            "data_scope": "org_units",
            "org_units": "SALES\nsupport, sales",
        },
    )
    assert response.status_code == 200
    made = ApiClient.objects.get()
    assert made.data_scope == ApiClient.DataScope.ORG_UNITS
    assert set(made.org_units.all()) == {sales, support}
    me = call_me(token_for(made.client_id, shown_secret(response)))
    assert me.json()["data_scope"] == "org_units"


def test_codes_typed_before_choosing_the_whole_company_limit_nothing(client, admin):
    f.OrgUnitFactory(code="sales")
    client.post(
        NEW,
        {"name": "HRIS", "scopes": ["people:read"], "data_scope": "company", "org_units": "sales"},
    )
    made = ApiClient.objects.get()
    assert made.data_scope == ApiClient.DataScope.COMPANY
    assert not made.org_units.exists()


@pytest.mark.parametrize(
    ("entered", "field", "message"),
    [
        (
            {"scopes": []},
            "scopes",
            "Choose at least one scope: a client without one can do nothing.",
        ),
        (
            {"scopes": ["people:read", "payroll:write"]},
            "scopes",
            "Select a valid choice. payroll:write is not one of the available choices.",
        ),
        (
            {"data_scope": "org_units", "org_units": ""},
            "org_units",
            "Name at least one org unit, or let the client reach the whole company.",
        ),
        (
            {"data_scope": "org_units", "org_units": "sales\nnowhere\nmars"},
            "org_units",
            "No org unit has this code: nowhere, mars.",
        ),
        ({"name": ""}, "name", "This field is required."),
        ({"name": "x" * 101}, "name", "Ensure this value has at most 100 characters (it has 101)."),
        ({"data_scope": "galaxy"}, "data_scope", "Select a valid choice."),
    ],
)
def test_a_bad_client_is_refused_beside_its_field_keeping_what_was_entered(
    client, admin, entered, field, message
):
    f.OrgUnitFactory(code="sales")
    data = {
        "name": "Workday sync",
        "scopes": ["people:read", "evidence:read"],
        "data_scope": "company",
        "org_units": "",
        **entered,
    }
    response = client.post(NEW, data)

    assert response.status_code == 200
    assert not ApiClient.objects.exists()
    form = response.context["form"]
    assert list(form.errors) == [field]
    assert message in " ".join(form.errors[field])
    html = response.content.decode()
    assert "is-invalid" in html
    assert "secret" not in response.context
    # What was typed is still there to correct.
    if data["name"]:
        assert f'value="{data["name"]}"' in html
    for scope in data["scopes"]:
        if scope != "payroll:write":
            assert re.search(rf'value="{scope}"[^>]* checked>', html), scope
    if data["org_units"]:
        assert data["org_units"] in html


def test_the_org_unit_search_finds_units_by_name_or_code_and_offers_at_most_ten(client, admin):
    parent = f.OrgUnitFactory(name="Europe", code="eu")
    for n in range(12):
        f.OrgUnitFactory(name=f"Sales team {n:02}", code=f"st-{n:02}", parent=parent)
    f.OrgUnitFactory(name="Finance", code="fin-sales-ops")

    by_name = client.get(SEARCH, {"q": "sales team"})
    assert by_name.status_code == 200
    html = by_name.content.decode()
    assert html.count("<li") == 10
    assert "Sales team 00" in html
    assert "in Europe" in html

    by_code = client.get(SEARCH, {"q": "fin-sales"}).content.decode()
    assert "Finance" in by_code
    assert "Sales team" not in by_code

    nothing = client.get(SEARCH, {"q": "zzz"}).content.decode()
    assert "No org unit’s name or code holds “zzz”" in nothing


def test_the_org_unit_search_with_a_nul_byte_finds_nothing(client, admin):
    f.OrgUnitFactory(name="Sales", code="sales")
    response = client.get(SEARCH, {"q": "Sal\x00es"})
    assert response.status_code == 200
    assert "<li" not in response.content.decode()


def test_the_new_client_page_shows_org_units_searched_for_without_scripts(client, admin):
    f.OrgUnitFactory(name="Customer Support", code="support")
    page = client.get(NEW, {"q": "support"})
    assert "Customer Support" in page.content.decode()


# --- a new secret ------------------------------------------------------------------------


def test_a_new_secret_is_shown_once_and_the_old_secret_and_its_tokens_stop_working(client, admin):
    made, old_secret = make_client(admin)
    old_token = token_for(made.client_id, old_secret)

    confirm = client.get(reset_url(made))
    assert confirm.status_code == 200
    assert "Give Workday sync a new secret?" in confirm.content.decode()
    assert call_me(old_token).status_code == 200  # asking changes nothing

    response = client.post(reset_url(made))
    assert response.status_code == 200
    new_secret = shown_secret(response)
    assert new_secret != old_secret
    assert escape(new_secret) in response.content.decode()
    assert "it will not be shown again" in response.content.decode()
    assert "no-store" in response["Cache-Control"]

    assert call_me(old_token).status_code == 401
    refused = request_token(made.client_id, old_secret)
    assert refused.status_code in (400, 401)
    assert refused.json()["error"] == "invalid_client"
    assert call_me(token_for(made.client_id, new_secret)).status_code == 200


def test_a_revoked_client_gets_no_new_secret(client, admin):
    made, _ = make_client(admin)
    client_revoke(client=made)
    response = client.post(reset_url(made), follow=True)
    assert "Workday sync is revoked: it gets no new secret." in response.content.decode()
    assert "secret" not in response.context
    assert client.get(reset_url(made)).status_code == 302


def test_a_client_that_does_not_exist_is_not_found(client, admin):
    assert client.get("/design/api-clients/999999/reset-secret/").status_code == 404
    assert client.post("/design/api-clients/999999/revoke/").status_code == 404


# --- revoking ----------------------------------------------------------------------------


def test_revoking_a_client_stops_its_tokens_at_once_and_keeps_it_listed(client, admin):
    made, secret = make_client(admin)
    token = token_for(made.client_id, secret)

    confirm = client.get(revoke_url(made))
    assert "Revoke Workday sync?" in confirm.content.decode()
    assert call_me(token).status_code == 200  # asking changes nothing

    response = client.post(revoke_url(made), follow=True)
    assert response.redirect_chain == [(LIST, 302)]
    html = response.content.decode()
    assert "Workday sync is revoked: its tokens no longer work" in html
    assert "Revoked" in html
    assert made.client_id in html

    assert call_me(token).status_code == 401
    assert request_token(made.client_id, secret).json()["error"] == "invalid_client"
    made.refresh_from_db()
    assert made.is_revoked


def test_revoking_a_revoked_client_again_changes_nothing(client, admin):
    made, _ = make_client(admin)
    revoked_at = client_revoke(client=made).revoked_at
    response = client.post(revoke_url(made), follow=True)
    assert "Workday sync was already revoked." in response.content.decode()
    made.refresh_from_db()
    assert made.revoked_at == revoked_at
