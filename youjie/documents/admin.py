from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from youjie.documents.models import IssuedDocument


@admin.register(IssuedDocument)
class IssuedDocumentAdmin(admin.ModelAdmin[IssuedDocument]):
    """Read-only: a document is kept as issued; it is downloaded through its subject's pages."""

    list_display = ("number", "title", "kind", "format", "issued_by", "issued_at", "size")
    list_filter = ("kind", "format")
    search_fields = ("number", "title")
    list_select_related = ("issued_by",)
    show_full_result_count = False

    def get_readonly_fields(self, request: HttpRequest, obj: IssuedDocument | None = None) -> Any:
        return [field.name for field in IssuedDocument._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(
        self, request: HttpRequest, obj: IssuedDocument | None = None
    ) -> bool:
        return False

    def has_delete_permission(
        self, request: HttpRequest, obj: IssuedDocument | None = None
    ) -> bool:
        return False
