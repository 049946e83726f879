"""A rolled-up review: sponsors comment, decide and mark it reviewed."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from areas.sponsor.forms import CommentForm, DecisionForm
from areas.support import get_visible_or_404, posted_form, require_perm, run_command, save_form
from measurement.models import ReviewDecision, SponsorReview
from measurement.privacy import MIN_GROUP
from measurement.selectors import decision_owner_suggestions, review_page
from measurement.services import (
    review_comment_add,
    review_decision_add,
    review_decision_settle,
    review_mark_reviewed,
)


@login_required
@require_http_methods(["GET", "POST"])
def review(request, pk):
    """A review as it was rolled up; sponsors comment, decide and mark it reviewed."""
    review = get_visible_or_404(
        SponsorReview.objects.select_related("program", "reviewed_by"), request.user, pk=pk
    )
    # Its sponsors comment, decide and close it; a program owner only reads it.
    can_review = request.user.has_perm("measurement.review_program", review.program)
    if not can_review:
        require_perm(request.user, "measurement.read_reviews", review.program)
    comment_form, decision_form = CommentForm(), DecisionForm(review=review)
    if request.method == "POST":
        require_perm(request.user, "measurement.review_program", review.program)
        form_class, service = {
            "comment": (CommentForm, review_comment_add),
            "decision": (DecisionForm, review_decision_add),
        }[posted_form(request, ("comment", "decision"), default="comment")]
        form = (
            CommentForm(request.POST)
            if form_class is CommentForm
            else DecisionForm(request.POST, review=review)
        )
        if form_class is CommentForm:
            comment_form = form
        else:
            decision_form = form
        if form.is_valid():
            actor = {"author" if form_class is CommentForm else "decided_by": request.user}
            if save_form(
                request,
                form,
                service,
                review=review,
                **actor,
                **form.cleaned_data,
                done=_("Saved to the review."),
            ):
                return redirect("sponsor:review", pk=review.pk)
    return render(
        request,
        "sponsor/review.html",
        {
            "review": review,
            **review_page(review=review),
            "comment_form": comment_form,
            "decision_form": decision_form,
            "min_group": MIN_GROUP,
            "can_review": can_review,
        },
    )


@login_required
@require_GET
def review_owners(request, pk):
    """The program's people matching what is typed, as <option>s for the decision owner's
    suggestion list (htmx); for those who may decide on the review."""
    review = get_visible_or_404(
        SponsorReview.objects.select_related("program"), request.user, pk=pk
    )
    require_perm(request.user, "measurement.review_program", review.program)
    text = request.GET.get("q") or request.GET.get("owner", "")
    found = decision_owner_suggestions(program=review.program, decided_by=request.user, text=text)
    return render(request, "shared/_people_options.html", {"found": found})


@login_required
@require_POST
def review_close(request, pk):
    review = get_visible_or_404(
        SponsorReview.objects.select_related("program"), request.user, pk=pk
    )
    require_perm(request.user, "measurement.review_program", review.program)
    done = _("Marked as reviewed. It stays readable as it is now.")
    run_command(request, review_mark_reviewed, review=review, reviewer=request.user, done=done)
    return redirect("sponsor:review", pk=review.pk)


@login_required
@require_POST
def decision_settle(request, pk, status):
    """Mark a review's decision done or dropped, by its owner or those who review the program."""
    decision = get_object_or_404(ReviewDecision, pk=pk)
    review = get_visible_or_404(
        SponsorReview.objects.select_related("program"), request.user, pk=decision.review_id
    )
    decision.review = review
    require_perm(request.user, "measurement.settle_decision", decision)
    run_command(
        request,
        review_decision_settle,
        decision=decision,
        status=status,
        done=lambda settled: (
            _("Decision marked %(status)s.") % {"status": settled.get_status_display().lower()}
        ),
    )
    return redirect("sponsor:review", pk=review.pk)
