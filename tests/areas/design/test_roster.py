"""A program's roster: learners against the steps of a pathway version, with filters, paging
and a CSV, for the people who design the program."""

import csv
import io
from datetime import UTC, datetime, timedelta
from datetime import date as dt_date

import pytest
from django.urls import reverse
from django.utils import timezone

from programs.models import Enrolment, ProgressEvent, Step, StepProgress
from programs.services import enrolment_create, step_sign_off, step_skip
from tests import factories as f

pytestmark = pytest.mark.django_db

C, S = Step.Completion, StepProgress.Status
TODAY = timezone.localdate()


@pytest.fixture
def program(django_capture_on_commit_callbacks):
    """Three learners on a two-step pathway: Ana has done the first step, Ben is overdue
    on it and has not moved for 30 days, Cleo is competent."""
    program = f.ProgramFactory(competency_needs_objectives=False)
    pathway = f.PathwayFactory(program=program)
    f.StepFactory(pathway=pathway, position=1, title="Read", completed_by=C.LEARNER, due_days=7)
    f.StepFactory(pathway=pathway, position=2, title="Practise", completed_by=C.LEARNER)
    cohort = f.CohortFactory(program=program, name="Wave 1")
    people = {}
    for first, last, days, employee_id in (
        ("Ana", "Alvarez", 3, "E-101"),
        ("Ben", "Brown", 30, "E-204"),
        ("Cleo", "Chen", 20, "E-305"),
    ):
        with django_capture_on_commit_callbacks(execute=True):
            people[first] = enrolment_create(
                learner=f.UserFactory(first_name=first, last_name=last, employee_id=employee_id),
                program=program,
                enrolled_on=TODAY - timedelta(days=days),
                supervisor=f.UserFactory(),
                cohort=cohort if first != "Cleo" else None,
            )
    with django_capture_on_commit_callbacks(execute=True):
        ana = people["Ana"]
        step_sign_off(progress=ana.progress.get(step__position=1), by=ana.learner, note="Read it.")
    Enrolment.objects.filter(pk=people["Cleo"].pk).update(competent_on=TODAY - timedelta(days=2))
    # Ben's only event is the first step opening, 30 days ago
    ProgressEvent.objects.filter(enrolment=people["Ben"]).update(
        occurred_at=timezone.now() - timedelta(days=30)
    )
    return program, people


def _roster(client, program, **query):
    return client.get(reverse("design:roster", args=[program.pk]), query)


def test_the_owner_reads_who_stands_where_on_each_step(client, program):
    program, people = program
    client.force_login(program.owner)
    response = _roster(client, program)
    assert response.status_code == 200
    text = response.text
    assert "3 learners on version 1." in text
    # the choice says who is on each version (as the browser shows it, spaces collapsed)
    assert "Version 1 (published, 3 learners)" in " ".join(text.split())
    for enrolment in people.values():
        assert reverse("team:learner", args=[enrolment.pk]) in text
    ben_due = people["Ben"].progress.get(step__position=1).due_on
    assert ben_due < TODAY  # seven days after he enrolled 30 days ago
    assert f"!{ben_due.strftime('%-d %b')}" in text
    assert "30 days ago" in text
    assert (TODAY - timedelta(days=2)).strftime("%-d %b %Y") in text  # Cleo, competent


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        ({"q": "brown"}, {"Ben"}),
        ({"q": "ana alv"}, {"Ana"}),
        ({"q": "E-204"}, {"Ben"}),  # the employee ID the enrol page takes
        ({"q": "e-305"}, {"Cleo"}),
        ({"q": "E-20"}, set()),  # an ID is matched whole, not a part of it
        ({"status": "active"}, {"Ana", "Ben", "Cleo"}),
        ({"competent": "yes"}, {"Cleo"}),
        ({"competent": "no"}, {"Ana", "Ben"}),
        ({"overdue": "on"}, {"Ben", "Cleo"}),
        ({"stuck": "14"}, {"Ben", "Cleo"}),
        ({"stuck": "25"}, {"Ben"}),
        ({"cohort": "wave"}, {"Ana", "Ben"}),
    ],
)
def test_the_roster_filters_by_name_status_competency_overdue_stuck_and_cohort(
    client, program, query, listed
):
    program, people = program
    if query.get("cohort"):
        query["cohort"] = program.cohorts.get().pk
    client.force_login(program.owner)
    text = _roster(client, program, **query).text
    shown = {name for name, e in people.items() if str(e.learner) in text}
    assert shown == listed


@pytest.mark.parametrize("stuck", ["0", "soon", "99999"])
def test_a_bad_filter_is_said_plainly_and_lists_nobody(client, program, stuck):
    program, people = program
    client.force_login(program.owner)
    response = _roster(client, program, stuck=stuck)
    assert response.status_code == 200
    assert 'class="invalid-feedback"' in response.text
    assert str(people["Ana"].learner) not in response.text
    assert stuck in response.text  # what was typed stays in the box


def test_the_csv_lists_every_filtered_learner_with_each_steps_state(client, program):
    program, people = program
    people["Ana"].learner.first_name = "=HYPERLINK(1)"
    people["Ana"].learner.save()
    client.force_login(program.owner)
    response = _roster(client, program, format="csv", competent="no")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][-2:] == ["step 1: Read", "step 2: Practise"]
    by_email = {row[1]: row for row in rows[1:]}
    assert set(by_email) == {people["Ana"].learner.email, people["Ben"].learner.email}
    ana = by_email[people["Ana"].learner.email]
    assert ana[0].startswith("'=HYPERLINK")  # a spreadsheet will not run it
    assert ana[-2].startswith("Completed (")
    assert ana[-1].startswith("In progress")
    assert "overdue" in by_email[people["Ben"].learner.email][-2]


def test_a_completed_learner_shows_when_they_last_moved_on_the_page_as_in_the_csv(client, program):
    program, people = program
    cleo = people["Cleo"]
    moved = timezone.now() - timedelta(days=4)
    ProgressEvent.objects.filter(enrolment=cleo).update(occurred_at=moved)
    Enrolment.objects.filter(pk=cleo.pk).update(
        status=Enrolment.Status.COMPLETED, completed_on=timezone.localdate(moved)
    )
    client.force_login(program.owner)

    page = _roster(client, program).text
    rows = list(csv.DictReader(io.StringIO(_csv_text(client, program))))

    (row,) = (r for r in page.split("<tr>") if str(cleo.learner) in r)
    assert timezone.localdate(moved).strftime("%-d %b %Y") in row
    assert "days ago" not in row  # only an active learner can be stuck
    (line,) = (r for r in rows if r["email"] == cleo.learner.email)
    assert line["last progress"] == timezone.localdate(moved).isoformat()


@pytest.mark.parametrize(
    ("first_name", "last_name", "username", "written"),
    [
        ("Zoë", 'O"Brien, Jr', "zo", 'Zoë O"Brien, Jr'),  # a quote and a comma
        ("Multi", "Line\nName", "ml", "Multi Line\nName"),  # a line break kept in its field
        ("+1", "Caller", "caller", "'+1 Caller"),  # a formula a spreadsheet would run
        ("", "", "@only", "'@only"),  # no name: the username, guarded too
        ("Solo", "", "solo", "Solo"),  # one name: no stray space
    ],
)
def test_the_database_writes_each_csv_field_as_a_csv_reader_reads_it(
    client, program, first_name, last_name, username, written
):
    program, people = program
    learner = people["Ana"].learner
    learner.first_name, learner.last_name, learner.username = first_name, last_name, username
    learner.email = "=cmd|' /C calc'!A0@example.com"
    learner.save()
    people["Ana"].cohort.name = 'Wave "1", north'
    people["Ana"].cohort.save()
    client.force_login(program.owner)

    text = _csv_text(client, program)

    assert text.endswith("\r\n")
    assert "\r\n\r\n" not in text
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert len(rows) == 4
    assert all(len(row) == len(rows[0]) == 11 for row in rows)
    (ana,) = (row for row in rows if row[1].startswith("'=cmd"))
    assert ana[:5] == [
        written,
        "'=cmd|' /C calc'!A0@example.com",
        'Wave "1", north',
        str(people["Ana"].supervisor),
        "Active",
    ]
    assert ana[5] == people["Ana"].enrolled_on.isoformat()
    cleo = next(row for row in rows if row[0] == "Cleo Chen")
    assert cleo[2] == ""  # no cohort


def _csv_text(client, program, **query):
    response = _roster(client, program, format="csv", **query)
    return b"".join(response.streaming_content).decode()


def test_only_the_programs_designers_read_its_roster(client, program):
    program, people = program
    client.force_login(people["Ana"].learner)  # a learner sees the program, not its roster
    assert _roster(client, program).status_code == 403
    client.force_login(f.UserFactory())
    assert _roster(client, program).status_code == 404


def test_a_program_with_no_published_pathway_says_what_to_do(client):
    program = f.ProgramFactory()
    f.PathwayFactory(program=program, status="draft")
    client.force_login(program.owner)
    assert "No learner is on a published pathway yet." in _roster(client, program).text


def _sized_program(learners: int):
    """A three-step pathway with `learners` on it, a cohort for every ten of them."""
    program = f.ProgramFactory()
    pathway = f.PathwayFactory(program=program)
    for position in (1, 2, 3):
        f.StepFactory(pathway=pathway, position=position)
    cohorts = [
        f.CohortFactory(program=program, name=f"Wave {n}") for n in range(1 + learners // 10)
    ]
    for n in range(learners):
        enrolment_create(
            learner=f.UserFactory(),
            program=program,
            enrolled_on=TODAY,
            supervisor=f.UserFactory() if n % 2 else None,
            cohort=cohorts[n // 10],
        )
    return program


@pytest.mark.parametrize("learners", [2, 60])
def test_the_roster_runs_the_same_queries_at_any_size_a_page_at_a_time(
    client, django_assert_num_queries, learners
):
    program = _sized_program(learners)
    client.force_login(program.owner)
    # the page shell (5); the program and its pathway version (2); the count, the page of
    # enrolments, their progress, the steps, the versions and the cohorts (each named
    # without a query of its own)
    with django_assert_num_queries(13):
        response = _roster(client, program)
    assert response.text.count('href="/team/learners/') == min(learners, 50)
    assert ("page=2" in response.text) is (learners > 50)
    with django_assert_num_queries(13):  # a search is part of the same queries
        response = _roster(client, program, q="user")
    assert response.text.count('href="/team/learners/') == min(learners, 50)
    with django_assert_num_queries(13):  # and so are the other filters
        response = _roster(client, program, status="active", competent="no")
    assert response.text.count('href="/team/learners/') == min(learners, 50)


@pytest.mark.parametrize("learners", [2, 60])
def test_the_csv_reads_every_learner_in_the_same_queries_at_any_size(
    client, django_assert_num_queries, monkeypatch, learners
):
    from areas.design.views import roster as roster_view

    monkeypatch.setattr(roster_view, "CSV_BATCH", 25)
    program = _sized_program(learners)
    client.force_login(program.owner)
    # the session and user, the permissions (2), the program, its pathway version and its
    # steps; then the cells of every learner, and the learners, read once a batch at a time
    with django_assert_num_queries(9):
        rows = list(csv.reader(io.StringIO(_csv_text(client, program))))
    assert len(rows) == 1 + learners
    # every learner's own cells (enrolled, nothing opened yet)
    assert all(row[-3:] == ["Not started"] * 3 for row in rows[1:])


def test_the_csv_is_written_a_batch_at_a_time_and_says_skipped_plainly(
    client, program, monkeypatch, django_capture_on_commit_callbacks
):
    from areas.design.views import roster as roster_view

    monkeypatch.setattr(roster_view, "CSV_BATCH", 2)
    program, people = program
    Step.objects.filter(pathway__program=program, position=1).update(
        completed_by=C.SUPERVISOR, skippable=True
    )
    ben = people["Ben"]
    with django_capture_on_commit_callbacks(execute=True):
        step_skip(progress=ben.progress.get(step__position=1), by=ben.supervisor, reason="Does it.")
    client.force_login(program.owner)
    response = _roster(client, program, format="csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert len(rows) == 4  # the heading and all three learners, over two batches
    by_email = {row[1]: row for row in rows[1:]}
    assert by_email[ben.learner.email][-2] == "Skipped"
    assert by_email[ben.learner.email][-1] == "In progress"  # the next step, opened


def test_a_withdrawn_learner_is_never_overdue(client, program):
    program, people = program
    Enrolment.objects.filter(pk=people["Ben"].pk).update(status=Enrolment.Status.WITHDRAWN)
    client.force_login(program.owner)
    text = _roster(client, program, overdue="on").text
    assert str(people["Ben"].learner) not in text
    assert str(people["Cleo"].learner) in text


def test_a_paused_learner_owes_nothing_on_the_page_in_the_filter_and_in_the_csv(client, program):
    program, people = program
    ben = people["Ben"]
    Enrolment.objects.filter(pk=ben.pk).update(status=Enrolment.Status.PAUSED)
    due = ben.progress.get(step__position=1).due_on
    client.force_login(program.owner)
    page = _roster(client, program).text
    (row,) = (r for r in page.split("<tr>") if str(ben.learner) in r)
    assert due.strftime("%-d %b") in row
    assert "overdue" not in row
    assert str(ben.learner) not in _roster(client, program, overdue="on").text
    (line,) = (
        r
        for r in csv.DictReader(io.StringIO(_csv_text(client, program)))
        if r["email"] == ben.learner.email
    )
    assert line["step 1: Read"] == f"In progress (due {due.isoformat()})"


def test_a_sponsor_cannot_read_the_roster_and_an_hr_admin_can(client, program):
    program, _ = program
    sponsor = f.UserFactory()
    program.sponsors.add(sponsor)
    client.force_login(sponsor)
    assert _roster(client, program).status_code == 403
    assert _roster(client, program, format="csv").status_code == 403
    client.force_login(f.HRAdminFactory())
    assert _roster(client, program).status_code == 200


def test_the_program_page_says_what_completes_each_step_and_when_a_learner_is_competent(
    client, program
):
    program, _ = program
    program.competency_needs_objectives = True
    program.competency_min_rank = 3
    program.save()
    client.force_login(program.owner)
    text = client.get(reverse("design:program", args=[program.pk])).text
    assert "Completes when: The learner marks it done, with a short note." in text
    assert "Due 7 days after it unlocks." in text
    assert "A learner reaches competency when every performance objective" in text
    assert "level 3 or above" in text
    assert reverse("design:roster", args=[program.pk]) in text


def test_the_next_page_keeps_the_filters(client):
    program = f.ProgramFactory()
    f.StepFactory(pathway=f.PathwayFactory(program=program), position=1)
    for _ in range(51):
        enrolment_create(
            learner=f.UserFactory(), program=program, enrolled_on=TODAY, supervisor=None
        )
    client.force_login(program.owner)
    response = _roster(client, program, status="active")
    assert 'href="?status=active&amp;page=2"' in response.text
    assert "Page 1 of 2" in response.text
    second = _roster(client, program, status="active", page=2)
    assert second.text.count('href="/team/learners/') == 1


def test_the_csv_writes_each_step_as_the_page_means_it(client, program):
    program, people = program
    ana, ben = people["Ana"], people["Ben"]
    done = ana.progress.get(step__position=1)
    due = ben.progress.get(step__position=1).due_on
    # Cleo never reached the second step: her row has none for it
    StepProgress.objects.filter(enrolment=people["Cleo"], step__position=2).delete()
    client.force_login(program.owner)
    rows = {row["email"]: row for row in csv.DictReader(io.StringIO(_csv_text(client, program)))}
    first, second = "step 1: Read", "step 2: Practise"
    assert rows[ana.learner.email][first] == (
        f"Completed ({timezone.localdate(done.completed_at).isoformat()})"
    )
    assert rows[ben.learner.email][first] == f"In progress (due {due.isoformat()}, overdue)"
    assert rows[ben.learner.email][second] == "Not started"
    assert rows[people["Cleo"].learner.email][second] == ""
    # the same step, due in the future: its day without "overdue"
    later = TODAY + timedelta(days=3)
    StepProgress.objects.filter(pk=ben.progress.get(step__position=1).pk).update(due_on=later)
    rows = {row["email"]: row for row in csv.DictReader(io.StringIO(_csv_text(client, program)))}
    assert rows[ben.learner.email][first] == f"In progress (due {later.isoformat()})"
    # completed late in the evening in UTC: already the next day where the reader is
    evening = datetime(2026, 7, 1, 23, 30, tzinfo=UTC)
    StepProgress.objects.filter(pk=done.pk).update(started_at=None, completed_at=evening)
    program.owner.time_zone = "Europe/London"
    program.owner.save(update_fields=["time_zone"])
    rows = {row["email"]: row for row in csv.DictReader(io.StringIO(_csv_text(client, program)))}
    assert rows[ana.learner.email][first] == "Completed (2026-07-02)"


def test_each_row_links_the_learner_and_their_enrolment_and_says_where_they_stand(client, program):
    program, people = program
    ana = people["Ana"]
    Enrolment.objects.filter(pk=people["Ben"].pk).update(status=Enrolment.Status.PAUSED)
    # Ana finished the first step late in the evening in UTC: the next day in London
    evening = datetime(2026, 7, 1, 23, 30, tzinfo=UTC)
    ana.progress.filter(step__position=1).update(started_at=None, completed_at=evening)
    program.owner.time_zone = "Europe/London"
    program.owner.save(update_fields=["time_zone"])
    client.force_login(program.owner)
    rows = {
        name: row
        for row in _roster(client, program).text.split("<tr>")[2:]
        for name in ("Ana", "Ben", "Cleo")
        if f"{name} " in row
    }
    for name, enrolment in people.items():
        assert f'href="{reverse("team:learner", args=[enrolment.pk])}"' in rows[name]
        manage = reverse("design:enrolment", args=[program.pk, enrolment.pk])
        assert f'href="{manage}">Manage</a>' in rows[name]
    assert "Active" in rows["Ana"]
    assert "Paused" in rows["Ben"]
    assert 'title="Completed 2 Jul 2026"' in rows["Ana"]


@pytest.mark.parametrize(
    ("zone", "day"),
    [
        ("Etc/GMT-14", "2026-03-05"),  # UTC+14: 02:00 the next day
        ("Pacific/Pago_Pago", "2026-03-04"),  # UTC-11: 01:00 the same day
        ("Etc/GMT+12", "2026-03-04"),  # UTC-12: 00:00 the same day
    ],
)
def test_the_csv_writes_each_day_where_the_reader_is(client, program, zone, day):
    program, people = program
    ana, cleo = people["Ana"], people["Cleo"]
    moment = datetime(2026, 3, 4, 12, 0, tzinfo=UTC)
    ana.progress.filter(step__position=1).update(started_at=None, completed_at=moment)
    ProgressEvent.objects.filter(enrolment=ana).update(occurred_at=moment)
    Enrolment.objects.filter(pk=cleo.pk).update(supervisor=None)
    program.owner.time_zone = zone
    program.owner.save(update_fields=["time_zone"])
    client.force_login(program.owner)

    rows = {row["email"]: row for row in csv.DictReader(io.StringIO(_csv_text(client, program)))}

    assert rows[ana.learner.email]["last progress"] == day
    assert rows[ana.learner.email]["step 1: Read"] == f"Completed ({day})"
    assert rows[cleo.learner.email]["supervisor"] == ""
    page = _roster(client, program).text
    shown = dt_date.fromisoformat(day)
    assert f"{shown.day} {shown:%b %Y}" in page  # the page shows the same day
