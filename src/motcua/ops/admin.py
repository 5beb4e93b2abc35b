from django.contrib import admin

from .models import JobRun, WorkerHeartbeat


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(admin.ModelAdmin):
    list_display = ("worker_id", "hostname", "pid", "started_at", "seen_at", "tasks_run")
    readonly_fields = list_display

    def has_add_permission(self, request: object) -> bool:
        return False


@admin.register(JobRun)
class JobRunAdmin(admin.ModelAdmin):
    """The periodic jobs' runs, to read: they are written by the scheduler only."""

    list_display = ("job", "scheduled_for", "ok", "started_at", "finished_at", "worker_id")
    list_filter = ("job", "ok", "manual")
    date_hierarchy = "scheduled_for"
    readonly_fields = (
        "job",
        "scheduled_for",
        "manual",
        "worker_id",
        "started_at",
        "finished_at",
        "ok",
        "result",
        "error",
    )

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False
