"""Routes of the HR API, under /api/v1/."""

from allauth.idp.oidc import views as oauth
from csp.constants import SELF, UNSAFE_INLINE
from csp.decorators import csp_update
from django.urls import path, re_path
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerSplitView,
)
from rest_framework.routers import SimpleRouter

from .evidence import views as evidence
from .people.views import JobRoleViewSet, OrgUnitViewSet, PersonViewSet
from .programs import views as programs
from .views.deletions import DeletionViewSet
from .views.me import MeView
from .views.unknown import unknown_address

app_name = "api"

# The documentation pages only: Swagger UI and Redoc add style elements as they draw, and
# Redoc runs its search in a worker made from a blob. Their scripts are still files served
# from this site (the split view serves Swagger UI's setup as one, at ?script).
docs_policy = csp_update({"style-src": [UNSAFE_INLINE], "worker-src": [SELF, "blob:"]})

router = SimpleRouter(trailing_slash=False)
router.register("people", PersonViewSet, basename="person")
router.register("org-units", OrgUnitViewSet, basename="org-unit")
router.register("job-roles", JobRoleViewSet, basename="job-role")
router.register("frameworks", programs.FrameworkViewSet, basename="framework")
router.register("scales", programs.ScaleViewSet, basename="scale")
router.register("competencies", programs.CompetencyViewSet, basename="competency")
router.register(
    "learning-objectives", programs.LearningObjectiveViewSet, basename="learning-objective"
)
router.register(
    "performance-objectives", programs.PerformanceObjectiveViewSet, basename="performance-objective"
)
router.register("programs", programs.ProgramViewSet, basename="program")
router.register("pathways", programs.PathwayViewSet, basename="pathway")
router.register("cohorts", programs.CohortViewSet, basename="cohort")
router.register("outcome-metrics", programs.OutcomeMetricViewSet, basename="outcome-metric")
router.register("sponsor-reviews", programs.SponsorReviewViewSet, basename="sponsor-review")
router.register("enrolments", evidence.EnrolmentViewSet, basename="enrolment")
router.register("step-progress", evidence.StepProgressViewSet, basename="step-progress")
router.register("progression-events", evidence.ProgressEventViewSet, basename="progression-event")
router.register("assignments", evidence.AssignmentViewSet, basename="assignment")
router.register("observations", evidence.ObservationViewSet, basename="observation")
router.register("feedback-windows", evidence.FeedbackWindowViewSet, basename="feedback-window")
router.register("feedback", evidence.FeedbackViewSet, basename="feedback")
router.register("debriefs", evidence.DebriefViewSet, basename="debrief")
router.register("coaching-sessions", evidence.CoachingSessionViewSet, basename="coaching-session")
router.register("assessments", evidence.AssessmentViewSet, basename="assessment")
router.register("measurements", evidence.MeasurementViewSet, basename="measurement")
router.register("deletions", DeletionViewSet, basename="deletion")

urlpatterns = [
    # The OAuth 2.0 server: client credentials in, an access token for an hour out.
    path("oauth/token", oauth.token, name="token"),
    path("oauth/revoke", oauth.revoke, name="revoke"),
    path("me", MeView.as_view(), name="me"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path(
        "schema/swagger/",
        docs_policy(SpectacularSwaggerSplitView.as_view(url_name="api:schema")),
        name="swagger",
    ),
    path(
        "schema/redoc/",
        docs_policy(SpectacularRedocView.as_view(url_name="api:schema")),
        name="redoc",
    ),
    *router.urls,
    # Last: whatever matched nothing above (an unknown resource, an id of the wrong shape).
    re_path(r"", unknown_address, name="unknown"),
]
