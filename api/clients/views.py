"""The pages where HR admins let HR systems into the API: the clients, a new one, a new
secret and revocation.

They sit under /design/ beside the other HR admin pages but belong to the API, which owns
its clients. Like the design pages, they refuse (403) anyone who is not an HR admin.
A secret is shown once, in the response to the request that made it, and never again:
it is stored only as a hash, is never put in a URL or the session, and the response is
marked not to be cached.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from talentdev.core.paging import window_of

from ..models import ApiClient
from ..services import client_create, client_revoke, client_secret_reset
from .forms import ApiClientForm
from .selectors import clients_listing, org_units_search

CLIENTS_PAGE_SIZE = 50


def require_client_manager(user) -> None:
    """API clients are managed by HR admins only."""
    if not user.has_perm("api.manage_clients"):
        raise PermissionDenied


@login_required
@require_GET
def client_list(request):
    """Every client: what it may do, whose records it reaches and when it last called."""
    require_client_manager(request.user)
    page = window_of(clients_listing(), request.GET.get("page"), CLIENTS_PAGE_SIZE)
    return render(request, "api/clients/list.html", {"clients": page})


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def client_new(request):
    """Make a client; its id and secret are shown on the page that answers, this once."""
    require_client_manager(request.user)
    form = ApiClientForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            client, secret = client_create(**form.cleaned_data, created_by=request.user)
        except ValidationError as error:
            _show_on_form(form, error)
        else:
            return _secret_page(request, client, secret, made=True)
    return render(request, "api/clients/form.html", _form_page(request, form))


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def client_secret_reset_view(request, pk):
    """After confirming, a new secret, shown once; the old one and its tokens stop working."""
    require_client_manager(request.user)
    client = get_object_or_404(ApiClient, pk=pk)
    refused = _("%(name)s is revoked: it gets no new secret.") % {"name": client}
    if client.is_revoked:
        messages.error(request, refused)
        return redirect("api_clients:list")
    if request.method == "POST":
        try:
            secret = client_secret_reset(client=client)
        except ValueError:  # revoked meanwhile, in another tab
            messages.error(request, refused)
            return redirect("api_clients:list")
        return _secret_page(request, client, secret, made=False)
    return render(request, "api/clients/confirm_reset.html", {"client": client})


@login_required
@require_http_methods(["GET", "POST"])
def client_revoke_view(request, pk):
    """After confirming, the client and every token it holds stop working at once."""
    require_client_manager(request.user)
    client = get_object_or_404(ApiClient, pk=pk)
    if client.is_revoked:
        messages.info(request, _("%(name)s was already revoked.") % {"name": client})
        return redirect("api_clients:list")
    if request.method == "POST":
        client_revoke(client=client)
        messages.success(
            request,
            _("%(name)s is revoked: its tokens no longer work, and it gets no new ones.")
            % {"name": client},
        )
        return redirect("api_clients:list")
    return render(request, "api/clients/confirm_revoke.html", {"client": client})


@login_required
@require_GET
def org_unit_search(request):
    """Org units matching what is typed, each with a button that adds its code to the form."""
    require_client_manager(request.user)
    query = request.GET.get("q", "").strip()
    return render(
        request,
        "api/clients/partials/_org_units_found.html",
        {"found": org_units_search(viewer=request.user, text=query), "query": query},
    )


def _form_page(request, form) -> dict:
    query = request.GET.get("q", "").strip()
    return {
        "form": form,
        "query": query,
        "found": org_units_search(viewer=request.user, text=query) if query else None,
    }


def _secret_page(request, client, secret: str, *, made: bool):
    return render(
        request, "api/clients/secret.html", {"client": client, "secret": secret, "made": made}
    )


def _show_on_form(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)
