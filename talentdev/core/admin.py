"""Admin bases that keep the Django admin from becoming a second write path around the services.

Every product model's admin is built on one of two bases:

- `ReadOnlyAdmin` lists, searches, filters and shows rows, and changes nothing. It suits the
  models the product's own pages write through services (and their admin actions that call
  services still run).
- `ServiceAdmin` saves its add and change forms by calling the app's services, so every rule
  a service keeps holds in the admin too, and a refusal shows on the form.

Inlines come in the same two kinds. tests/test_admin.py holds every registered admin to this.
This module names no app: each app's admin.py hands its own services to these bases.
"""

from contextlib import contextmanager

from django.contrib import admin, messages
from django.contrib.admin.options import InlineModelAdmin
from django.core.exceptions import (
    NON_FIELD_ERRORS,
    FieldDoesNotExist,
    ImproperlyConfigured,
    ValidationError,
)
from django.db import transaction
from django.forms.formsets import DELETION_FIELD_NAME
from django.http import HttpResponseRedirect
from django.utils.text import capfirst
from simple_history.admin import SimpleHistoryAdmin

from .forms import InputRulesMixin

# Where a refusal waits on the request while the form is shown again (see changeform_view).
_REFUSAL = "_service_admin_refusal"


def _editable_field_names(model) -> list[str]:
    """The fields of `model` a form could edit: concrete and many-to-many, not the key."""
    return [
        field.name
        for field in model._meta.get_fields()
        if field.concrete and field.editable and not field.auto_created
    ]


class _ReadOnly:
    """Nothing added, changed or deleted, whatever permissions the person holds."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        declared = list(super().get_readonly_fields(request, obj))
        shown = [name for name in self._shown_fields() if name not in declared]
        return [*declared, *shown]

    def _shown_fields(self):
        return _editable_field_names(self.model)


class ReadOnlyAdmin(_ReadOnly, admin.ModelAdmin):
    """A model's rows to list, search, filter and read; the services write them elsewhere.

    Admin actions are kept: an action that calls a service (a roll-up run again, say) is a
    write through the service, not around it.
    """


class ReadOnlyInline(_ReadOnly, InlineModelAdmin):
    """The rows of an inline, shown and never written."""

    extra = 0
    can_delete = False

    def _shown_fields(self):
        # The key to the parent says what the page already shows.
        return [
            name
            for name in super()._shown_fields()
            if self.model._meta.get_field(name).related_model is not self.parent_model
        ]


class ReadOnlyTabularInline(ReadOnlyInline, admin.TabularInline):
    pass


class ReadOnlyStackedInline(ReadOnlyInline, admin.StackedInline):
    pass


class ServiceRefused(Exception):
    """A service's ValidationError, carried out of the admin's transaction to be shown."""

    def __init__(self, error: ValidationError):
        super().__init__(error)
        self.error = error


@contextmanager
def _refusals():
    try:
        yield
    except ValidationError as error:
        raise ServiceRefused(error) from error


def show_refusal(form, error: ValidationError) -> None:
    """Put a service's ValidationError on a validated form: each field's messages beside that
    field when the form has it, the rest on top, named by the model field they concern."""
    opts = form._meta.model._meta
    for name, errors in error.update_error_dict({}).items():
        if name in form.fields:
            form.add_error(name, errors)
            continue
        messages_ = ValidationError(errors).messages
        if name != NON_FIELD_ERRORS:
            try:
                label = capfirst(opts.get_field(name).verbose_name)
            except FieldDoesNotExist:
                label = None  # e.g. a field of an inline's rows: the message says enough
            if label:
                messages_ = [f"{label}: {message}" for message in messages_]
        form.add_error(None, messages_)


def _note_row_changes(formset) -> None:
    """Note on the formset what its save() would have: the admin's history entry reads it."""
    deleted = [form for form in formset.initial_forms if _marked_deleted(form)]
    formset.deleted_objects = [form.instance for form in deleted]
    formset.changed_objects = [
        (form.instance, form.changed_data)
        for form in formset.initial_forms
        if form.has_changed() and form not in deleted
    ]
    formset.new_objects = [
        form.instance
        for form in formset.extra_forms
        if form.has_changed() and not _marked_deleted(form)
    ]


def _adopt(obj, saved) -> None:
    """Make the admin's unsaved copy the row a service just saved: the admin goes on with
    it, logging the change, redirecting to it and hanging inline rows on it."""
    for field in obj._meta.concrete_fields:
        setattr(obj, field.attname, getattr(saved, field.attname))
    obj._state.adding = False
    obj._state.db = saved._state.db


def _marked_deleted(form) -> bool:
    return bool(getattr(form, "cleaned_data", {}).get(DELETION_FIELD_NAME))


class ServiceAdmin(admin.ModelAdmin):
    """An admin whose forms save through services, never through `Model.save()`.

    A subclass says which form fields each service takes and how to call it:

        service_create_fields = ("program", "name", ...)
        service_update_fields = ("name", ...)

        def service_create(self, request, data): return thing_create(**data)
        def service_update(self, request, obj, data): return thing_update(thing=obj, **data)
        def service_remove(self, request, obj): thing_remove(thing=obj)   # optional

    The change page offers only the fields the update service takes; the others are shown
    read-only. Many-to-many fields travel to the service with the rest of the form, and an
    inline's rows go through its own service (ServiceInline). Without `service_remove`
    nothing is deleted.

    A service may refuse what the form let through (a rule only it knows). The whole save runs
    in one transaction, so the refusal leaves nothing behind; the form is then shown again as
    the person typed it, with the service's message on it.
    """

    service_create_fields: tuple[str, ...] = ()
    service_update_fields: tuple[str, ...] = ()
    service_remove = None
    # (ServiceInline class, keyword): a row that cannot exist without its inline rows (an
    # assignment without success criteria) is created with them, in one service call.
    service_create_rows = None

    def service_create(self, request, data: dict):
        raise NotImplementedError(f"{type(self).__name__} must say how to create")

    def service_update(self, request, obj, data: dict):
        raise NotImplementedError(f"{type(self).__name__} must say how to update")

    def service_data(self, request, form, change: bool) -> dict:
        """The form's values for the service. On change, only what the person changed: a
        field left alone is not written back over someone else's change made meanwhile."""
        names = self.service_update_fields if change else self.service_create_fields
        if change:
            names = [name for name in names if name in form.changed_data]
        return {name: form.cleaned_data[name] for name in names if name in form.cleaned_data}

    # The form

    def get_readonly_fields(self, request, obj=None):
        declared = list(super().get_readonly_fields(request, obj))
        if obj is None:
            return declared
        # A field the form itself shows disabled (a password's summary) stays the form's.
        disabled = {name for name, field in self.form.declared_fields.items() if field.disabled}
        kept = {*self.service_update_fields, *declared, *disabled}
        return [*declared, *(n for n in _editable_field_names(self.model) if n not in kept)]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        # The pages' input rules hold here too (sane dates, no control characters, numbers
        # that fit), whatever form the admin builds on (Django's user forms included).
        form = type(form.__name__, (InputRulesMixin, form), {})
        taken = self.service_update_fields if obj is not None else self.service_create_fields
        dropped = [
            name
            for name, field in form.base_fields.items()
            if not field.disabled and name not in taken
        ]
        if dropped:
            # What a person types must reach a service, not vanish or be saved around one.
            raise ImproperlyConfigured(
                f"{type(self).__name__} offers {dropped} but gives them to no service"
            )
        refusal = getattr(request, _REFUSAL, None)
        if refusal is None:
            return form

        class RefusedForm(form):
            def clean(self):
                cleaned_data = super().clean()
                show_refusal(self, refusal)
                return cleaned_data

        RefusedForm.__name__ = form.__name__
        return RefusedForm

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ServiceRefused as refused:
            # The admin saves in one transaction, which the refusal has rolled back whole.
            # Validate the same input again, now carrying the service's reasons, so the page
            # comes back with what was typed and why it was not saved.
            setattr(request, _REFUSAL, refused.error)
            return super().changeform_view(request, object_id, form_url, extra_context)

    # Saving

    def save_model(self, request, obj, form, change):
        if not change and self.service_create_rows is not None:
            return  # created in save_related, with the rows it cannot be made without
        data = self.service_data(request, form, change)
        with _refusals():
            if change:
                saved = self.service_update(request, obj, data)
            else:
                saved = self.service_create(request, data)
        _adopt(obj, saved)

    def save_related(self, request, form, formsets, change):
        if not change and self.service_create_rows is not None:
            self._create_with_rows(request, form, formsets)
            return
        # No form.save_m2m(): the many-to-many fields went to the service with the form.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def _create_with_rows(self, request, form, formsets):
        inline, keyword = self.service_create_rows
        (rows,) = [
            inline.kept_rows(formset)
            for formset in formsets
            if isinstance(getattr(formset, "service_inline", None), inline)
        ]
        for formset in formsets:
            _note_row_changes(formset)
        data = {**self.service_data(request, form, change=False), keyword: rows}
        with _refusals():
            saved = self.service_create(request, data)
        _adopt(form.instance, saved)

    def save_formset(self, request, form, formset, change):
        _note_row_changes(formset)
        inline = getattr(formset, "service_inline", None)
        if inline is not None:
            if formset.has_changed():
                with _refusals():
                    inline.service_save(request, form.instance, inline.kept_rows(formset))
        elif formset.has_changed():
            raise ImproperlyConfigured(
                f"{type(self).__name__}: the {formset.model._meta.verbose_name} rows changed "
                "but their inline is neither read-only nor a ServiceInline"
            )

    # Deleting

    def has_delete_permission(self, request, obj=None):
        return self.service_remove is not None and super().has_delete_permission(request, obj)

    def get_actions(self, request):
        # Rows are deleted one at a time, from their own page, where a refusal can be shown.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def delete_model(self, request, obj):
        with _refusals():
            self.service_remove(request, obj)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for obj in queryset:
                self.delete_model(request, obj)

    def delete_view(self, request, object_id, extra_context=None):
        try:
            return super().delete_view(request, object_id, extra_context)
        except ServiceRefused as refused:
            self.message_user(request, " ".join(refused.error.messages), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())


class ServiceInline(InlineModelAdmin):
    """Inline rows written by a service of the parent: `service_save(request, parent, rows)`
    receives every row the parent keeps (the cleaned values of each, deleted ones left out)
    whenever any of them changed."""

    def service_save(self, request, parent, rows: list[dict]) -> None:
        raise NotImplementedError(f"{type(self).__name__} must say how its rows are saved")

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        # How the parent's admin finds, in save_formset, whose service saves these rows.
        formset.service_inline = self
        return formset

    @staticmethod
    def kept_rows(formset) -> list[dict]:
        # An extra form left blank has no cleaned data.
        return [
            form.cleaned_data
            for form in formset.forms
            if form.cleaned_data and not _marked_deleted(form)
        ]


class ServiceTabularInline(ServiceInline, admin.TabularInline):
    pass


class ServiceStackedInline(ServiceInline, admin.StackedInline):
    pass


class AuditedAdmin(SimpleHistoryAdmin):
    """Mixed into the admin of a model with an audit history: its History page lists the
    changes with the channel they came through. Nothing is reverted from there (the
    SIMPLE_HISTORY_REVERT_DISABLED setting): that would save around the services."""

    history_list_display = ["history_channel", "history_source"]
