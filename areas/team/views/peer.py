"""Peer feedback: asking a peer about a learner, and the reviewer's inbox."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from areas.support import get_enrolment_or_404, get_visible_or_404, save_form
from areas.team.forms import PeerRequestForm, PeerResponseForm
from coaching.selectors import peer_inbox_for, peer_reviewer_suggestions
from coaching.services import peer_feedback_request_create, peer_feedback_respond

INBOX_PAGE_SIZE = 20


@login_required
@require_http_methods(["GET", "POST"])
def peer_request(request, pk):
    """Ask a peer for feedback on a learner, named or anonymous to the learner."""
    enrolment = get_enrolment_or_404(request.user, pk, "coaching.request_peer_feedback")
    # A learner asking about their own work comes from, and goes back to, their own pages.
    own = enrolment.learner_id == request.user.pk
    form = PeerRequestForm(request.POST or None, enrolment=enrolment, own=own)
    if request.method == "POST" and form.is_valid():
        if own:
            done = _("Asked %(who)s for feedback on your work.")
        else:
            done = _("Asked %(who)s for feedback on %(learner)s.")
        if save_form(
            request,
            form,
            peer_feedback_request_create,
            enrolment=enrolment,
            requested_by=request.user,
            **form.cleaned_data,
            done=done % {"who": form.cleaned_data["reviewer"], "learner": enrolment.learner},
        ):
            return redirect("learn:feedback" if own else "team:home")
    return render(
        request, "team/peer_request.html", {"enrolment": enrolment, "form": form, "own": own}
    )


@login_required
@require_GET
def peer_reviewers(request, pk):
    """Colleagues of the learner matching what is typed, as <option>s for the reviewer's
    suggestion list (htmx)."""
    enrolment = get_enrolment_or_404(request.user, pk, "coaching.request_peer_feedback")
    text = request.GET.get("q") or request.GET.get("reviewer", "")
    found = peer_reviewer_suggestions(enrolment=enrolment, text=text)
    return render(request, "shared/_people_options.html", {"found": found})


@login_required
@require_http_methods(["GET", "POST"])
def peer_inbox(request):
    """Peer feedback requests addressed to me, open ones first, a page at a time; each
    answered in place (the page it was answered on is shown again)."""
    requests = peer_inbox_for(reviewer=request.user)
    page = Paginator(requests, INBOX_PAGE_SIZE).get_page(request.GET.get("page"))
    form, answering = PeerResponseForm(), None
    if request.method == "POST":
        answering = get_visible_or_404(requests, request.user, pk=request.POST.get("request"))
        form = PeerResponseForm(request.POST)
        if form.is_valid():
            if save_form(
                request,
                form,
                peer_feedback_respond,
                request=answering,
                response=form.cleaned_data["response"],
                done=_("Thank you: your feedback was sent."),
            ):
                return redirect("team:peer_inbox")
    return render(
        request,
        "team/peer_inbox.html",
        {"requests": page, "form": form, "answering": answering},
    )
