"""Feedback a learner received: on observations of their work, and from peers."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from coaching.selectors import feedback_received_by
from programs.models import Enrolment

PAGE_SIZE = 20


@login_required
@require_GET
def feedback_received(request):
    """Feedback on my observations, and peer feedback (anonymous where it was asked so), each
    paged on its own: `page` for feedback, `peer_page` for peers; and, for each program I am
    still on, the way to ask a colleague for more."""
    received = feedback_received_by(learner=request.user)
    feedback = Paginator(received["feedback"], PAGE_SIZE).get_page(request.GET.get("page"))
    peer = Paginator(received["peer"], PAGE_SIZE).get_page(request.GET.get("peer_page"))
    return render(
        request,
        "learn/feedback.html",
        {
            "feedback": feedback,
            "peer": peer,
            "asking_for": Enrolment.objects.filter(learner=request.user)
            .current()
            .select_related("program")
            .order_by("program__name", "pk"),
            # Turning one list's page keeps the other where it was.
            "keep_peer": urlencode({"peer_page": peer.number}),
            "keep_feedback": urlencode({"page": feedback.number}),
        },
    )
