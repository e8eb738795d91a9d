"""Admin for persons and enterprises: masked data only, changes through the services.

Persons and enterprises are registered on the staff pages (validation, encryption, duplicate
checks); the admin cannot add them. Encrypted columns and lookup hashes are never shown.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest, HttpResponse

from youjie.core.audit import audit_record
from youjie.orgs.models import User
from youjie.people import services
from youjie.people.models import Enterprise, Person, PersonPhone

PERSON_EDITABLE = (
    "name",
    "region",
    "owner_unit",
    "is_deputy",
    "is_cppcc_member",
    "is_hardship",
    "hardship_note",
    "note",
)


# What the admin's person page shows of personal data (all masked or non-identifying).
ADMIN_REVEALED_FIELDS = (
    "name",
    "id_number_masked",
    "gender",
    "phones_masked",
    "hardship_note",
    "note",
)


class PersonPhoneInline(admin.TabularInline[PersonPhone, Person]):
    model = PersonPhone
    fields = ("number_masked", "is_primary", "created_at")
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name = "联系电话（脱敏）"
    verbose_name_plural = "联系电话（脱敏）"

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin[Person]):
    list_display = (
        "name",
        "id_number_masked",
        "region",
        "owner_unit",
        "is_deputy",
        "is_cppcc_member",
        "is_hardship",
    )
    list_filter = ("is_deputy", "is_cppcc_member", "is_hardship")
    list_select_related = ("region", "owner_unit")
    search_fields = ("name",)
    fields = (
        "name",
        "id_number_masked",
        "gender",
        *PERSON_EDITABLE[1:],
        "created_by",
        "created_at",
        "updated_at",
    )
    readonly_fields = (
        "id_number_masked",
        "gender",
        "created_by",
        "created_at",
        "updated_at",
    )
    exclude = ("id_number_encrypted", "id_number_hash", "address_encrypted")
    inlines = [PersonPhoneInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # register on /people/new/: validation, encryption, duplicate check

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        """Every showing of a person's page is audited with the personal fields it reveals
        (the masked number, gender, the phones' masked numbers, the notes)."""
        response = super().change_view(request, object_id, form_url, extra_context)
        person = self.get_object(request, object_id)
        actor = request.user
        if request.method == "GET" and person is not None and isinstance(actor, User):
            audit_record(
                actor=actor,
                action="admin_view_person",
                subject=person,
                fields=[*ADMIN_REVEALED_FIELDS],
                purpose="管理后台查看人员信息",
            )
        return response

    def save_model(self, request: HttpRequest, obj: Person, form: Any, change: bool) -> None:
        actor = request.user
        assert isinstance(actor, User)
        changes = {
            key: form.cleaned_data[key] for key in form.changed_data if key in PERSON_EDITABLE
        }
        if changes:
            fresh = Person.objects.get(pk=obj.pk)
            services.person_update(actor=actor, person=fresh, **changes)


@admin.register(Enterprise)
class EnterpriseAdmin(admin.ModelAdmin[Enterprise]):
    list_display = ("name", "uscc", "legal_representative", "region", "owner_unit")
    list_select_related = ("region", "owner_unit")
    search_fields = ("name", "uscc")
    fields = (
        "name",
        "uscc",
        "legal_representative",
        "contact_person",
        "region",
        "owner_unit",
        "created_by",
        "created_at",
        "updated_at",
    )
    readonly_fields = (
        "uscc",
        "owner_unit",
        "contact_person",
        "created_by",
        "created_at",
        "updated_at",
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # register on /people/enterprises/new/: USCC check, duplicate check

    def save_model(self, request: HttpRequest, obj: Enterprise, form: Any, change: bool) -> None:
        actor = request.user
        assert isinstance(actor, User)
        editable = ("name", "legal_representative", "region")
        changes = {key: form.cleaned_data[key] for key in form.changed_data if key in editable}
        if changes:
            fresh = Enterprise.objects.get(pk=obj.pk)
            services.enterprise_update(actor=actor, enterprise=fresh, **changes)
