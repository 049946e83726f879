from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm
from django.utils.translation import gettext_lazy as _

from talentdev.core.admin import AuditedAdmin, ReadOnlyAdmin, ServiceAdmin, ServiceTabularInline

from . import models
from .services import (
    PERSON_FIELDS,
    job_role_create,
    job_role_requirements_set,
    job_role_update,
    org_unit_create,
    org_unit_update,
    person_create,
    person_password_set,
    person_update,
)

ORGANISATION_FIELDS = ("employee_id", "job_title", "org_unit", "job_role", "manager", "time_zone")


class PersonPasswordForm(AdminPasswordChangeForm):
    """Django's set-password page for a person, saving through person_password_set."""

    def save(self, commit=True):
        password = (
            self.cleaned_data["password1"] if self.cleaned_data["set_usable_password"] else None
        )
        # The view reads the saved person back from the form to keep their session signed in.
        self.user = person_password_set(person=self.user, password=password)
        return self.user


@admin.register(models.User)
class UserAdmin(ServiceAdmin, AuditedAdmin, DjangoUserAdmin):
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        (_("Organisation"), {"fields": ORGANISATION_FIELDS}),
    )
    add_fieldsets = (
        *DjangoUserAdmin.add_fieldsets,
        (_("Organisation"), {"fields": ORGANISATION_FIELDS}),
    )
    change_password_form = PersonPasswordForm
    list_display = ("username", "get_full_name", "employee_id", "job_title", "org_unit", "manager")
    list_filter = (*DjangoUserAdmin.list_filter, "org_unit", "job_role")
    search_fields = ("username", "first_name", "last_name", "email", "employee_id")
    autocomplete_fields = ("org_unit", "job_role", "manager")
    list_select_related = ("org_unit", "manager")

    service_create_fields = (
        "username",
        "usable_password",
        "password1",
        "password2",
        *PERSON_FIELDS,
        "groups",
        "user_permissions",
    )
    service_update_fields = ("username", *PERSON_FIELDS, "groups", "user_permissions")

    def service_data(self, request, form, change):
        data = super().service_data(request, form, change)
        if not change:
            # The add form's two password boxes and its on/off switch become the one password
            # person_create hashes; none when password sign-in is switched off.
            password = data.pop("password1", "") or ""
            data.pop("password2", None)
            data.pop("usable_password", None)
            data["password"] = password if form.cleaned_data.get("set_usable_password") else ""
        return data

    def service_create(self, request, data):
        return person_create(**data)

    def service_update(self, request, obj, data):
        return person_update(person=obj, **data)


@admin.register(models.OrgUnit)
class OrgUnitAdmin(ServiceAdmin, AuditedAdmin):
    list_display = ("name", "code", "parent")
    search_fields = ("name", "code")
    autocomplete_fields = ("parent",)
    list_select_related = ("parent",)

    service_create_fields = service_update_fields = ("code", "name", "parent")

    def service_create(self, request, data):
        return org_unit_create(**data)

    def service_update(self, request, obj, data):
        return org_unit_update(unit=obj, **data)


class RoleRequirementInline(ServiceTabularInline):
    model = models.RoleRequirement
    extra = 1
    autocomplete_fields = ("competency", "required_level")

    def service_save(self, request, parent, rows):
        job_role_requirements_set(
            role=parent, requirements={row["competency"]: row["required_level"] for row in rows}
        )


@admin.register(models.JobRole)
class JobRoleAdmin(ServiceAdmin, AuditedAdmin):
    list_display = ("title", "code")
    search_fields = ("title", "code")
    inlines = (RoleRequirementInline,)

    service_create_fields = service_update_fields = ("code", "title", "description")

    def service_create(self, request, data):
        return job_role_create(**data)

    def service_update(self, request, obj, data):
        return job_role_update(role=obj, **data)


@admin.register(models.Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ("title", "recipient", "kind", "created_at", "read_at", "emailed_at")
    list_filter = ("kind",)
    search_fields = ("title", "recipient__username", "key")
    list_select_related = ("recipient",)
    date_hierarchy = "created_at"
