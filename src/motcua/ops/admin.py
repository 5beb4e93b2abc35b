from django.contrib import admin

from .models import WorkerHeartbeat


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(admin.ModelAdmin):
    list_display = ("worker_id", "hostname", "pid", "started_at", "seen_at", "tasks_run")
    readonly_fields = list_display

    def has_add_permission(self, request: object) -> bool:
        return False
