"""The audit history of HR records (django-simple-history): the base of every historical
model, with how each change came in, and what fills it.

`tracked()` is what a model declares; the channel and source come from `channel.py`.
"""

from celery.signals import task_postrun, task_prerun
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import models
from django.db.models.signals import m2m_changed
from django.utils.translation import gettext as _
from simple_history.models import HistoricalRecords
from simple_history.signals import pre_create_historical_record

from .channel import SOURCE_LENGTH, Channel, acting_through, current, restore, switch_to

# What no history row copies: when a row was written is the history's own date.
NOT_RECORDED = ("created_at", "updated_at")


class AuditedHistory(models.Model):
    """The base of every historical model: how the change came in, besides who made it."""

    history_channel = models.CharField(max_length=16, choices=Channel.choices, blank=True)
    history_source = models.CharField(max_length=SOURCE_LENGTH, blank=True)

    class Meta:
        abstract = True


def signed_in_person(request=None, **kwargs):
    """The history's user: the person signed in, never an API client's service identity
    (it is nobody; its name goes in history_source)."""
    user = getattr(request, "user", None)
    return user if isinstance(user, AbstractBaseUser) and user.pk is not None else None


class _Records(HistoricalRecords):
    def post_save(self, instance, created, using=None, **kwargs):
        # A save of nothing but fields the history leaves out (a sign-in stamping
        # last_login, a new password) is no change to record.
        written = kwargs.get("update_fields")
        if not created and written is not None and set(written) <= set(self.excluded_fields):
            return
        super().post_save(instance, created, using=using, **kwargs)


def tracked(**options) -> HistoricalRecords:
    """`history = tracked(...)` on a model: its changes kept with channel and source, its
    timestamps left out."""
    excluded = [*NOT_RECORDED, *options.pop("excluded_fields", ())]
    return _Records(
        bases=[AuditedHistory],
        excluded_fields=excluded,
        get_user=signed_in_person,
        **options,
    )


def _stamped(sender, history_instance, **kwargs):
    if isinstance(history_instance, AuditedHistory):
        for name, value in current().items():
            setattr(history_instance, name, value)


pre_create_historical_record.connect(_stamped, dispatch_uid="talentdev.core.audit")


class AuditChannelMiddleware:
    """Changes made while serving a request come in through the admin, the API or a page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with acting_through(Channel.PAGE):
            return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        namespaces = request.resolver_match.namespaces if request.resolver_match else []
        # Undone with the rest when __call__'s block ends.
        if "admin" in namespaces:
            switch_to(Channel.ADMIN)
        elif "api" in namespaces:
            switch_to(Channel.API)


# Celery's signals: a task's changes are a job's, named by the task. The token of each run
# is kept by task id, since prerun and postrun are two calls.
_runs: dict[str, object] = {}


def _task_started(sender=None, task_id=None, task=None, **kwargs):
    _runs[task_id] = switch_to(Channel.JOB, getattr(task, "name", "") or "")


def _task_ended(sender=None, task_id=None, **kwargs):
    token = _runs.pop(task_id, None)
    if token is not None:
        restore(token)


task_prerun.connect(_task_started, dispatch_uid="talentdev.core.audit.prerun", weak=False)
task_postrun.connect(_task_ended, dispatch_uid="talentdev.core.audit.postrun", weak=False)


def history_of(model):
    """The historical model of a tracked model, or None."""
    manager = getattr(model._meta, "simple_history_manager_attribute", None)
    return getattr(model, manager).model if manager else None


def bulk_history(model, objs, *, update: bool) -> None:
    """Record rows written by bulk_create or bulk_update (which send no save signals) in the
    model's history, with the current channel and source."""
    historical = history_of(model)
    if historical is None or not objs:
        return
    getattr(model, model._meta.simple_history_manager_attribute).bulk_history_create(
        objs, update=update, custom_historical_attrs=current()
    )


def update_recorded(queryset, **values) -> list:
    """queryset.update(**values), recorded in the audit history as bulk_history records it:
    the rows are locked and read first, so each is recorded with what it became. Returns them."""
    rows = list(queryset.select_for_update())
    queryset.update(**values)
    for row in rows:
        for name, value in values.items():
            setattr(row, name, value)
    bulk_history(queryset.model, rows, update=True)
    return rows


# The longest note a history row keeps of a change of links (simple-history's column).
NOTE_LENGTH = 100


def record_links(relation, *, label: str):
    """Keep in the history of the model holding many-to-many `relation` (e.g.
    Program.sponsors) each change of its links, as a note: "Sponsors: added Ana Berg".
    Links carry no fields of their own, and the ones that give people access (a program's
    sponsors, a person's permissions and groups) are what an audit must show. Changed from
    the other side (a person's sponsorships), each record on this side gets its note."""
    through = relation.through
    held_by = relation.field.model
    removing: dict[int, set] = {}

    def changed(sender, instance, action, reverse, model, pk_set, **kwargs):
        if action == "pre_clear":
            removing[id(instance)] = set(_linked(relation, instance, reverse))
            return
        if action not in ("post_add", "post_remove", "post_clear"):
            return
        pks = removing.pop(id(instance), set()) if action == "post_clear" else set(pk_set or ())
        if not pks:
            return
        verb = _("added") if action == "post_add" else _("removed")
        if reverse:
            # `instance` is the linked object; each holder gains or loses it.
            holders = held_by._default_manager.filter(pk__in=pks)
            note = f"{label}: {verb} {instance}"
            _note(held_by, list(holders), note)
        else:
            names = ", ".join(
                sorted(str(linked) for linked in model._default_manager.filter(pk__in=pks))
            )
            _note(held_by, [instance], f"{label}: {verb} {names}")

    m2m_changed.connect(changed, sender=through, weak=False)
    return changed


def _linked(relation, instance, reverse) -> list:
    if reverse:
        return list(
            relation.field.model._default_manager.filter(
                **{relation.field.name: instance}
            ).values_list("pk", flat=True)
        )
    return list(getattr(instance, relation.field.name).values_list("pk", flat=True))


def _note(model, holders, note: str) -> None:
    if not holders or history_of(model) is None:
        return
    if len(note) > NOTE_LENGTH:
        note = note[: NOTE_LENGTH - 1] + "…"
    getattr(model, model._meta.simple_history_manager_attribute).bulk_history_create(
        holders, update=True, default_change_reason=note, custom_historical_attrs=current()
    )
