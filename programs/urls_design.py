"""URL routes of the program designer's area."""

from django.urls import path

from measurement import views_metrics, views_roi
from objectives import views as frameworks
from programs.views import design

app_name = "design"

urlpatterns = [
    path("", design.home, name="home"),
    path("programs/new/", design.program_new, name="program_new"),
    path("programs/<int:pk>/", design.program_detail, name="program"),
    path("programs/<int:pk>/edit/", design.program_edit, name="program_edit"),
    path("programs/<int:pk>/objectives/new/", design.objective_new, name="objective_new"),
    path("programs/<int:pk>/objectives/check/", design.objective_check, name="objective_check"),
    path(
        "programs/<int:pk>/objectives/<int:objective_pk>/",
        design.objective_edit,
        name="objective_edit",
    ),
    path(
        "programs/<int:pk>/objectives/<int:objective_pk>/learning/new/",
        design.learning_new,
        name="learning_new",
    ),
    path(
        "programs/<int:pk>/learning/<int:learning_pk>/",
        design.learning_edit,
        name="learning_edit",
    ),
    path("programs/<int:pk>/steps/new/", design.step_new, name="step_new"),
    path("programs/<int:pk>/steps/<int:step_pk>/", design.step_edit, name="step_edit"),
    path(
        "programs/<int:pk>/steps/<int:step_pk>/move/<str:direction>/",
        design.step_move,
        name="step_move",
    ),
    path("programs/<int:pk>/steps/<int:step_pk>/delete/", design.step_delete, name="step_delete"),
    path("programs/<int:pk>/pathway/new/", design.pathway_new_version, name="pathway_new"),
    path(
        "programs/<int:pk>/pathway/<int:pathway_pk>/publish/",
        design.pathway_publish_view,
        name="pathway_publish",
    ),
    path("programs/<int:pk>/enrol/", design.enrol, name="enrol"),
    path("programs/<int:pk>/audit/", design.audit, name="audit"),
    path("programs/<int:pk>/audit/summary/", design.audit_summary, name="audit_summary"),
    path("programs/<int:pk>/calibration/", design.calibration, name="calibration"),
    path("programs/<int:pk>/metrics/", views_metrics.metrics, name="metrics"),
    path(
        "programs/<int:pk>/metrics/<int:metric_pk>/",
        views_metrics.metric_edit,
        name="metric_edit",
    ),
    path("programs/<int:pk>/roi/", views_roi.roi, name="roi"),
    path("programs/<int:pk>/roi/costs/<int:item_pk>/", views_roi.cost_edit, name="roi_cost"),
    path(
        "programs/<int:pk>/roi/costs/<int:item_pk>/remove/",
        views_roi.cost_remove,
        name="roi_cost_remove",
    ),
    path(
        "programs/<int:pk>/roi/metrics/<int:metric_pk>/",
        views_roi.benefit_edit,
        name="roi_benefit",
    ),
    path("people/", design.people_search_view, name="people_search"),
    path("frameworks/", frameworks.framework_list, name="frameworks"),
    path("frameworks/new/", frameworks.framework_new, name="framework_new"),
    path("frameworks/<int:pk>/", frameworks.framework_detail, name="framework"),
    path("frameworks/<int:pk>/edit/", frameworks.framework_edit, name="framework_edit"),
    path(
        "frameworks/<int:pk>/new-version/",
        frameworks.framework_new_version_view,
        name="framework_new_version",
    ),
    path(
        "frameworks/<int:pk>/publish/", frameworks.framework_publish_view, name="framework_publish"
    ),
    path("frameworks/<int:pk>/scales/new/", frameworks.scale_new, name="scale_new"),
    path("frameworks/<int:pk>/competencies/new/", frameworks.competency_new, name="competency_new"),
    path(
        "frameworks/<int:pk>/competencies/<int:competency_pk>/",
        frameworks.competency_edit,
        name="competency_edit",
    ),
    path("frameworks/<int:pk>/indicators/new/", frameworks.indicator_new, name="indicator_new"),
]
