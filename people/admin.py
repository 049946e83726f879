from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import JobRole, Notification, OrgUnit, RoleRequirement, User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        (
            _("Organisation"),
            {
                "fields": (
                    "employee_id",
                    "job_title",
                    "org_unit",
                    "job_role",
                    "manager",
                    "time_zone",
                )
            },
        ),
    )
    add_fieldsets = (
        *DjangoUserAdmin.add_fieldsets,
        (
            _("Organisation"),
            {
                "fields": (
                    "employee_id",
                    "job_title",
                    "org_unit",
                    "job_role",
                    "manager",
                    "time_zone",
                )
            },
        ),
    )
    list_display = ("username", "get_full_name", "employee_id", "job_title", "org_unit", "manager")
    list_filter = (*DjangoUserAdmin.list_filter, "org_unit", "job_role")
    search_fields = ("username", "first_name", "last_name", "email", "employee_id")
    autocomplete_fields = ("org_unit", "job_role", "manager")
    list_select_related = ("org_unit", "manager")


@admin.register(OrgUnit)
class OrgUnitAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "parent")
    search_fields = ("name", "code")
    autocomplete_fields = ("parent",)
    list_select_related = ("parent",)


class RoleRequirementInline(admin.TabularInline):
    model = RoleRequirement
    extra = 1
    autocomplete_fields = ("competency", "required_level")


@admin.register(JobRole)
class JobRoleAdmin(admin.ModelAdmin):
    list_display = ("title", "code")
    search_fields = ("title", "code")
    inlines = (RoleRequirementInline,)


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("title", "recipient", "kind", "created_at", "read_at", "emailed_at")
    list_filter = ("kind",)
    search_fields = ("title", "recipient__username", "key")
    autocomplete_fields = ("recipient",)
    list_select_related = ("recipient",)
    date_hierarchy = "created_at"
