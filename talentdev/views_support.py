"""Helpers every view uses: fetch through the access rules, render pages or htmx partials."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render


def get_visible_or_404(queryset, user, **lookup):
    """The object if the user may see it; otherwise 404, so its existence stays secret."""
    try:
        return queryset.visible_to(user).get(**lookup)
    except queryset.model.DoesNotExist as missing:
        raise Http404(f"No {queryset.model._meta.verbose_name} here.") from missing


def require_perm(user, perm: str, obj=None) -> None:
    """403 when a person who may see the object may not do this to it."""
    if not user.has_perm(perm, obj):
        raise PermissionDenied


def render_htmx(request, template: str, partial: str, context: dict, status: int = 200):
    """The whole page for a normal request, just the fragment for an htmx one."""
    return render(request, partial if request.htmx else template, context, status=status)


def add_service_errors(form, error) -> None:
    """Show a service's ValidationError on the form: next to its field, or above the form."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)
