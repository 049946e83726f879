"""Feedback a learner received: on observations of their work, and from peers."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from coaching.selectors import feedback_received_by


@login_required
@require_GET
def feedback_received(request):
    """Feedback on my observations, and peer feedback (anonymous where it was asked so)."""
    return render(request, "learn/feedback.html", feedback_received_by(learner=request.user))
