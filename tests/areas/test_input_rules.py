"""What people type is bounded before it is saved: sane years, no control characters,
numbers that fit their column, known form selectors; and a stored time at the end of the
calendar never breaks a page."""

import datetime as dt
from datetime import timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from coaching.models import PeerFeedbackRequest
from measurement.models import Measurement, ReviewComment, ReviewDecision
from measurement.rollups import sponsor_review_rollup
from tests import factories as f

pytestmark = pytest.mark.django_db

YEARS = "Enter a date between the years 1900 and 2100."
CONTROL = "Remove the invisible control characters (such as NUL) from this text."
END_OF_TIME = dt.datetime(9999, 12, 31, 23, 59, tzinfo=dt.UTC)


# Dates


def test_a_peer_request_due_in_the_year_9999_is_refused_and_what_was_typed_stays(client):
    enrolment = f.EnrolmentFactory()
    peer = f.colleague_of(enrolment.learner)
    client.force_login(enrolment.supervisor)
    url = reverse("team:peer_request", args=[enrolment.pk])
    data = {"reviewer": peer.username, "prompt": "How clear?", "due_at": "9999-12-31T23:59"}

    response = client.post(url, data)

    assert response.status_code == 200
    assert response.context["form"].errors["due_at"] == [YEARS]
    assert "How clear?" in response.text
    assert not PeerFeedbackRequest.objects.exists()


def test_a_peer_inbox_shows_a_request_stored_due_at_the_end_of_the_calendar(client):
    reviewer = f.UserFactory(time_zone="Asia/Singapore")
    enrolment = f.EnrolmentFactory()
    PeerFeedbackRequest.objects.create(
        enrolment=enrolment,
        requested_by=enrolment.supervisor,
        reviewer=reviewer,
        prompt="Still asked?",
        due_at=END_OF_TIME,
    )
    client.force_login(reviewer)

    response = client.get(reverse("team:peer_inbox"))

    assert response.status_code == 200
    assert "Still asked?" in response.text
    assert "31 Dec, 23:59" in response.text  # as stored, in UTC


def test_a_time_is_still_shown_in_the_viewers_own_zone(client):
    reviewer = f.UserFactory(time_zone="Asia/Singapore")
    enrolment = f.EnrolmentFactory()
    PeerFeedbackRequest.objects.create(
        enrolment=enrolment,
        requested_by=enrolment.supervisor,
        reviewer=reviewer,
        prompt="Soon?",
        due_at=dt.datetime(2027, 1, 4, 23, 30, tzinfo=dt.UTC),
    )
    client.force_login(reviewer)
    page = client.get(reverse("team:peer_inbox")).text
    assert "5 Jan" in page  # 07:30 the next morning in Singapore
    assert "4 Jan" not in page


@pytest.fixture
def program(client):
    program = f.ProgramFactory()
    client.force_login(program.owner)
    return program


def test_a_value_measured_in_the_year_9999_is_refused_on_the_form(client, program):
    metric = f.OutcomeMetricFactory(program=program)
    response = client.post(
        reverse("design:metrics", args=[program.pk]),
        {
            "form": "measurement",
            "metric": metric.pk,
            "measured_at": "9999-12-31T23:59",
            "value": "3",
        },
    )
    assert response.status_code == 200
    assert response.context["measurement_form"].errors["measured_at"] == [YEARS]
    assert not Measurement.objects.exists()


def test_the_metrics_page_shows_a_value_stored_at_the_end_of_the_calendar(client, program):
    program.owner.time_zone = "Asia/Singapore"
    program.owner.save(update_fields=["time_zone"])
    metric = f.OutcomeMetricFactory(program=program)
    f.MeasurementFactory(metric=metric, measured_at=END_OF_TIME)
    response = client.get(reverse("design:metrics", args=[program.pk]))
    assert response.status_code == 200


EDGE = "Enter a time from 1 Jan 1900, 00:00 UTC to 31 Dec 2100, 23:59 UTC."


def _measure(client, program, metric, measured_at):
    return client.post(
        reverse("design:metrics", args=[program.pk]),
        {"form": "measurement", "metric": metric.pk, "measured_at": measured_at, "value": "3"},
    )


# The first minute a form takes, 1 Jan 1900, 00:00 UTC, as typed at both ends of the clock
# (UTC+14 and UTC-11; in 1900 the islands kept their local mean time, so fixed offsets),
# then the minute before. (A value is never measured ahead: the last minute is a peer
# request's, below.)
@pytest.mark.parametrize(
    ("zone", "typed", "beyond"),
    [
        ("Etc/GMT-14", "1900-01-01T14:00", "1900-01-01T13:59"),
        ("Etc/GMT+11", "1899-12-31T13:00", "1899-12-31T12:59"),
    ],
)
def test_the_first_minute_is_taken_in_every_zone_and_charted_in_every_zone(
    client, program, zone, typed, beyond
):
    moment = dt.datetime(1900, 1, 1, tzinfo=dt.UTC)
    program.owner.time_zone = zone
    program.owner.save(update_fields=["time_zone"])
    metric = f.OutcomeMetricFactory(program=program)

    refused = _measure(client, program, metric, beyond)
    taken = _measure(client, program, metric, typed)

    assert refused.context["measurement_form"].errors["measured_at"] == [EDGE]
    assert beyond in refused.text  # kept as typed
    assert taken.status_code == 302, taken.context["measurement_form"].errors
    assert Measurement.objects.get().measured_at == moment
    sponsor = f.UserFactory()
    program.sponsors.add(sponsor)
    client.force_login(sponsor)
    for viewer_zone in ("Pacific/Kiritimati", "Pacific/Pago_Pago", "Etc/GMT-14", "Etc/GMT+11"):
        sponsor.time_zone = viewer_zone
        sponsor.save(update_fields=["time_zone"])
        month = moment.astimezone(ZoneInfo(viewer_zone)).strftime("%b %Y")
        dashboard = client.get(reverse("sponsor:dashboard", args=[program.pk]))
        assert dashboard.status_code == 200
        assert f"<td>{month}</td>" in dashboard.text, viewer_zone


# The last minute a form takes, 31 Dec 2100, 23:59 UTC, typed at UTC+14 and UTC-11 as a
# peer request's due time, then the minute beyond; the reviewer reads it in either zone.
@pytest.mark.parametrize(
    ("zone", "typed", "beyond"),
    [
        ("Pacific/Kiritimati", "2101-01-01T13:59", "2101-01-01T14:00"),
        ("Pacific/Pago_Pago", "2100-12-31T12:59", "2100-12-31T13:00"),
    ],
)
def test_the_last_minute_is_taken_in_every_zone_and_shown_in_every_zone(
    client, zone, typed, beyond
):
    enrolment = f.EnrolmentFactory()
    peer = f.colleague_of(enrolment.learner)
    enrolment.supervisor.time_zone = zone
    enrolment.supervisor.save(update_fields=["time_zone"])
    client.force_login(enrolment.supervisor)
    url = reverse("team:peer_request", args=[enrolment.pk])
    data = {"reviewer": peer.username, "prompt": "How clear?"}

    refused = client.post(url, {**data, "due_at": beyond})
    taken = client.post(url, {**data, "due_at": typed})

    assert refused.context["form"].errors["due_at"] == [EDGE]
    assert beyond in refused.text  # kept as typed
    assert taken.status_code == 302, taken.context["form"].errors
    due = PeerFeedbackRequest.objects.get().due_at
    assert due == dt.datetime(2100, 12, 31, 23, 59, tzinfo=dt.UTC)
    client.force_login(peer)
    for viewer_zone in ("Pacific/Kiritimati", "Pacific/Pago_Pago"):
        peer.time_zone = viewer_zone
        peer.save(update_fields=["time_zone"])
        inbox = client.get(reverse("team:peer_inbox"))
        assert inbox.status_code == 200
        assert due.astimezone(ZoneInfo(viewer_zone)).strftime("%-d %b") in inbox.text


def _csv(text):
    return SimpleUploadedFile("values.csv", text.encode(), content_type="text/csv")


def _import(client, program, text):
    return client.post(
        reverse("design:metrics", args=[program.pk]), {"form": "import", "file": _csv(text)}
    )


def test_an_import_dated_in_the_year_9999_is_refused_by_line(client, program):
    f.OutcomeMetricFactory(program=program, name="CSAT")
    response = _import(client, program, "metric,measured_at,value\nCSAT,9999-12-31,3\n")
    assert (
        "Line 2: “9999-12-31” is out of range (Enter a date between the years 1900 and 2100)."
        in response.text
    )
    assert not Measurement.objects.exists()


def test_an_import_near_the_bound_names_it_in_utc_as_the_form_does(client, program):
    program.owner.time_zone = "America/New_York"
    program.owner.save(update_fields=["time_zone"])
    f.OutcomeMetricFactory(program=program, name="CSAT")
    # 20:00 on 31 Dec 1899 in New York is 01:00 on 1 Jan 1900 in UTC: taken; 18:59 is not
    text = "metric,measured_at,value\nCSAT,1899-12-31T20:00,3\nCSAT,1899-12-31T18:59,4\n"
    response = _import(client, program, text)
    assert (
        "Line 3: “1899-12-31T18:59” is out of range (Enter a time from 1 Jan 1900, 00:00 UTC"
        " to 31 Dec 2100, 23:59 UTC)." in response.text
    )
    assert "Line 2" not in response.text
    assert not Measurement.objects.exists()  # nothing saved while a line is refused


# Text


def test_people_search_with_a_nul_byte_finds_nobody(client):
    designer = f.ProgramFactory().owner
    f.UserFactory(first_name="Nul")
    client.force_login(designer)
    response = client.get(reverse("design:people_search"), {"q": "N\x00ul"})
    assert response.status_code == 200
    assert "<option" not in response.text


def test_the_enrol_page_searched_with_a_nul_byte_finds_nobody(client, program):
    f.UserFactory(first_name="Nul")
    response = client.get(reverse("design:enrol", args=[program.pk]), {"q": "N\x00ul"})
    assert response.status_code == 200
    assert response.context["found"].count() == 0


def test_the_story_assignment_search_with_a_nul_byte_finds_nothing(client, program):
    url = reverse("design:story_assignments", args=[program.pk])
    response = client.get(url, {"q": "Lead\x00"})
    assert response.status_code == 200
    assert "<option" not in response.text


def test_a_comment_with_a_nul_byte_is_refused_and_kept(client):
    review, sponsor = _review()
    client.force_login(sponsor)
    response = client.post(
        reverse("sponsor:review", args=[review.pk]), {"form": "comment", "body": "Bad\x00one"}
    )
    assert response.status_code == 200
    assert response.context["comment_form"].errors["body"] == [CONTROL]
    assert not ReviewComment.objects.exists()


def test_a_comment_over_several_lines_is_accepted(client):
    review, sponsor = _review()
    client.force_login(sponsor)
    client.post(
        reverse("sponsor:review", args=[review.pk]),
        {"form": "comment", "body": "First line\r\n\tthen more"},
    )
    assert ReviewComment.objects.get().body == "First line\r\n\tthen more"


def test_a_one_line_field_refuses_a_control_character(client, program):
    metric = f.OutcomeMetricFactory(program=program)
    response = client.post(
        reverse("design:metrics", args=[program.pk]),
        {
            "form": "measurement",
            "metric": metric.pk,
            "measured_at": "2026-11-01T09:00",
            "value": "3",
            "note": "bell\x07",
        },
    )
    assert response.context["measurement_form"].errors["note"] == [CONTROL]
    assert not Measurement.objects.exists()


@pytest.mark.parametrize(
    "note",
    ["two\r\nlines", "two\x0blines", "two\u2028lines", "two\u2029lines"],
    ids=["CRLF", "VT", "LS", "PS"],
)
def test_a_one_line_field_refuses_a_line_break_and_says_so(client, program, note):
    metric = f.OutcomeMetricFactory(program=program)
    response = client.post(
        reverse("design:metrics", args=[program.pk]),
        {
            "form": "measurement",
            "metric": metric.pk,
            "measured_at": "2026-11-01T09:00",
            "value": "3",
            "note": note,
        },
    )
    assert response.context["measurement_form"].errors["note"] == [
        "Keep this text on one line: remove the line breaks."
    ]
    assert note in response.text  # kept as typed
    assert not Measurement.objects.exists()


def test_a_comment_refuses_a_c1_control_character_and_keeps_unicode_paragraphs(client):
    review, sponsor = _review()
    client.force_login(sponsor)
    url = reverse("sponsor:review", args=[review.pk])
    response = client.post(url, {"form": "comment", "body": "Mis\x85decoded"})
    assert response.context["comment_form"].errors["body"] == [CONTROL]
    assert not ReviewComment.objects.exists()
    client.post(url, {"form": "comment", "body": "One paragraph\u2029then another"})
    assert ReviewComment.objects.get().body == "One paragraph\u2029then another"


# Form selectors


def _review():
    program = f.ProgramFactory()
    sponsor = f.UserFactory()
    program.sponsors.add(sponsor)
    start = dt.date(2026, 11, 2)
    review = sponsor_review_rollup(
        program=program, period_start=start, period_end=start + timedelta(days=7)
    )
    return review, sponsor


def test_a_review_posted_with_an_unknown_form_answers_400(client):
    review, sponsor = _review()
    client.force_login(sponsor)
    response = client.post(
        reverse("sponsor:review", args=[review.pk]), {"form": "nonsense", "body": "x"}
    )
    assert response.status_code == 400
    assert not ReviewComment.objects.exists()
    assert not ReviewDecision.objects.exists()


def test_the_metrics_page_posted_with_an_unknown_form_answers_400(client, program):
    response = client.post(reverse("design:metrics", args=[program.pk]), {"form": "nonsense"})
    assert response.status_code == 400


# CSV import


def test_an_import_with_a_huge_field_is_refused_with_its_line(client, program):
    f.OutcomeMetricFactory(program=program, name="CSAT")
    text = "metric,measured_at,value,note\nCSAT,2026-11-01,3,ok\nCSAT,2026-11-01,3," + (
        "x" * 200_000
    )
    response = _import(client, program, text)
    assert response.status_code == 200
    assert "Line 3:" in response.text
    assert not Measurement.objects.exists()


def test_an_import_with_a_nul_byte_in_a_note_is_refused_with_its_line(client, program):
    f.OutcomeMetricFactory(program=program, name="CSAT")
    response = _import(client, program, "metric,measured_at,value,note\nCSAT,2026-11-01,3,a\x00b\n")
    assert response.status_code == 200
    assert "Line 2: the note holds invisible control characters" in response.text
    assert not Measurement.objects.exists()


def test_an_import_with_a_number_too_large_for_its_column_is_refused_with_its_line(client, program):
    f.OutcomeMetricFactory(program=program, name="CSAT")
    response = _import(client, program, "metric,measured_at,value\nCSAT,2026-11-01,1e20\n")
    assert response.status_code == 200
    assert "Line 2: “1e20” is too large" in response.text.replace("&quot;", '"')
    assert not Measurement.objects.exists()


def test_a_good_import_still_saves_every_row(client, program):
    f.OutcomeMetricFactory(program=program, name="CSAT")
    _import(client, program, "metric,measured_at,value,note\nCSAT,2026-11-01,3.5,fine note\n")
    assert Measurement.objects.get().value == Decimal("3.5")


def test_every_form_people_fill_in_follows_the_input_rules():
    import importlib
    import pkgutil

    from django import forms

    import api
    import areas
    from talentdev.core.forms import InputRulesMixin

    for package in (areas, api):
        for module in pkgutil.walk_packages(package.__path__, f"{package.__name__}."):
            if module.name.endswith(("forms", "fields")) or ".forms." in module.name:
                importlib.import_module(module.name)
    ours = [
        form
        for form in _all_subclasses(forms.BaseForm)
        if form.__module__.startswith(("areas.", "api."))
    ]
    assert [form.__qualname__ for form in ours if not issubclass(form, InputRulesMixin)] == []
    # A decimal is checked against its column's size only if the field knows that size.
    unsized = [
        f"{form.__qualname__}.{name}"
        for form in ours
        for name, field in form.base_fields.items()
        if isinstance(field, forms.DecimalField) and field.max_digits is None
    ]
    assert unsized == []


def test_a_whole_number_beyond_an_integer_column_is_refused():
    from django import forms

    from talentdev.core.forms import Form

    class CountForm(Form):
        count = forms.IntegerField()

    assert CountForm({"count": "2147483647"}).is_valid()
    refused = CountForm({"count": "2147483648"})
    assert not refused.is_valid()
    assert refused.errors["count"] == ["Ensure this value is less than or equal to 2147483647."]


def _all_subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _all_subclasses(sub)


def test_the_sponsor_pages_show_a_value_stored_at_the_end_of_the_calendar(client):
    review, sponsor = _review()
    sponsor.time_zone = "Asia/Singapore"
    sponsor.save(update_fields=["time_zone"])
    metric = f.OutcomeMetricFactory(program=review.program)
    f.MeasurementFactory(metric=metric, measured_at=END_OF_TIME)
    client.force_login(sponsor)
    assert client.get(reverse("sponsor:home")).status_code == 200
    dashboard = client.get(reverse("sponsor:dashboard", args=[review.program.pk]))
    assert dashboard.status_code == 200
    assert "9999" not in dashboard.text  # never the chart's newest month
