"""`|bootstrap_form` and `|bootstrap_field` write the markup crispy-forms' Bootstrap 5 pack
writes, for every kind of widget, empty, filled in and with errors; what they do not cover
crispy-forms renders."""

import re

import pytest
from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field, as_crispy_form
from django import forms
from django.template import Context, Template

from areas.design.forms.enrolment import EnrolForm, EnrolmentPeopleForm
from areas.design.forms.pathway import StepForm
from talentdev.templatetags.bootstrap_forms import bootstrap_field, bootstrap_form
from tests.factories import (
    CohortFactory,
    EnrolmentFactory,
    LearningObjectiveFactory,
    PerformanceObjectiveFactory,
    ProgramFactory,
    StepFactory,
)


def same_markup(html: str) -> str:
    """The markup with its whitespace made uniform: runs of it are one space, and none is
    kept between two tags."""
    return re.sub(r"> <", "><", " ".join(str(html).split()))


class EveryWidget(forms.Form):
    """One field of each kind the product's forms use, with the awkward cases: help text,
    markup in a value, a widget's own class, optgroups, a hidden field."""

    name = forms.CharField(label="Name <first>", help_text="As <b>shown</b>.", max_length=20)
    nickname = forms.CharField(required=False, widget=forms.TextInput(attrs={"class": "mine"}))
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    count = forms.IntegerField(widget=forms.NumberInput(attrs={"min": 1, "max": 5}))
    hours = forms.DecimalField(required=False, help_text="In hours.")
    on = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    email = forms.EmailField(required=False)
    kind = forms.ChoiceField(choices=[("", "---------"), ("a", "A & b"), ("c", "C")])
    grouped = forms.ChoiceField(
        required=False,
        choices=[("Early", [("1", "One"), ("2", "Two")]), ("Late", [("3", "Three")])],
    )
    several = forms.MultipleChoiceField(choices=[("x", "X"), ("y", "Y")], required=False)
    agree = forms.BooleanField(label="I agree", help_text="Required.")
    optional_flag = forms.BooleanField(required=False)
    way = forms.ChoiceField(widget=forms.RadioSelect, choices=[("r", "Road"), ("s", "Sea")])
    tags = forms.MultipleChoiceField(
        widget=forms.CheckboxSelectMultiple,
        choices=[(1, "First <1>"), (2, "Second")],
        help_text="Any of them.",
    )
    optional_way = forms.ChoiceField(
        widget=forms.RadioSelect, choices=[("n", "North")], required=False
    )
    token = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean(self):
        raise forms.ValidationError(["Something about <the whole form>.", "And another."])


FILLED = {
    "name": 'O"Brien <x>',
    "nickname": "ob",
    "note": "line one\nline <two>",
    "count": "3",
    "hours": "1.5",
    "on": "2026-03-01",
    "email": "ob@example.com",
    "kind": "a",
    "grouped": "3",
    "several": ["x", "y"],
    "agree": "on",
    "way": "s",
    "tags": ["2"],
    "token": "t<1>",
}
WRONG = {"name": "x" * 30, "count": "nine", "on": "soon", "kind": "zz", "tags": ["7"]}


@pytest.mark.parametrize(
    "form",
    [
        EveryWidget(),
        EveryWidget(initial={"name": "Ann", "tags": [1], "way": "r", "on": "2026-01-02"}),
        EveryWidget(data=FILLED),
        EveryWidget(data=WRONG),
        EveryWidget(data=FILLED, prefix="p"),
        EveryWidget(data=WRONG, auto_id=False),
    ],
    ids=["empty", "initial", "filled", "errors", "prefixed", "no ids"],
)
def test_every_field_is_written_as_crispy_writes_it(form):
    form.is_valid()
    for field in form:
        expected = same_markup(as_crispy_field(field))
        assert same_markup(bootstrap_field(field)) == expected, field.name
    assert same_markup(bootstrap_form(form)) == same_markup(as_crispy_form(form))


def test_the_errors_are_shown_beside_their_fields_and_above_the_form():
    form = EveryWidget(data=WRONG)
    html = str(bootstrap_form(form))
    assert 'class="numberinput form-control is-invalid"' in html
    assert "Enter a whole number." in html
    assert "Something about &lt;the whole form&gt;." in html
    assert 'class="alert alert-block alert-danger"' in html


def test_markup_typed_into_a_field_is_escaped():
    html = str(bootstrap_field(EveryWidget(data=FILLED)["name"]))
    assert 'value="O&quot;Brien &lt;x&gt;"' in html
    assert "<x>" not in html


def test_a_field_crispy_forms_must_render_is_handed_to_it():
    class WithFile(forms.Form):
        title = forms.CharField()
        upload = forms.FileField(help_text="A PDF.")
        when = forms.SplitDateTimeField()

    form = WithFile(data={})
    form.is_valid()
    for name in ("upload", "when"):
        assert str(bootstrap_field(form[name])) == str(as_crispy_field(form[name]))
    assert str(bootstrap_form(form)) == str(as_crispy_form(form))


def test_rendering_leaves_the_form_as_it_was():
    form = EveryWidget()
    bootstrap_form(form)
    assert "class" not in form.fields["name"].widget.attrs
    assert form.fields["nickname"].widget.attrs["class"] == "mine"


def test_the_filters_are_what_templates_load():
    form = EveryWidget(data=WRONG)
    form.is_valid()
    page = Template(
        "{% load bootstrap_forms %}{{ form|bootstrap_form }}{{ form.count|bootstrap_field }}"
    ).render(Context({"form": form}))
    assert same_markup(page) == same_markup(
        str(as_crispy_form(form)) + str(as_crispy_field(form["count"]))
    )


@pytest.mark.django_db
def test_the_design_forms_are_written_as_crispy_writes_them():
    program = ProgramFactory()
    PerformanceObjectiveFactory.create_batch(3, program=program)
    learning = LearningObjectiveFactory.create_batch(2, program=program)
    CohortFactory.create_batch(2, program=program)
    step = StepFactory(pathway__program=program)
    enrolment = EnrolmentFactory(program=program, pathway=step.pathway)
    forms_shown = [
        StepForm(program=program),
        StepForm(instance=step, program=program),
        StepForm(
            data={"kind": "nonsense", "learning_objectives": [learning[0].pk, 0]},
            instance=step,
            program=program,
        ),
        EnrolForm(program=program),
        EnrolForm(data={"learners": "nobody-here", "enrolled_on": "never"}, program=program),
        EnrolmentPeopleForm(enrolment=enrolment),
        EnrolmentPeopleForm(data={"supervisor": ""}, enrolment=enrolment),
    ]
    for form in forms_shown:
        if form.is_bound:
            form.is_valid()
        for field in form:
            assert same_markup(bootstrap_field(field)) == same_markup(as_crispy_field(field))
        assert same_markup(bootstrap_form(form)) == same_markup(as_crispy_form(form))
