"""Any address under /api/v1/ that names no endpoint: a 404 problem, as every API error
is, rather than the site's HTML page (an integrator's client parses the body it gets)."""

from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt

from ..problems import PROBLEM_CONTENT_TYPE, TYPE_BASE


@csrf_exempt  # a write to nowhere is told 404, not asked for a browser's CSRF token
def unknown_address(request, *args, **kwargs):
    body = {
        "type": TYPE_BASE + "not-found",
        "title": "Not found",
        "status": 404,
        "detail": "No endpoint has this address: see /api/v1/schema/ for those there are.",
    }
    return JsonResponse(body, status=404, content_type=PROBLEM_CONTENT_TYPE)
