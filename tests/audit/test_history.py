"""The audit history of HR records: each change keeps who made it, when, through which
channel and what it changed, and HR admins read it on the record's history page."""

import datetime as dt
import sys
from decimal import Decimal

import pytest
from django.apps import apps
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

import manage
from measurement.models import CostItem, Measurement, OutcomeMetric, ReviewComment, SponsorReview
from measurement.services import cost_item_add, cost_item_remove
from measurement.tasks import roll_up_sponsor_reviews
from people.models import OrgUnit
from people.services import person_password_set, person_update
from programs.models import Enrolment, Pathway, Program, Step
from programs.services import pathway_publish, pathway_reorder, program_update
from talentdev.core.changelog import is_tracked
from talentdev.core.channel import Channel, acting_through
from tests import factories as f

pytestmark = pytest.mark.django_db

METRIC = {
    "name": "Repeat calls",
    "kind": "quality",
    "unit": "points",
    "direction": "increase",
    "aggregation": "mean",
    "baseline": "70",
    "target": "80",
}


def history_url(record) -> str:
    return reverse("design:history", args=[record._meta.label_lower, record.pk])


def latest(record):
    return record.history.order_by("-history_date", "-history_id").first()


def test_a_change_on_a_designers_page_records_who_what_and_the_page(client):
    program = f.ProgramFactory()
    metric = f.OutcomeMetricFactory(program=program, **{**METRIC, "target": Decimal("80")})
    client.force_login(program.owner)

    response = client.post(
        reverse("design:metric_edit", args=[program.pk, metric.pk]), {**METRIC, "target": "85"}
    )

    assert response.status_code == 302
    change = latest(metric)
    assert (change.history_type, change.history_user, change.history_channel) == (
        "~",
        program.owner,
        "page",
    )
    assert (change.prev_record.target, change.target) == (Decimal("80"), Decimal("85"))


def test_a_change_in_the_admin_is_recorded_as_the_admins(admin_client, admin_user):
    unit = f.OrgUnitFactory(name="Sales")

    response = admin_client.post(
        reverse("admin:people_orgunit_change", args=[unit.pk]),
        {"code": unit.code, "name": "Sales and service", "parent": ""},
    )

    assert response.status_code == 302, response.content
    change = latest(unit)
    assert (change.name, change.history_user, change.history_channel) == (
        "Sales and service",
        admin_user,
        "admin",
    )
    history = admin_client.get(reverse("admin:people_orgunit_history", args=[unit.pk]))
    assert "Sales and service" in history.text


def test_an_api_clients_change_names_the_client_and_no_person(client_with):
    caller = client_with(["enrolments:write", "evidence:read"], name="Workday")
    program = f.PathwayFactory().program
    f.UserFactory(employee_id="L1", manager=f.UserFactory())

    response = caller.post(
        "/api/v1/enrolments",
        {"learner_employee_id": "L1", "program_id": str(program.uuid)},
        format="json",
    )

    assert response.status_code == 201, response.content
    created = Enrolment.objects.get().history.get()
    assert (created.history_type, created.history_user, created.history_channel) == (
        "+",
        None,
        "api",
    )
    assert created.history_source == "Workday"


def test_a_bulk_write_records_every_row(client_with):
    caller = client_with(["measurements:write", "evidence:read"], name="BI")
    enrolment = f.EnrolmentFactory()
    metric = f.OutcomeMetricFactory(program=enrolment.program)
    at = "2026-03-01T00:00:00Z"
    program_value = {"metric_id": str(metric.uuid), "measured_at": at, "value": "71.5"}
    learner_value = {**program_value, "enrolment_id": str(enrolment.uuid), "value": "3"}

    caller.post("/api/v1/measurements/bulk", {"records": [program_value]}, format="json")
    response = caller.post(
        "/api/v1/measurements/bulk",
        {"records": [{**program_value, "value": "72"}, learner_value]},
        format="json",
    )

    assert response.status_code == 200, response.content
    rows = Measurement.history.order_by("history_id")
    assert [(r.history_type, r.value, r.history_source) for r in rows] == [
        ("+", Decimal("71.5"), "BI"),
        ("~", Decimal("72"), "BI"),
        ("+", Decimal("3"), "BI"),
    ]


def test_a_csv_import_records_every_value_it_creates(client):
    program = f.ProgramFactory()
    f.OutcomeMetricFactory(program=program, name="CSAT")
    client.force_login(program.owner)
    csv = "metric,measured_at,value\nCSAT,2026-10-01,71\nCSAT,2026-11-01,74.5\n"

    client.post(
        reverse("design:metrics", args=[program.pk]),
        {"form": "import", "file": SimpleUploadedFile("v.csv", csv.encode())},
    )

    rows = Measurement.history.order_by("value")
    assert [(r.history_type, r.value, r.history_user, r.history_channel) for r in rows] == [
        ("+", Decimal("71"), program.owner, "page"),
        ("+", Decimal("74.5"), program.owner, "page"),
    ]
    assert {r.id for r in rows} == set(Measurement.objects.values_list("pk", flat=True))


def test_a_job_records_its_changes_under_its_task_name():
    program = f.ProgramFactory(status=Program.Status.ACTIVE)

    # As a worker runs it: through Celery, whose signals say a job is running.
    roll_up_sponsor_reviews.apply().get()

    created = SponsorReview.objects.get(program=program).history.get()
    assert (created.history_type, created.history_user, created.history_channel) == (
        "+",
        None,
        "job",
    )
    assert created.history_source == "measurement.tasks.roll_up_sponsor_reviews"


# The shell closes the connection as it ends, as a command does.
@pytest.mark.django_db(transaction=True)
def test_a_command_records_its_changes_under_its_name(monkeypatch):
    code = "from people.services import org_unit_create; org_unit_create(code='hq', name='HQ')"
    monkeypatch.setattr(sys, "argv", ["manage.py", "shell", "-c", code])

    manage.main()

    created = OrgUnit.objects.get(code="hq").history.get()
    assert (created.history_channel, created.history_source) == ("command", "shell")


def test_a_change_outside_any_channel_names_none():
    unit = f.OrgUnitFactory()
    assert (latest(unit).history_channel, latest(unit).history_source) == ("", "")


# The history page


@pytest.fixture
def hr_admin(client):
    admin = f.HRAdminFactory(time_zone="Asia/Tokyo")
    client.force_login(admin)
    return admin


def test_an_hr_admin_reads_what_changed_from_what_to_what(client, hr_admin):
    old_owner, new_owner = (
        f.UserFactory(first_name="Ada", last_name="Old"),
        f.UserFactory(first_name="Bea", last_name="New"),
    )
    program = f.ProgramFactory(owner=old_owner, status=Program.Status.DRAFT)
    program_update(program=program, owner=new_owner, status=Program.Status.ACTIVE)
    created, changed = program.history.order_by("history_id")
    for row, minute in ((created, 0), (changed, 30)):
        row.history_date = dt.datetime(2026, 3, 1, 9, minute, tzinfo=dt.UTC)
        row.save()

    response = client.get(history_url(program))

    assert response.status_code == 200
    text = " ".join(response.text.split())
    # The owner by name, the status by its label, the time in the reader's time zone.
    assert "<td>Ada Old</td> <td>Bea New</td>" in text
    assert "<td>Draft</td> <td>Active</td>" in text
    assert "1 Mar 2026 18:30" in text
    assert text.index("Changed by System") < text.index("Created by System")


def test_the_history_names_the_client_or_the_job_that_changed_a_record(client, hr_admin):
    unit = f.OrgUnitFactory()
    history = OrgUnit.history.filter(id=unit.pk)
    history.update(history_channel="api", history_source="Workday")
    assert "Created by HR system: Workday" in client.get(history_url(unit)).text
    history.update(history_channel="job", history_source="people.tasks.sync")
    assert "Created by Job: people.tasks.sync" in client.get(history_url(unit)).text


def test_a_designer_who_is_no_hr_admin_may_not_read_it(client):
    program = f.ProgramFactory()
    client.force_login(program.owner)

    assert client.get(history_url(program)).status_code == 403
    # Nor is the link offered on their program page.
    page = client.get(reverse("design:program", args=[program.pk]))
    assert history_url(program) not in page.text


def test_an_hr_admin_finds_the_link_on_the_records_page(client, hr_admin):
    program = f.ProgramFactory()
    page = client.get(reverse("design:program", args=[program.pk]))
    assert history_url(program) in page.text


def test_someone_who_cannot_see_the_record_gets_not_found(client):
    program = f.ProgramFactory()
    client.force_login(f.UserFactory())
    assert client.get(history_url(program)).status_code == 404
    client.force_login(f.ProgramFactory().owner)
    assert client.get(history_url(program)).status_code == 404


def test_every_tracked_model_says_through_the_access_rules_who_sees_its_rows():
    stranger = f.UserFactory()
    tracked = [model for model in apps.get_models() if is_tracked(model)]
    assert tracked
    for model in tracked:
        # One place answers for every record: its model's visible_to.
        assert list(model._default_manager.visible_to(stranger).filter(pk=0)) == []


def test_a_review_comment_is_seen_through_its_review(client):
    review = f.SponsorReviewFactory()
    sponsor = f.UserFactory()
    review.program.sponsors.add(sponsor)
    comment = ReviewComment.objects.create(review=review, author=sponsor, body="Good quarter")

    client.force_login(sponsor)  # sees it, may not read its history
    assert client.get(history_url(comment)).status_code == 403
    client.force_login(f.UserFactory())
    assert client.get(history_url(comment)).status_code == 404
    assert not ReviewComment.objects.visible_to(f.ProgramFactory().owner).exists()
    assert list(ReviewComment.objects.visible_to(review.program.owner)) == [comment]


def test_a_label_of_no_tracked_model_is_not_found(client, hr_admin):
    progress = f.StepProgressFactory()
    assert client.get(reverse("design:history", args=["nothing.here", 1])).status_code == 404
    assert client.get(history_url(progress)).status_code == 404
    program = f.ProgramFactory()
    missing = reverse("design:history", args=["programs.program", program.pk + 1])
    assert client.get(missing).status_code == 404


def test_a_deleted_record_keeps_its_history_for_hr_admins_only(client, hr_admin):
    program = f.ProgramFactory()
    item = cost_item_add(
        program=program,
        category=CostItem.Category.DELIVERY,
        description="Facilitator",
        incurred_on=dt.date(2026, 2, 1),
        amount=Decimal("1200"),
        recorded_by=program.owner,
    )
    url = history_url(item)
    cost_item_remove(item=item)

    response = client.get(url)

    assert response.status_code == 200
    assert "has been deleted" in response.text
    assert "Deleted by System" in response.text
    assert "<td>1200</td>" in response.text
    client.force_login(program.owner)
    assert client.get(url).status_code == 404


def _changes(metric, n):
    """`n` changes to the metric in all, its creation included, alternating its program."""
    other = f.ProgramFactory()
    for i in range(n - 1):
        metric.program = other if i % 2 == 0 else metric.program
        metric.target = Decimal(81 + i)
        metric.save()


def test_the_history_is_paged_25_at_a_time(client, hr_admin):
    metric = f.OutcomeMetricFactory(target=Decimal("80"))
    _changes(metric, 30)
    url = history_url(metric)

    first = client.get(url)
    second = client.get(url, {"page": 2})

    assert first.text.count("Changed by") == 25
    assert "Created by" not in first.text
    assert "?page=2" in first.text
    assert (second.text.count("Changed by"), second.text.count("Created by")) == (4, 1)
    # The oldest change of page 1 is still compared with the one before it.
    assert "<td>85</td> <td>86</td>" in " ".join(first.text.split())


@pytest.mark.parametrize("n", [2, 30])
def test_a_page_of_history_runs_the_same_queries_however_long(
    client, hr_admin, django_assert_num_queries, n
):
    metric = f.OutcomeMetricFactory(target=Decimal("80"))
    _changes(metric, n)
    client.get(history_url(OutcomeMetric.objects.first()))  # the session, warmed

    # The session and person, the person's permissions (2: an HR admin?), the metric, the
    # page of history, the names of the programs it names, and the navigation.
    with django_assert_num_queries(8):
        response = client.get(history_url(metric))

    assert response.status_code == 200


def test_a_new_order_of_steps_records_each_step_that_moved():
    pathway = f.PathwayFactory(status=Pathway.Status.DRAFT, published_at=None)
    first, second, third = (f.StepFactory(pathway=pathway, position=n) for n in (1, 2, 3))

    pathway_reorder(pathway=pathway, step_ids=[second.pk, first.pk, third.pk])

    moved = Step.history.filter(history_type="~").order_by("position")
    assert [(row.id, row.position) for row in moved] == [(second.pk, 1), (first.pk, 2)]


def test_publishing_a_pathway_records_the_one_it_retires():
    old = f.PathwayFactory()
    new = f.PathwayFactory(
        program=old.program, version=2, status=Pathway.Status.DRAFT, published_at=None
    )
    f.StepFactory(pathway=new)

    pathway_publish(pathway=new)

    assert [row.status for row in old.history.order_by("history_id")] == ["published", "retired"]
    assert latest(new).status == "published"


def test_signing_in_or_a_new_password_records_nothing(client):
    person = f.UserFactory(password="old-secret-42")
    before = person.history.count()

    signed_in = client.post(
        reverse("login"), {"username": person.username, "password": "old-secret-42"}
    )
    assert signed_in.status_code == 302
    person_password_set(person=person, password="a-new-secret-42")
    person_update(person=person, job_title="Team lead")

    rows = person.history.order_by("history_id")
    assert rows.count() == before + 1
    assert rows.last().job_title == "Team lead"


def test_making_someone_a_sponsor_or_no_longer_one_is_in_the_programs_history(client, hr_admin):
    program = f.ProgramFactory()
    ana = f.UserFactory(first_name="Ana", last_name="Berg")
    program.sponsors.add(ana)
    program.sponsors.remove(ana)
    # from the other side: a person made a sponsor, then their sponsorships cleared
    ana.sponsored_programs.add(program)
    ana.sponsored_programs.clear()

    notes = list(
        program.history.exclude(history_change_reason=None)
        .order_by("history_id")
        .values_list("history_change_reason", flat=True)
    )

    assert notes == [
        "Sponsors: added Ana Berg",
        "Sponsors: removed Ana Berg",
        "Sponsors: added Ana Berg",
        "Sponsors: removed Ana Berg",
    ]
    text = " ".join(client.get(history_url(program)).text.split())
    assert "Sponsors: removed Ana Berg" in text
    assert "Sponsors: added Ana Berg" in text


def test_granting_hr_admin_is_in_the_persons_history_with_the_channel():
    person = f.UserFactory()
    permission = Permission.objects.get(codename="administer_programs")
    with acting_through(Channel.ADMIN):
        person.user_permissions.add(permission)
    person.user_permissions.clear()

    added, cleared = person.history.exclude(history_change_reason=None).order_by("history_id")

    assert added.history_change_reason == f"Permissions: added {permission}"
    assert added.history_channel == Channel.ADMIN
    assert cleared.history_change_reason == f"Permissions: removed {permission}"


def test_a_save_that_changes_no_link_records_no_note():
    program = f.ProgramFactory()
    program.sponsors.add()  # nothing
    program.sponsors.set([])
    assert not program.history.exclude(history_change_reason=None).exists()
