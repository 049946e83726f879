"""Forms and fields in the markup crispy-forms' Bootstrap 5 pack gives them, written in
Python: `{{ form|bootstrap_form }}` for `{{ form|crispy }}`, `{{ form.x|bootstrap_field }}`
for `{{ form.x|as_crispy_field }}`.

crispy-forms renders each field through half a dozen nested templates and each option of a
select, radio or checkbox list through two more; on a form of a dozen fields and a few lists
that is most of the page's time. The markup here is the same, element for element and
class for class (a test compares the two on every kind of widget, with and without errors).
What it does not cover (a form with a crispy layout helper, file and multi-part widgets,
widgets with their own templates) it hands to crispy-forms.
"""

import copy

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field, as_crispy_form
from crispy_forms.templatetags.crispy_forms_utils import remove_spaces
from django import forms, template
from django.forms.boundfield import BoundField
from django.utils import formats
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

WIDGETS = "django/forms/widgets/"
# Django's widget templates that are only its <input> template included.
INPUT_TEMPLATES = {
    f"{WIDGETS}{kind}.html"
    for kind in (
        "input",
        "text",
        "number",
        "email",
        "url",
        "password",
        "search",
        "tel",
        "date",
        "datetime",
        "time",
        "checkbox",
        "hidden",
    )
}
SELECT_TEMPLATE = f"{WIDGETS}select.html"
OPTION_TEMPLATE = f"{WIDGETS}select_option.html"
TEXTAREA_TEMPLATE = f"{WIDGETS}textarea.html"
ASTERISK = '<span class="asteriskField">*</span>'


class Unsupported(Exception):
    """A field this module does not write; crispy-forms renders it."""


def _text(value) -> str:
    """A value as `{{ value }}` shows it: localized, then escaped unless already safe."""
    return conditional_escape(formats.localize(value))


def _unlocalized(value) -> str:
    """A value as `{{ value|unlocalize }}` shows it."""
    return conditional_escape(str(formats.localize(value, use_l10n=False)))


def _attrs(attrs: dict) -> str:
    # Django's attrs.html: False leaves the attribute out, True writes its bare name.
    return "".join(
        f" {conditional_escape(name)}" + ("" if value is True else f'="{escape(value)}"')
        for name, value in attrs.items()
        if value is not False
    )


def _widget_html(widget: dict, template_name: str) -> str:
    """What Django's template for the widget writes, from the widget's context."""
    if template_name in INPUT_TEMPLATES:
        value = "" if widget["value"] is None else f' value="{escape(widget["value"])}"'
        return (
            f'<input type="{conditional_escape(widget["type"])}" '
            f'name="{conditional_escape(widget["name"])}"{value}{_attrs(widget["attrs"])}>'
        )
    if template_name == TEXTAREA_TEMPLATE:
        text = _text(widget["value"]) if widget["value"] else ""
        return (
            f'<textarea name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>'
            f"\n{text}</textarea>"
        )
    if template_name == SELECT_TEMPLATE:
        parts = [f'<select name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>']
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts.append(f'\n  <optgroup label="{_text(group_name)}">')
            for option in options:
                if option["template_name"] != OPTION_TEMPLATE:
                    raise Unsupported(option["template_name"])
                parts.append(
                    f'\n  <option value="{escape(option["value"])}"{_attrs(option["attrs"])}>'
                    f"{_text(option['label'])}</option>"
                )
            if group_name:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        return "".join(parts)
    raise Unsupported(template_name)


def _css_class(widget, extra: str) -> str:
    # As crispy's {% crispy_field %}: the widget's class name, then the Bootstrap classes.
    name = type(widget).__name__.lower()
    classes = widget.attrs.get("class", "")
    if not classes:
        classes = name
    elif name not in classes:
        classes += f" {name}"
    for css in extra.split():
        if css not in classes.split():
            classes += f" {css}"
    return classes


def _control(field: BoundField, extra_class: str) -> str:
    """The field's widget with crispy's classes, as BoundField.as_widget renders it."""
    base = field.field.widget
    if isinstance(base, forms.MultiWidget) or hasattr(base, "widget"):
        raise Unsupported(type(base).__name__)
    # A copy, so the class is the widget's only in this rendering (crispy sets it for good).
    widget = copy.copy(base)
    widget.attrs = {**base.attrs, "class": _css_class(base, extra_class)}
    if field.field.localize:
        widget.is_localized = True
    attrs = field.build_widget_attrs({}, widget)
    if field.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", field.auto_id)
    context = widget.get_context(field.html_name, field.value(), attrs)
    return _widget_html(context["widget"], widget.template_name)


def _errors_block(field: BoundField) -> str:
    if not field.errors:
        return ""
    lines = "".join(
        f'\n<p id="error_{n}_{field.auto_id}"><strong>{_text(error)}</strong></p>'
        for n, error in enumerate(field.errors, start=1)
    )
    field_id = _text(field.errors.field_id)
    return f'\n<div id="{field_id}_error" class="invalid-feedback">{lines}\n</div>'


def _help_text(field: BoundField) -> str:
    if not field.help_text:
        return ""
    at = f'id="{field.auto_id}_helptext" ' if field.auto_id else ""
    return f'\n<div {at}class="form-text">{field.help_text}</div>'


def _choices(field: BoundField) -> str:
    """Radio buttons or checkboxes, one Bootstrap form-check each, as crispy lists them."""
    widget = field.field.widget
    id_ = widget.attrs.get("id") or field.auto_id
    attrs = field.build_widget_attrs({"id": id_} if id_ else {})
    values = widget.format_value(field.value())
    invalid = " is-invalid" if field.errors else ""
    groups = widget.optgroups(field.html_name, values, attrs)
    parts = ["\n<div >"]
    for group_number, (group, options, _index) in enumerate(groups, start=1):
        if group:
            parts.append(f"\n<strong>{_text(group)}</strong>")
        for number, option in enumerate(options, start=1):
            parts.append(
                f'\n<div class="form-check">\n<input type="{conditional_escape(option["type"])}" '
                f'class="form-check-input{invalid}"  name="{conditional_escape(field.html_name)}" '
                f'value="{_unlocalized(option["value"])}" {_attrs(option["attrs"])}>'
                f'\n<label for="{conditional_escape(option["attrs"].get("id", ""))}" '
                f'class="form-check-label">\n{_unlocalized(option["label"])}\n</label>'
            )
            if field.errors and number == len(options) and group_number == len(groups):
                parts.append(_errors_block(field))
            parts.append("\n</div>")
    parts.append("\n</div>")
    parts.append(_help_text(field))
    return "".join(parts)


def _label(field: BoundField, required: str) -> str:
    fieldset = field.use_fieldset
    tag = "legend" if fieldset else "label"
    opening = ""
    if fieldset:
        described = field.aria_describedby
        opening = f'<fieldset aria-describedby="{described}">' if described else "<fieldset>"
    target = f' for="{field.id_for_label}"' if field.id_for_label else ""
    classes = "form-label" + (" requiredField" if required else "") + (" fs-6" if fieldset else "")
    return f'{opening}\n<{tag}{target} class="{classes}">\n{_text(field.label)}{required}\n</{tag}>'


def _field_html(field: BoundField) -> str:
    """crispy-forms' bootstrap5/field.html for one field, without a layout helper."""
    if field.is_hidden:
        return str(field)
    widget = field.field.widget
    if isinstance(widget, forms.FileInput) or getattr(field.form, "helper", None) is not None:
        raise Unsupported(type(widget).__name__)
    required = ASTERISK if field.field.required else ""
    checkbox = isinstance(widget, forms.CheckboxInput)
    css = field.css_classes()
    wrapper = ("form-check" if checkbox else "mb-3") + (f" {css}" if css else "")
    parts = ['<div class="mb-3">'] if checkbox else []
    parts.append(f'\n<div id="div_{field.auto_id}" class="{wrapper}">')
    if field.label and not checkbox:
        parts.append(_label(field, required))
    invalid = " is-invalid" if field.errors else ""
    if isinstance(widget, forms.RadioSelect):  # CheckboxSelectMultiple too
        parts.append(_choices(field))
    elif checkbox:
        parts.append(f"\n{_control(field, 'form-check-input' + invalid)}")
        parts.append(
            f'\n<label for="{field.id_for_label}" class="form-check-label'
            f'{" requiredField" if required else ""}">\n{_text(field.label)}{required}\n</label>'
        )
        parts.append(_errors_block(field) + _help_text(field))
    else:
        css = "form-select" if isinstance(widget, forms.Select) else "form-control"
        parts.append(f"\n{_control(field, css + invalid)}")
        parts.append(_errors_block(field) + _help_text(field))
    if field.use_fieldset and field.label:
        parts.append("</fieldset>")
    parts.append("\n</div>")
    if checkbox:
        parts.append("\n</div>")
    return "".join(parts)


def _non_field_errors(form) -> str:
    errors = form.non_field_errors()
    if not errors:
        return ""
    items = "\n".join(f"<li>{_text(error)}</li>" for error in errors)
    return f'<div class="alert alert-block alert-danger">\n<ul class="m-0">\n{items}\n</ul>\n</div>'


@register.filter
def bootstrap_field(field: BoundField) -> SafeString:
    """One field as `|as_crispy_field` renders it."""
    try:
        return mark_safe(_field_html(field))  # noqa: S308 - every value in it is escaped
    except Unsupported:
        return as_crispy_field(field)


@register.filter
def bootstrap_form(form) -> SafeString:
    """A whole form, its errors first, as `|crispy` renders it."""
    if getattr(form, "helper", None) is not None or isinstance(form, forms.BaseFormSet):
        return as_crispy_form(form)
    try:
        html = _non_field_errors(form) + "".join(_field_html(field) for field in form)
    except Unsupported:
        return as_crispy_form(form)
    return mark_safe(remove_spaces(html.strip()))  # noqa: S308 - every value in it is escaped
