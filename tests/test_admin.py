"""Every model is in the admin, its pages open, and it writes only through the services."""

import datetime as dt
import html
from datetime import timedelta
from decimal import Decimal

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import Group
from django.core.exceptions import NON_FIELD_ERRORS, ImproperlyConfigured, ValidationError
from django.db.models import CharField, Model, QuerySet, TextField
from django.forms import CheckboxInput, modelform_factory
from django.urls import reverse
from django.utils import timezone

from coaching.models import FeedbackWindow, Observation
from coaching.services import (
    coaching_session_record,
    debrief_record,
    observation_log,
    peer_feedback_request_create,
    reflection_write,
)
from measurement import admin as measurement_admin
from measurement.models import BenefitEstimate, CostItem, OutcomeMetric, SuccessStory
from measurement.refresh import refresh_program_figures
from measurement.services import (
    benefit_estimate_set,
    cost_item_add,
    review_comment_add,
    review_decision_add,
    success_story_create,
)
from objectives import admin as objectives_admin
from objectives.models import LearningObjective, PerformanceObjective, ProficiencyLevel
from people import admin as people_admin
from people.models import JobRole, Notification, OrgUnit, User
from people.notifications import notify
from people.services import job_role_requirements_set
from programs import admin as programs_admin
from programs.models import Assignment, Cohort, Enrolment, Pathway, Program, Step, StepProgress
from programs.progression import progress_evaluate
from programs.services import assignment_create, step_sign_off
from programs.tasks import evaluate_program
from talentdev.core.admin import (
    AuditedAdmin,
    ReadOnlyAdmin,
    ReadOnlyInline,
    ServiceAdmin,
    ServiceInline,
    show_refusal,
)
from tests.factories import (
    DEFAULT_PASSWORD,
    AssessmentFactory,
    CohortFactory,
    CompetencyFactory,
    EnrolmentFactory,
    FeedbackFactory,
    FeedbackWindowFactory,
    FrameworkFactory,
    IndicatorFactory,
    JobRoleFactory,
    LearningObjectiveFactory,
    MeasurementFactory,
    OrgUnitFactory,
    OutcomeMetricFactory,
    PerformanceObjectiveFactory,
    ProgramFactory,
    SponsorReviewFactory,
    StepFactory,
    StepProgressFactory,
    UserFactory,
    colleague_of,
)

pytestmark = pytest.mark.django_db

PRODUCT_APPS = ("jobs", "people", "objectives", "programs", "coaching", "measurement")
TODAY = dt.date(2026, 2, 1)
# Held on TODAY, so what it agreed is due from that day on.
HELD_AT = dt.datetime(2026, 2, 1, 10, tzinfo=dt.UTC)


def test_every_product_model_is_registered_or_edited_inline():
    inline_models = {
        inline.model
        for model_admin in admin.site._registry.values()
        for inline in model_admin.inlines
    }
    missing = [
        model._meta.label
        for app in PRODUCT_APPS
        for model in apps.get_app_config(app).get_models()
        if model not in admin.site._registry
        and model not in inline_models
        and not _is_history(model)
    ]
    assert missing == []


def _is_history(model) -> bool:
    # A historical model (django-simple-history) names the model whose changes it keeps.
    return hasattr(model, "instance_type")


def test_every_audit_history_is_read_on_its_records_admin_history_page():
    # Rows edited inline (a review's comments, a metric's benefit estimate) have no page of
    # their own in the admin: the product's history page shows them.
    histories = [
        model
        for app in PRODUCT_APPS
        for model in apps.get_app_config(app).get_models()
        if _is_history(model) and model.instance_type in admin.site._registry
    ]
    assert histories
    without = [
        model.instance_type._meta.label
        for model in histories
        if not isinstance(admin.site._registry.get(model.instance_type), AuditedAdmin)
    ]
    assert without == []


def test_every_changelist_and_add_page_opens_for_a_superuser(admin_client, admin_user, rf):
    request = rf.get("/")
    request.user = admin_user
    FeedbackWindowFactory()  # rows in most tables, so list columns really render
    failures = []
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label not in PRODUCT_APPS:
            continue
        info = (model._meta.app_label, model._meta.model_name)
        pages = [reverse("admin:{}_{}_changelist".format(*info))]
        if model_admin.has_add_permission(request):
            pages.append(reverse("admin:{}_{}_add".format(*info)))
        for url in pages:
            status = admin_client.get(url).status_code
            if status != 200:
                failures.append(f"{url}: {status}")
    assert failures == []


def test_observation_search_and_autocomplete_work(admin_client):
    window = FeedbackWindowFactory()
    learner = window.observation.learner
    response = admin_client.get(
        reverse("admin:coaching_observation_changelist"), {"q": learner.username}
    )
    assert response.status_code == 200
    assert learner.username in response.text
    response = admin_client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "coaching",
            "model_name": "observation",
            "field_name": "learner",
            "term": learner.username,
        },
    )
    assert response.status_code == 200
    assert any(r["text"] == str(learner) for r in response.json()["results"])


def test_a_person_without_admin_access_is_sent_to_the_admin_login(client):
    client.force_login(UserFactory())
    response = client.get(reverse("admin:programs_program_changelist"))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def test_the_admin_refuses_a_vague_performance_objective_with_the_smart_messages(admin_client):
    from tests.factories import ProgramFactory

    program = ProgramFactory()
    response = admin_client.post(
        reverse("admin:objectives_performanceobjective_add"),
        {
            "program": program.pk,
            "statement": "Participants will understand feedback",
            "action": "understand feedback",
            "feedback_window": "1 00:00:00",
        },
    )
    assert response.status_code == 200
    assert "happens inside the head" in response.text
    assert "Say what is measured" in response.text
    assert not program.performance_objectives.exists()


# The admin writes only through services
#
# Every product admin is read-only or saves through its app's services. The helpers below
# drive the admin's real pages: read a form as the page renders it, change some values and
# post it back, as a person would.


def url_of(model, action, obj=None):
    opts = model._meta
    args = [obj.pk] if obj is not None else []
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{action}", args=args)


def _encode(value):
    if isinstance(value, Model):
        return str(value.pk)
    if isinstance(value, list | tuple | QuerySet):
        return [_encode(item) for item in value]
    return "" if value is None else str(value)


def form_for(page):
    # The set-password page has a plain form rather than the admin's form wrapper.
    return page.context["adminform"].form if "adminform" in page.context else page.context["form"]


def form_data(page) -> dict:
    """What the page's form posts as it stands: the main form and every inline's rows."""
    forms = [form_for(page)]
    for inline in page.context.get("inline_admin_formsets", ()):
        forms.append(inline.formset.management_form)
        forms.extend(inline.formset.forms)
    data = {}
    for form in forms:
        for field in form:
            if field.field.disabled:
                continue
            value = field.value()
            if isinstance(field.field.widget, CheckboxInput):
                if value:
                    data[field.html_name] = "on"
            else:
                data[field.html_name] = _encode(value)
    return data


def submit(client, url, changes: dict):
    """Open the admin page at `url`, change the given inputs and post the form back."""
    page = client.get(url)
    assert page.status_code == 200
    data = form_data(page)
    for name, value in changes.items():
        if value is False:
            data.pop(name, None)
        elif value is True:
            data[name] = "on"
        else:
            data[name] = _encode(value)
    return client.post(url, data)


def page_text(response) -> str:
    return html.unescape(response.content.decode())


def snapshot(obj) -> dict:
    return type(obj).objects.filter(pk=obj.pk).values().get()


@pytest.fixture
def spy(monkeypatch):
    """Record the calls an admin module makes to one of its services; the service still runs."""

    def wrap(module, name):
        real = getattr(module, name)
        calls = []

        def recording(*args, **kwargs):
            calls.append(kwargs)
            return real(*args, **kwargs)

        monkeypatch.setattr(module, name, recording)
        return calls

    return wrap


# Every admin is one of the two kinds


def unguarded(registry) -> list[str]:
    """The product admins and inlines that neither read only nor save through services."""
    found = []
    for model, model_admin in registry.items():
        if model._meta.app_label not in PRODUCT_APPS:
            continue
        if isinstance(model_admin, ReadOnlyAdmin):
            allowed = (ReadOnlyInline,)
        elif isinstance(model_admin, ServiceAdmin):
            allowed = (ReadOnlyInline, ServiceInline)
        else:
            found.append(type(model_admin).__name__)
            continue
        found += [
            f"{type(model_admin).__name__}.{inline.__name__}"
            for inline in model_admin.inlines
            if not issubclass(inline, allowed)
        ]
    return found


def test_every_product_admin_is_read_only_or_saves_through_services():
    assert unguarded(admin.site._registry) == []


def test_an_admin_or_inline_on_neither_base_is_reported():
    class PlainStepInline(admin.StackedInline):
        model = Step

    class PlainPathwayAdmin(ReadOnlyAdmin):
        inlines = (PlainStepInline,)

    site = admin.AdminSite()
    registry = {
        Program: admin.ModelAdmin(Program, site),
        Pathway: PlainPathwayAdmin(Pathway, site),
        OrgUnit: people_admin.OrgUnitAdmin(OrgUnit, site),
    }

    assert unguarded(registry) == ["ModelAdmin", "PlainPathwayAdmin.PlainStepInline"]


def _product_admins(kind):
    return sorted(
        (
            model
            for model, model_admin in admin.site._registry.items()
            if model._meta.app_label in PRODUCT_APPS and isinstance(model_admin, kind)
        ),
        key=lambda model: model._meta.label,
    )


SERVICE_BACKED = {
    User,
    OrgUnit,
    JobRole,
    LearningObjective,
    PerformanceObjective,
    Program,
    ProficiencyLevel,
    Cohort,
    Enrolment,
    StepProgress,
    Assignment,
    OutcomeMetric,
    CostItem,
    SuccessStory,
}


def test_each_service_backed_admin_has_its_tests_below():
    # A new service-backed admin needs add, change and refusal tests like those below.
    assert set(_product_admins(ServiceAdmin)) == SERVICE_BACKED


def test_a_form_field_that_no_service_takes_is_a_configuration_error(rf, admin_user):
    class LeakyOrgUnitAdmin(people_admin.OrgUnitAdmin):
        service_create_fields = ("code", "name")

    request = rf.get("/")
    request.user = admin_user

    with pytest.raises(ImproperlyConfigured, match="parent"):
        LeakyOrgUnitAdmin(OrgUnit, admin.site).get_form(request)
    assert people_admin.OrgUnitAdmin(OrgUnit, admin.site).get_form(request)


def test_a_refusal_shows_by_the_fields_the_form_has_and_the_rest_on_top():
    form = modelform_factory(Program, fields=["name"])({"name": "Coaching managers"})
    assert form.is_valid()

    show_refusal(
        form,
        ValidationError(
            {
                "name": ["That name is taken."],
                "framework": ["Learning objectives use it."],
                NON_FIELD_ERRORS: ["Not while the review is open."],
                "required_level": ["The level must come from the competency's own scale."],
            }
        ),
    )

    assert form.errors == {
        "name": ["That name is taken."],
        NON_FIELD_ERRORS: [
            "Framework: Learning objectives use it.",
            "Not while the review is open.",
            "The level must come from the competency's own scale.",
        ],
    }


# Read-only admins


def one_of_each():
    """A row of every product model, made as the product makes them."""
    window = FeedbackWindowFactory()
    observation = window.observation
    enrolment = observation.enrolment
    supervisor = enrolment.supervisor
    objective = observation.performance_objective
    program = enrolment.program
    FeedbackFactory(observation=observation)
    step = StepFactory(pathway=enrolment.pathway)
    progress = StepProgressFactory(enrolment=enrolment, step=step, status="in_progress")
    progress.started_at = timezone.now() - timedelta(days=1)
    progress.save()
    step_sign_off(progress=progress, by=enrolment.learner, note="Read the guide.")
    progress_evaluate(enrolment_ids=[enrolment.pk])
    CohortFactory(program=program)
    indicator = IndicatorFactory()
    LearningObjectiveFactory(program=program)
    assignment_create(
        enrolment=enrolment,
        title="Lead the escalation review",
        brief="Run the weekly review.",
        scenario_kind=Assignment.ScenarioKind.CUSTOMER_ESCALATION,
        due_on=timezone.localdate() + dt.timedelta(days=30),
        criteria=[{"description": "Actions agreed", "performance_objective": objective}],
    )
    debrief_record(
        enrolment=enrolment,
        facilitator=supervisor,
        held_at=HELD_AT,
        what_happened="Ran the review.",
        what_went_well="Clear actions.",
        what_to_change="Start on time.",
        lessons="Prepare the data the day before.",
        actions=[{"description": "Share the notes", "owner": supervisor, "due_on": TODAY}],
    )
    coaching_session_record(
        enrolment=enrolment,
        coach=supervisor,
        held_at=HELD_AT,
        focus="Timely feedback",
        commitments=[
            {
                "description": "Give feedback the same day",
                "measure": "hours to feedback",
                "target_value": Decimal("24"),
                "target_unit": "hours",
                "due_on": TODAY,
            }
        ],
    )
    peer_feedback_request_create(
        enrolment=enrolment,
        requested_by=supervisor,
        reviewer=colleague_of(enrolment.learner),
        prompt="How did the review go?",
        due_at=timezone.now() + timedelta(days=7),
    )
    reflection_write(enrolment=enrolment, body="I spoke up sooner.")
    AssessmentFactory(enrolment=enrolment)
    metric = OutcomeMetricFactory(program=program, money_value_per_unit=Decimal("10"))
    MeasurementFactory(metric=metric)
    benefit_estimate_set(
        metric=metric,
        isolation_method=BenefitEstimate.Isolation.TREND_LINE,
        attribution_percent=Decimal("50"),
    )
    review = SponsorReviewFactory(program=program)
    review_comment_add(review=review, author=supervisor, body="On track.")
    review_decision_add(
        review=review,
        decided_by=supervisor,
        description="Recalibrate",
        owner=supervisor,
        due_on=timezone.localdate() + dt.timedelta(days=30),  # decisions are due ahead
    )
    cost_item_add(
        program=program,
        category=CostItem.Category.MATERIALS,
        description="Workbooks",
        incurred_on=TODAY,
        amount=Decimal("250"),
    )
    success_story_create(program=program, step=step, title="Faster", story="…", result="-2 days")
    notify(
        recipient=supervisor,
        kind=Notification.Kind.FEEDBACK_DUE,
        key="feedback-due:1",
        title="Feedback due",
        body="Give feedback.",
    )
    role = JobRoleFactory()
    job_role_requirements_set(
        role=role, requirements={indicator.competency: indicator.competency.scale.levels.first()}
    )
    OrgUnitFactory(parent=OrgUnitFactory())
    evaluate_program.apply(args=[program.pk])  # a job run leaves its record
    refresh_program_figures(program_ids=[program.pk])


def _attempted_change(model) -> dict:
    """Post data that would change every text field of a row, were the admin to take it."""
    return {
        field.name: "Changed in the admin"
        for field in model._meta.concrete_fields
        if isinstance(field, CharField | TextField) and not field.choices
    }


@pytest.mark.parametrize(
    "model", _product_admins(ReadOnlyAdmin), ids=lambda model: model._meta.label
)
def test_a_read_only_admin_shows_a_row_but_refuses_to_add_change_or_delete(admin_client, model):
    one_of_each()
    row = model.objects.order_by("pk").first()
    before, count = snapshot(row), model.objects.count()

    change_page = admin_client.get(url_of(model, "change", row))
    assert change_page.status_code == 200
    assert 'name="_save"' not in change_page.text
    assert admin_client.get(url_of(model, "add")).status_code == 403
    assert admin_client.post(url_of(model, "add"), _attempted_change(model)).status_code == 403
    assert (
        admin_client.post(url_of(model, "change", row), _attempted_change(model)).status_code == 403
    )
    assert admin_client.post(url_of(model, "delete", row), {"post": "yes"}).status_code == 403

    assert snapshot(row) == before
    assert model.objects.count() == count


def test_an_observation_cannot_be_added_in_the_admin_where_it_would_open_no_feedback_window(
    admin_client,
):
    enrolment = EnrolmentFactory()
    objective = PerformanceObjectiveFactory(program=enrolment.program)
    url = url_of(Observation, "add")

    assert admin_client.get(url).status_code == 403
    response = admin_client.post(
        url,
        {
            "enrolment": enrolment.pk,
            "learner": enrolment.learner.pk,
            "observer": enrolment.supervisor.pk,
            "performance_objective": objective.pk,
            "observed_at_0": "2026-01-10",
            "observed_at_1": "10:00:00",
            "rating": 3,
            "behaviour": "Named the missed hand-off.",
        },
    )

    assert response.status_code == 403
    assert not Observation.objects.exists()
    assert not FeedbackWindow.objects.exists()

    # Logged through its service instead, it opens its window and the admin shows both.
    observation = observation_log(
        observer=enrolment.supervisor,
        enrolment=enrolment,
        performance_objective=objective,
        rating=3,
        behaviour="Named the missed hand-off.",
    )
    page = admin_client.get(url_of(Observation, "change", observation))
    assert page.status_code == 200
    shown = [list(inline.formset.queryset) for inline in page.context["inline_admin_formsets"]]
    assert shown == [[FeedbackWindow.objects.get(observation=observation)]]


def test_a_step_of_a_published_pathway_cannot_be_changed_in_the_admin(admin_client):
    step = StepFactory(title="Practise the conversation")
    assert step.pathway.status == Pathway.Status.PUBLISHED

    step_change = admin_client.post(
        url_of(Step, "change", step), {"title": "Something else", "kind": step.kind}
    )
    pathway_change = admin_client.post(
        url_of(Pathway, "change", step.pathway),
        {
            "steps-TOTAL_FORMS": 1,
            "steps-INITIAL_FORMS": 1,
            "steps-0-id": step.pk,
            "steps-0-pathway": step.pathway.pk,
            "steps-0-title": "Something else",
        },
    )

    assert (step_change.status_code, pathway_change.status_code) == (403, 403)
    step.refresh_from_db()
    assert step.title == "Practise the conversation"
    step_page = admin_client.get(url_of(Step, "change", step))
    assert step_page.status_code == 200
    assert "Practise the conversation" in step_page.text


@pytest.mark.parametrize(
    "model", sorted(SERVICE_BACKED - {CostItem}, key=lambda model: model._meta.label)
)
def test_a_service_backed_admin_without_a_remove_service_deletes_nothing(
    admin_client, admin_user, rf, model
):
    one_of_each()
    row = model.objects.order_by("pk").first()
    request = rf.get("/")
    request.user = admin_user

    response = admin_client.post(url_of(model, "delete", row), {"post": "yes"})

    assert response.status_code == 403
    assert model.objects.filter(pk=row.pk).exists()
    assert "delete_selected" not in admin.site._registry[model].get_actions(request)


# Service-backed admins: people


def test_a_person_added_in_the_admin_is_made_by_person_create(admin_client, spy):
    created = spy(people_admin, "person_create")
    unit = OrgUnitFactory()

    response = submit(
        admin_client,
        url_of(User, "add"),
        {
            "username": "ada",
            "password1": "analytical-engine-1843",
            "password2": "analytical-engine-1843",
            "job_title": "Analyst",
            "org_unit": unit,
        },
    )

    assert response.status_code == 302
    [call] = created
    assert (call["username"], call["password"], call["org_unit"]) == (
        "ada",
        "analytical-engine-1843",
        unit,
    )
    person = User.objects.get(username="ada")
    assert person.check_password("analytical-engine-1843")
    assert (person.job_title, person.org_unit) == ("Analyst", unit)


def test_a_person_added_with_password_sign_in_off_gets_no_password(admin_client, spy):
    created = spy(people_admin, "person_create")

    response = submit(
        admin_client, url_of(User, "add"), {"username": "sso", "usable_password": "false"}
    )

    assert response.status_code == 302
    assert created[0]["password"] == ""
    assert not User.objects.get(username="sso").has_usable_password()


def test_a_person_changed_in_the_admin_is_changed_by_person_update_with_their_groups(
    admin_client, spy
):
    updated = spy(people_admin, "person_update")
    person = UserFactory(job_title="Analyst")
    group = Group.objects.create(name="Coaches")

    response = submit(
        admin_client,
        url_of(User, "change", person),
        {"job_title": "Team lead", "groups": [group]},
    )

    assert response.status_code == 302
    [call] = updated
    assert set(call) == {"person", "job_title", "groups"}
    assert list(call["groups"]) == [group]
    person.refresh_from_db()
    assert person.job_title == "Team lead"
    assert list(person.groups.all()) == [group]


def test_a_reporting_loop_is_refused_on_the_person_form_and_nothing_changes(admin_client):
    boss = UserFactory(job_title="Director")
    report = UserFactory(manager=boss)

    response = submit(
        admin_client,
        url_of(User, "change", boss),
        {"manager": report, "job_title": "Chief"},
    )

    assert response.status_code == 200
    assert "This manager would make the reporting line a loop." in page_text(response)
    boss.refresh_from_db()
    assert (boss.manager, boss.job_title) == (None, "Director")


def password_page(person):
    return reverse("admin:auth_user_password_change", args=[person.pk])


def test_a_password_set_in_the_admin_goes_through_person_password_set(admin_client, spy):
    set_calls = spy(people_admin, "person_password_set")
    person = UserFactory()

    response = submit(
        admin_client,
        password_page(person),
        {"password1": "a-much-better-secret-42", "password2": "a-much-better-secret-42"},
    )

    assert response.status_code == 302
    assert set_calls == [{"person": person, "password": "a-much-better-secret-42"}]
    person.refresh_from_db()
    assert person.check_password("a-much-better-secret-42")


def test_a_weak_password_is_refused_on_the_admin_password_page_and_the_old_one_stays(
    admin_client, spy
):
    set_calls = spy(people_admin, "person_password_set")
    person = UserFactory()

    response = submit(
        admin_client, password_page(person), {"password1": "password", "password2": "password"}
    )

    assert response.status_code == 200
    assert "This password is too common." in page_text(response)
    assert set_calls == []
    person.refresh_from_db()
    assert person.check_password(DEFAULT_PASSWORD)


def test_an_org_unit_is_added_and_moved_in_the_admin_through_its_services(admin_client, spy):
    created = spy(people_admin, "org_unit_create")
    updated = spy(people_admin, "org_unit_update")
    parent = OrgUnitFactory()

    added = submit(
        admin_client, url_of(OrgUnit, "add"), {"code": "ops", "name": "Operations", "parent": ""}
    )
    unit = OrgUnit.objects.get(code="ops")
    moved = submit(admin_client, url_of(OrgUnit, "change", unit), {"parent": parent})

    assert (added.status_code, moved.status_code) == (302, 302)
    assert created == [{"code": "ops", "name": "Operations", "parent": None}]
    assert updated == [{"unit": unit, "parent": parent}]
    unit.refresh_from_db()
    assert unit.parent == parent


def test_an_org_unit_moved_under_its_own_child_is_refused_on_the_form(admin_client):
    top = OrgUnitFactory(name="Company")
    child = OrgUnitFactory(parent=top)

    response = submit(
        admin_client, url_of(OrgUnit, "change", top), {"parent": child, "name": "Group"}
    )

    assert response.status_code == 200
    assert "This parent would make the org tree a loop." in page_text(response)
    top.refresh_from_db()
    assert (top.parent, top.name) == (None, "Company")


def test_a_job_role_and_its_required_levels_are_saved_through_the_role_services(admin_client, spy):
    created = spy(people_admin, "job_role_create")
    requirements_set = spy(people_admin, "job_role_requirements_set")
    competency = CompetencyFactory()
    level = competency.scale.levels.get(rank=2)

    response = submit(
        admin_client,
        url_of(JobRole, "add"),
        {
            "code": "lead",
            "title": "Team lead",
            "requirements-0-competency": competency,
            "requirements-0-required_level": level,
        },
    )

    assert response.status_code == 302
    role = JobRole.objects.get(code="lead")
    assert created == [{"code": "lead", "title": "Team lead", "description": ""}]
    assert requirements_set == [{"role": role, "requirements": {competency: level}}]
    assert [(r.competency, r.required_level) for r in role.requirements.all()] == [
        (competency, level)
    ]


def test_a_job_roles_required_level_is_changed_and_one_dropped_through_the_services(
    admin_client, spy
):
    updated = spy(people_admin, "job_role_update")
    requirements_set = spy(people_admin, "job_role_requirements_set")
    role = JobRoleFactory(title="Lead")
    kept, dropped = CompetencyFactory(), CompetencyFactory()
    job_role_requirements_set(
        role=role,
        requirements={kept: kept.scale.levels.first(), dropped: dropped.scale.levels.first()},
    )
    rows = {r.competency: n for n, r in enumerate(role.requirements.order_by("pk"))}
    higher = kept.scale.levels.get(rank=3)

    response = submit(
        admin_client,
        url_of(JobRole, "change", role),
        {
            "title": "Team lead",
            f"requirements-{rows[kept]}-required_level": higher,
            f"requirements-{rows[dropped]}-DELETE": True,
        },
    )

    assert response.status_code == 302
    assert updated == [{"role": role, "title": "Team lead"}]
    assert requirements_set == [{"role": role, "requirements": {kept: higher}}]
    assert [(r.competency, r.required_level) for r in role.requirements.all()] == [(kept, higher)]


def test_a_required_level_from_another_scale_is_refused_and_no_role_is_added(admin_client):
    competency, other = CompetencyFactory(), CompetencyFactory()

    response = submit(
        admin_client,
        url_of(JobRole, "add"),
        {
            "code": "lead",
            "title": "Team lead",
            "requirements-0-competency": competency,
            "requirements-0-required_level": other.scale.levels.first(),
        },
    )

    assert response.status_code == 200
    assert "The level must come from the competency's own scale." in page_text(response)
    assert not JobRole.objects.exists()


# Service-backed admins: objectives


def test_a_learning_objective_is_added_and_changed_through_its_services(admin_client, spy):
    created = spy(objectives_admin, "learning_objective_create")
    updated = spy(objectives_admin, "learning_objective_update")
    competency = CompetencyFactory()
    program = ProgramFactory(framework=competency.framework)
    statement = "Participants will be able to explain why timely feedback matters."

    added = submit(
        admin_client,
        url_of(LearningObjective, "add"),
        {
            "program": program,
            "competency": competency,
            "statement": statement,
            "bloom_level": LearningObjective.BloomLevel.UNDERSTAND,
            "assessment_method": LearningObjective.AssessmentMethod.QUIZ,
        },
    )
    objective = LearningObjective.objects.get(program=program)
    change_url = url_of(LearningObjective, "change", objective)
    changed = submit(admin_client, change_url, {"bloom_level": "analyze"})

    assert (added.status_code, changed.status_code) == (302, 302)
    assert created == [
        {
            "program": program,
            "competency": competency,
            "statement": statement,
            "bloom_level": "understand",
            "assessment_method": "quiz",
        }
    ]
    assert updated == [{"objective": objective, "bloom_level": "analyze"}]
    objective.refresh_from_db()
    assert objective.bloom_level == "analyze"
    # The update service does not move an objective to another program: shown, not offered.
    assert "program" not in form_for(admin_client.get(change_url)).fields


def test_a_learning_objective_on_a_competency_outside_the_programs_framework_is_refused(
    admin_client,
):
    objective = LearningObjectiveFactory()
    objective.program.framework = objective.competency.framework
    objective.program.save()
    elsewhere = CompetencyFactory()

    response = submit(
        admin_client,
        url_of(LearningObjective, "change", objective),
        {"competency": elsewhere, "statement": "A new statement"},
    )

    assert response.status_code == 200
    assert "Choose a competency from the program's framework." in page_text(response)
    assert LearningObjective.objects.get().statement == objective.statement


SMART_OBJECTIVE = {
    "statement": "Participants will deliver feedback within 24 hours of observing a behavior.",
    "action": "deliver feedback",
    "condition": "after observing a team member's behaviour",
    "measure": "hours from the observed behaviour to the feedback",
    "measure_unit": "hours",
    "target_comparator": "lte",
    "target_value": "24",
    "time_window": "1 00:00:00",
    "time_window_anchor": "of observing a behaviour",
    "evidence_method": "observation",
}


def test_a_performance_objective_is_added_and_changed_through_its_services(admin_client, spy):
    created = spy(objectives_admin, "performance_objective_create")
    updated = spy(objectives_admin, "performance_objective_update")
    program = ProgramFactory()
    why = LearningObjectiveFactory(program=program)

    added = submit(
        admin_client,
        url_of(PerformanceObjective, "add"),
        {"program": program, "learning_objectives": [why], **SMART_OBJECTIVE},
    )
    objective = PerformanceObjective.objects.get(program=program)
    changed = submit(
        admin_client,
        url_of(PerformanceObjective, "change", objective),
        {"review_date": "2026-06-30"},
    )

    assert (added.status_code, changed.status_code) == (302, 302)
    [call] = created
    assert (call["program"], list(call["learning_objectives"])) == (program, [why])
    assert updated == [{"objective": objective, "review_date": dt.date(2026, 6, 30)}]
    objective.refresh_from_db()
    assert list(objective.learning_objectives.all()) == [why]
    assert objective.review_date == dt.date(2026, 6, 30)


def test_a_learning_objective_of_another_program_is_refused_by_the_service_on_the_form(
    admin_client, spy
):
    created = spy(objectives_admin, "performance_objective_create")
    program = ProgramFactory()
    elsewhere = LearningObjectiveFactory()

    response = submit(
        admin_client,
        url_of(PerformanceObjective, "add"),
        {"program": program, "learning_objectives": [elsewhere], **SMART_OBJECTIVE},
    )

    # The form found nothing wrong; the service did, and its reason sits by the field.
    assert len(created) == 1
    assert response.status_code == 200
    form = form_for(response)
    assert form.errors["learning_objectives"] == ["Link only objectives of the same program."]
    assert form["statement"].value() == SMART_OBJECTIVE["statement"]
    assert not PerformanceObjective.objects.exists()


# Service-backed admins: programs


def test_a_program_is_added_with_its_sponsors_and_changed_through_its_services(admin_client, spy):
    created = spy(programs_admin, "program_create")
    updated = spy(programs_admin, "program_update")
    owner, sponsor = UserFactory(), UserFactory()

    added = submit(
        admin_client,
        url_of(Program, "add"),
        {
            "name": "Coaching managers",
            "slug": "coaching-managers",
            "business_goal": "Keep more of our people.",
            "owner": owner,
            "sponsors": [sponsor],
            "starts_on": "2026-01-01",
        },
    )
    program = Program.objects.get(slug="coaching-managers")
    changed = submit(admin_client, url_of(Program, "change", program), {"cost": "12000.00"})

    assert (added.status_code, changed.status_code) == (302, 302)
    [call] = created
    assert (call["owner"], list(call["sponsors"])) == (owner, [sponsor])
    assert updated == [{"program": program, "cost": Decimal("12000.00")}]
    program.refresh_from_db()
    assert list(program.sponsors.all()) == [sponsor]
    assert program.cost == Decimal("12000.00")


def test_a_framework_change_the_service_refuses_shows_on_the_form_and_saves_nothing(
    admin_client, spy
):
    updated = spy(programs_admin, "program_update")
    objective = LearningObjectiveFactory()
    program = objective.program
    program.framework = objective.competency.framework
    program.save()
    other_framework = FrameworkFactory()

    response = submit(
        admin_client,
        url_of(Program, "change", program),
        {"name": "Renamed program", "framework": other_framework},
    )

    assert len(updated) == 1  # the form was valid; the service refused
    assert response.status_code == 200
    form = form_for(response)
    assert form.errors["framework"] == [
        "Learning objectives already use this program's framework: keep it, or start a new program."
    ]
    assert form["name"].value() == "Renamed program"
    program.refresh_from_db()
    assert (program.name, program.framework) == (
        objective.program.name,
        objective.competency.framework,
    )


# Service-backed admins: measurement


def test_an_outcome_metric_is_added_and_changed_through_its_services(admin_client, spy):
    created = spy(measurement_admin, "outcome_metric_create")
    updated = spy(measurement_admin, "outcome_metric_update")
    program = ProgramFactory()
    objective = PerformanceObjectiveFactory(program=program)

    added = submit(
        admin_client,
        url_of(OutcomeMetric, "add"),
        {
            "program": program,
            "name": "Customer satisfaction",
            "kind": OutcomeMetric.Kind.CUSTOMER_SATISFACTION,
            "unit": "points",
            "direction": OutcomeMetric.Direction.INCREASE,
            "baseline": "70",
            "target": "80",
            "performance_objectives": [objective],
        },
    )
    metric = OutcomeMetric.objects.get(program=program)
    changed = submit(admin_client, url_of(OutcomeMetric, "change", metric), {"target": "85"})

    assert (added.status_code, changed.status_code) == (302, 302)
    [call] = created
    assert (call["program"], list(call["performance_objectives"])) == (program, [objective])
    assert updated == [{"metric": metric, "target": Decimal("85")}]
    metric.refresh_from_db()
    assert metric.target == Decimal("85")
    assert list(metric.performance_objectives.all()) == [objective]


def test_a_metric_target_no_better_than_its_baseline_is_refused_on_the_form(admin_client):
    metric = OutcomeMetricFactory(baseline=Decimal("70"), target=Decimal("80"))

    response = submit(admin_client, url_of(OutcomeMetric, "change", metric), {"target": "60"})

    assert response.status_code == 200
    assert "The target must be better than the baseline in the metric's direction." in page_text(
        response
    )
    metric.refresh_from_db()
    assert metric.target == Decimal("80")


def test_a_cost_line_is_added_changed_and_removed_through_its_services(
    admin_client, admin_user, spy
):
    added_calls = spy(measurement_admin, "cost_item_add")
    updated = spy(measurement_admin, "cost_item_update")
    removed = spy(measurement_admin, "cost_item_remove")
    program = ProgramFactory()

    added = submit(
        admin_client,
        url_of(CostItem, "add"),
        {
            "program": program,
            "category": CostItem.Category.MATERIALS,
            "description": "Workbooks",
            "incurred_on": "2026-02-01",
            "amount": "250.00",
        },
    )
    item = CostItem.objects.get(program=program)
    changed = submit(admin_client, url_of(CostItem, "change", item), {"amount": "300.00"})
    deleted = admin_client.post(url_of(CostItem, "delete", item), {"post": "yes"})

    assert (added.status_code, changed.status_code, deleted.status_code) == (302, 302, 302)
    [call] = added_calls
    assert (call["program"], call["recorded_by"], call["amount"]) == (
        program,
        admin_user,
        Decimal("250.00"),
    )
    assert updated == [{"item": item, "amount": Decimal("300.00")}]
    # Deleting a row clears its key, so the line removed is told by what it says.
    assert [call["item"].description for call in removed] == ["Workbooks"]
    assert not CostItem.objects.exists()


def test_participants_time_costed_as_an_amount_is_refused_on_the_form(admin_client):
    program = ProgramFactory()

    response = submit(
        admin_client,
        url_of(CostItem, "add"),
        {
            "program": program,
            "category": CostItem.Category.PARTICIPANT_TIME,
            "description": "Workshop hours",
            "incurred_on": "2026-02-01",
            "amount": "1000.00",
        },
    )

    assert response.status_code == 200
    assert (
        "Cost people's time from hours, people and a loaded hourly rate, not an amount."
        in page_text(response)
    )
    assert not CostItem.objects.exists()


def test_a_success_story_is_told_and_edited_through_its_services(admin_client, spy):
    created = spy(measurement_admin, "success_story_create")
    updated = spy(measurement_admin, "success_story_update")
    step = StepFactory()
    program = step.pathway.program

    added = submit(
        admin_client,
        url_of(SuccessStory, "add"),
        {
            "program": program,
            "step": step,
            "title": "Escalations closed sooner",
            "story": "After the role-play, Sam ran the escalation review.",
            "result": "Two days faster",
        },
    )
    story = SuccessStory.objects.get(program=program)
    changed = submit(admin_client, url_of(SuccessStory, "change", story), {"published": True})

    assert (added.status_code, changed.status_code) == (302, 302)
    [call] = created
    assert (call["program"], call["step"], call["published"]) == (program, step, False)
    assert updated == [{"success_story": story, "published": True}]
    story.refresh_from_db()
    assert story.published


def test_a_success_story_naming_no_step_or_assignment_is_refused_on_the_form(admin_client):
    program = ProgramFactory()

    response = submit(
        admin_client,
        url_of(SuccessStory, "add"),
        {"program": program, "title": "Better", "story": "It went well.", "result": "Faster"},
    )

    assert response.status_code == 200
    assert "A success story names the step or assignment that led to the result." in page_text(
        response
    )
    assert not SuccessStory.objects.exists()


def test_a_success_story_naming_another_programs_step_is_refused_beside_it(admin_client):
    program = ProgramFactory()
    elsewhere = StepFactory()

    response = submit(
        admin_client,
        url_of(SuccessStory, "add"),
        {
            "program": program,
            "step": elsewhere,
            "title": "Better",
            "story": "It went well.",
            "result": "Faster",
        },
    )

    assert response.status_code == 200
    assert form_for(response).errors == {"step": ["The step must be on a pathway of this program."]}
    assert not SuccessStory.objects.exists()


# Service-backed admins: cohorts, enrolments, step progress, assignments


def test_a_cohort_is_added_and_moved_through_its_services(admin_client, spy):
    created = spy(programs_admin, "cohort_create")
    updated = spy(programs_admin, "cohort_update")
    program = ProgramFactory()

    added = submit(
        admin_client,
        url_of(Cohort, "add"),
        {"program": program, "name": "Spring", "starts_on": "2026-03-02"},
    )
    cohort = Cohort.objects.get(program=program)
    changed = submit(admin_client, url_of(Cohort, "change", cohort), {"ends_on": "2026-06-30"})
    refused = submit(admin_client, url_of(Cohort, "change", cohort), {"ends_on": "2026-01-01"})

    assert (added.status_code, changed.status_code, refused.status_code) == (302, 302, 200)
    assert [call["name"] for call in created] == ["Spring"]
    assert updated[0] == {"cohort": cohort, "ends_on": dt.date(2026, 6, 30)}
    assert "A cohort cannot end before it starts." in page_text(refused)
    cohort.refresh_from_db()
    assert cohort.ends_on == dt.date(2026, 6, 30)


def test_an_enrolment_is_added_on_the_published_pathway_and_paused_through_its_services(
    admin_client, admin_user, spy
):
    created = spy(programs_admin, "enrolment_create")
    updated = spy(programs_admin, "enrolment_update")
    step = StepFactory()
    program, learner, coach = step.pathway.program, UserFactory(), UserFactory()

    added = submit(
        admin_client,
        url_of(Enrolment, "add"),
        {"learner": learner, "program": program, "enrolled_on": "2026-01-05"},
    )
    enrolment = Enrolment.objects.get(learner=learner)
    # the service gave it the published pathway and a progress row per step
    assert (enrolment.pathway, enrolment.progress.get().step) == (step.pathway, step)
    changed = submit(
        admin_client,
        url_of(Enrolment, "change", enrolment),
        {"status": Enrolment.Status.PAUSED, "coach": coach},
    )

    assert (added.status_code, changed.status_code) == (302, 302)
    assert [call["learner"] for call in created] == [learner]
    assert updated == [
        {"enrolment": enrolment, "by": admin_user, "status": "paused", "coach": coach}
    ]
    enrolment.refresh_from_db()
    assert (enrolment.status, enrolment.coach) == (Enrolment.Status.PAUSED, coach)
    event = enrolment.events.get()
    assert (event.to_status, event.cause, event.actor) == ("paused", "person", admin_user)


def test_an_enrolments_completion_and_competency_are_shown_and_never_set_in_the_admin(
    admin_client, spy
):
    updated = spy(programs_admin, "enrolment_update")
    enrolment = EnrolmentFactory()
    url = url_of(Enrolment, "change", enrolment)

    page = admin_client.get(url)
    # progression decides these: the page shows them, its form offers none of them
    form = form_for(page)
    assert {"completed_on", "competent_on"}.isdisjoint(form.fields)
    assert [value for value, _label in form.fields["status"].choices] == [
        "active",
        "paused",
        "withdrawn",
    ]
    assert "Completed on" in page_text(page)
    assert "Competent on" in page_text(page)
    completed = submit(admin_client, url, {"status": Enrolment.Status.COMPLETED})
    by_date = submit(admin_client, url, {"competent_on": "2026-02-01"})

    assert (completed.status_code, by_date.status_code) == (200, 302)
    assert "Select a valid choice" in page_text(completed)
    # the posted date was not the form's to send, so the service heard only who asked
    assert [sorted(call) for call in updated] == [["by", "enrolment"]]
    enrolment.refresh_from_db()
    assert (enrolment.status, enrolment.competent_on) == (Enrolment.Status.ACTIVE, None)


def test_a_completed_enrolments_status_is_shown_not_offered(admin_client):
    enrolment = EnrolmentFactory()
    Enrolment.objects.filter(pk=enrolment.pk).update(
        status=Enrolment.Status.COMPLETED, completed_on=enrolment.enrolled_on
    )

    page = admin_client.get(url_of(Enrolment, "change", enrolment))

    assert page.status_code == 200
    assert "status" not in form_for(page).fields


def test_an_enrolment_on_a_program_with_no_published_pathway_is_refused_and_not_added(
    admin_client,
):
    program = ProgramFactory()

    response = submit(
        admin_client,
        url_of(Enrolment, "add"),
        {"learner": UserFactory(), "program": program, "enrolled_on": "2026-01-05"},
    )

    assert response.status_code == 200
    assert "Publish the program's pathway before enrolling learners." in page_text(response)
    assert not Enrolment.objects.exists()


def test_step_progress_is_rescheduled_through_its_service_and_its_status_only_shown(
    admin_client, spy
):
    rescheduled = spy(programs_admin, "step_progress_due_set")
    progress = StepProgressFactory()
    url = url_of(StepProgress, "change", progress)

    assert admin_client.get(url_of(StepProgress, "add")).status_code == 403
    page = admin_client.get(url)
    assert list(form_for(page).fields) == ["due_on"]
    response = submit(
        admin_client, url, {"status": StepProgress.Status.COMPLETED, "due_on": "2026-04-01"}
    )

    assert response.status_code == 302
    assert [call["due_on"] for call in rescheduled] == [dt.date(2026, 4, 1)]
    progress.refresh_from_db()
    # the posted status was not the form's to send: progression alone moves a step
    assert progress.status == StepProgress.Status.NOT_STARTED
    assert (progress.started_at, progress.completed_at) == (None, None)
    assert progress.due_on == dt.date(2026, 4, 1)


# An assignment is given with a due date still ahead, and may be moved later.
DUE = timezone.localdate() + dt.timedelta(days=30)
MOVED = DUE + dt.timedelta(days=14)


def _assignment_rows(objective, description="Actions agreed"):
    return {
        "success_criteria-TOTAL_FORMS": "1",
        "success_criteria-0-description": description,
        "success_criteria-0-performance_objective": objective,
    }


def test_an_assignment_is_given_with_its_criteria_and_changed_through_its_services(
    admin_client, spy
):
    created = spy(programs_admin, "assignment_create")
    updated = spy(programs_admin, "assignment_update")
    enrolment = EnrolmentFactory()
    objective = PerformanceObjectiveFactory(program=enrolment.program)

    added = submit(
        admin_client,
        url_of(Assignment, "add"),
        {
            "enrolment": enrolment,
            "title": "Lead the escalation review",
            "brief": "Run the weekly review.",
            "scenario_kind": Assignment.ScenarioKind.CUSTOMER_ESCALATION,
            "due_on": DUE.isoformat(),
            **_assignment_rows(objective),
        },
    )
    assignment = Assignment.objects.get(enrolment=enrolment)
    changed = submit(
        admin_client, url_of(Assignment, "change", assignment), {"due_on": MOVED.isoformat()}
    )

    assert (added.status_code, changed.status_code) == (302, 302)
    [call] = created
    assert call["criteria"] == [
        {"description": "Actions agreed", "performance_objective": objective}
    ]
    assert [c.description for c in assignment.success_criteria.all()] == ["Actions agreed"]
    assert updated == [{"assignment": assignment, "due_on": MOVED}]


def test_an_assignment_without_criteria_or_of_another_programs_objective_is_refused(admin_client):
    enrolment = EnrolmentFactory()
    fields = {
        "enrolment": enrolment,
        "title": "Lead the escalation review",
        "brief": "Run the weekly review.",
        "scenario_kind": Assignment.ScenarioKind.CUSTOMER_ESCALATION,
        "due_on": DUE.isoformat(),
    }

    bare = submit(admin_client, url_of(Assignment, "add"), fields)
    foreign = submit(
        admin_client,
        url_of(Assignment, "add"),
        {**fields, **_assignment_rows(PerformanceObjectiveFactory())},
    )

    assert (bare.status_code, foreign.status_code) == (200, 200)
    assert "Name at least one success criterion." in page_text(bare)
    assert "Choose a performance objective of this program." in page_text(foreign)
    assert not Assignment.objects.exists()


def test_a_level_of_a_draft_framework_is_described_through_its_service(admin_client, spy):
    described = spy(objectives_admin, "proficiency_level_update")
    level = FrameworkFactory().scales.create(name="Four levels").levels.create(rank=1, name="Aware")

    response = submit(
        admin_client,
        url_of(ProficiencyLevel, "change", level),
        {"description": "Knows the model and when to use it."},
    )

    assert response.status_code == 302
    assert described == [{"level": level, "description": "Knows the model and when to use it."}]
    assert admin_client.get(url_of(ProficiencyLevel, "add")).status_code == 403


def test_a_level_of_a_published_framework_is_refused_on_the_form(admin_client):
    framework = FrameworkFactory(status="published", published_at=timezone.now())
    level = framework.scales.create(name="Four levels").levels.create(rank=1, name="Aware")

    response = submit(admin_client, url_of(ProficiencyLevel, "change", level), {"name": "New"})

    assert response.status_code == 200
    assert "start a new version to change it" in page_text(response)
    level.refresh_from_db()
    assert level.name == "Aware"


def test_the_admin_holds_to_the_pages_input_rules(admin_client):
    # A far date or a control character is refused on the admin's form as on the pages'.
    response = submit(
        admin_client,
        url_of(Program, "add"),
        {
            "name": "Coaching\x07 managers",
            "slug": "coaching-managers",
            "business_goal": "Keep more of our people.",
            "owner": UserFactory(),
            "starts_on": "9999-12-31",
        },
    )

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert set(errors) >= {"name", "starts_on"}
    assert not Program.objects.filter(slug="coaching-managers").exists()
