"""Read-only admin of the e-results: issued versions are never edited, only corrected."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from .models import ResultDocument, ResultDownload


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False


@admin.register(ResultDocument)
class ResultDocumentAdmin(ReadOnlyAdmin):
    list_display = ("code", "kind", "title", "signer", "signed_at", "is_current")
    list_filter = ("kind", "source", "is_current")
    search_fields = ("code", "dossier__code", "sha256")
    raw_id_fields = ("dossier", "attachment", "supersedes", "created_by")
    exclude = ("file",)


@admin.register(ResultDownload)
class ResultDownloadAdmin(ReadOnlyAdmin):
    list_display = ("result", "channel", "user", "api_client", "at")
    list_filter = ("channel",)
    search_fields = ("result__code", "dossier__code")
    raw_id_fields = ("result", "dossier", "user", "api_client")
