"""URL routes of the program designer's area (/design/)."""

from django.urls import path

from .views import (
    audit,
    calibration,
    enrolment,
    frameworks,
    history,
    jobs,
    metrics,
    objectives,
    pathway,
    programs,
    reviews,
    roi,
    roster,
    stories,
)

app_name = "design"

PROGRAM = "programs/<int:pk>/"

urlpatterns = [
    path("", programs.home, name="home"),
    path("people/", enrolment.people_search_view, name="people_search"),
    path("jobs/", jobs.jobs, name="jobs"),
    path("history/<str:label>/<int:pk>/", history.history, name="history"),
    # a program and its design
    path("programs/new/", programs.program_new, name="program_new"),
    path(PROGRAM, programs.program_detail, name="program"),
    path(f"{PROGRAM}edit/", programs.program_edit, name="program_edit"),
    path(f"{PROGRAM}objectives/new/", objectives.objective_new, name="objective_new"),
    path(f"{PROGRAM}objectives/check/", objectives.objective_check, name="objective_check"),
    path(
        f"{PROGRAM}objectives/<int:objective_pk>/", objectives.objective_edit, name="objective_edit"
    ),
    path(
        f"{PROGRAM}objectives/<int:objective_pk>/learning/new/",
        objectives.learning_new,
        name="learning_new",
    ),
    path(f"{PROGRAM}learning/<int:learning_pk>/", objectives.learning_edit, name="learning_edit"),
    # the pathway
    path(f"{PROGRAM}steps/new/", pathway.step_new, name="step_new"),
    path(f"{PROGRAM}steps/<int:step_pk>/", pathway.step_edit, name="step_edit"),
    path(
        f"{PROGRAM}steps/<int:step_pk>/move/<str:direction>/", pathway.move_step, name="step_move"
    ),
    path(f"{PROGRAM}steps/<int:step_pk>/delete/", pathway.step_delete, name="step_delete"),
    path(f"{PROGRAM}pathway/new/", pathway.pathway_new_version, name="pathway_new"),
    path(
        f"{PROGRAM}pathway/<int:pathway_pk>/publish/",
        pathway.pathway_publish_view,
        name="pathway_publish",
    ),
    # learners, the audit and how observers rate
    path(f"{PROGRAM}enrol/", enrolment.enrol, name="enrol"),
    path(
        f"{PROGRAM}enrolments/<int:enrolment_pk>/",
        enrolment.enrolment_manage,
        name="enrolment",
    ),
    path(
        f"{PROGRAM}enrolments/<int:enrolment_pk>/<slug:action>/",
        enrolment.enrolment_status,
        name="enrolment_status",
    ),
    path(f"{PROGRAM}roster/", roster.roster, name="roster"),
    path(f"{PROGRAM}audit/", audit.audit, name="audit"),
    path(f"{PROGRAM}audit/summary/", audit.audit_summary, name="audit_summary"),
    path(f"{PROGRAM}calibration/", calibration.calibration, name="calibration"),
    # outcomes and their value
    path(f"{PROGRAM}metrics/", metrics.metrics, name="metrics"),
    path(f"{PROGRAM}metrics/new/", metrics.metric_new, name="metric_new"),
    path(f"{PROGRAM}metrics/<int:metric_pk>/", metrics.metric_edit, name="metric_edit"),
    path(f"{PROGRAM}roi/", roi.roi, name="roi"),
    path(f"{PROGRAM}roi/costs/<int:item_pk>/", roi.cost_edit, name="roi_cost"),
    path(f"{PROGRAM}roi/costs/<int:item_pk>/remove/", roi.cost_remove, name="roi_cost_remove"),
    path(f"{PROGRAM}roi/metrics/<int:metric_pk>/", roi.benefit_edit, name="roi_benefit"),
    path(f"{PROGRAM}reviews/rollup/", reviews.review_rollup, name="review_rollup"),
    path(f"{PROGRAM}stories/", stories.stories, name="stories"),
    path(f"{PROGRAM}stories/new/", stories.story_new, name="story_new"),
    path(f"{PROGRAM}stories/<int:story_pk>/", stories.story_edit, name="story_edit"),
    path(f"{PROGRAM}stories/assignments/", stories.story_assignments, name="story_assignments"),
    # competency frameworks
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
