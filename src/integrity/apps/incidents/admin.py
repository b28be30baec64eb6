from django.contrib import admin

from integrity.apps.audit.services import record

from .models import Case, CredibilityCase, Evidence, Finding, OnsiteCheck, Rebuttal, RecordImport
from .services import decision_of


class Audited(admin.ModelAdmin):
    """Every decision an administrator makes here goes to the audit log."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        record(request.user, f"{obj._meta.model_name}.{'changed' if change else 'added'}", obj, str(obj)[:300],
               fields=list(form.changed_data))

    def delete_model(self, request, obj):
        record(request.user, f"{obj._meta.model_name}.deleted", obj, str(obj)[:300])
        super().delete_model(request, obj)


@admin.register(Case)
class CaseAdmin(Audited):
    list_display = ("institution", "act_type", "disposed_on", "detected_by", "source", "counts", "rebuttal", "evidence_link")
    list_filter = ("year", "source", "rebuttal", "act_type", "field", "habitual", "prior_year")
    search_fields = ("institution__name", "institution__code", "note")
    autocomplete_fields = ("institution", "acted_at", "seconded_from")
    actions = ["accept_rebuttal", "reject_rebuttal"]

    @admin.display(description="반영 여부")
    def counts(self, obj):
        decision = decision_of(obj)
        return f"반영 ({decision.category})" if decision.counts else f"제외: {decision.reason}"

    @admin.display(description="증빙 파일")
    def evidence_link(self, obj):
        from django.urls import reverse
        from django.utils.html import format_html

        return format_html('<a href="{}">증빙 {}건</a>', reverse("incidents:evidence", args=[obj.pk]), obj.evidence.count())

    @admin.action(description="소명 인정 (사건 제외)")
    def accept_rebuttal(self, request, queryset):
        self._rebuttal(request, queryset, Rebuttal.ACCEPTED)

    @admin.action(description="소명 불인정")
    def reject_rebuttal(self, request, queryset):
        self._rebuttal(request, queryset, Rebuttal.REJECTED)

    def _rebuttal(self, request, queryset, outcome):
        for case in queryset:
            case.rebuttal = outcome
            case.save(update_fields=["rebuttal"])
            record(request.user, f"case.rebuttal_{outcome}", case, str(case)[:300])


@admin.register(CredibilityCase)
class CredibilityCaseAdmin(Audited):
    list_display = ("institution", "violation", "points", "grade_down", "void", "source")
    list_filter = ("year", "violation", "void")
    autocomplete_fields = ("institution",)


@admin.register(OnsiteCheck)
class OnsiteCheckAdmin(Audited):
    list_display = ("institution", "checked_on", "checker", "subject", "outcome", "credibility_case")
    list_filter = ("year", "subject", "outcome")
    search_fields = ("institution__name", "institution__code", "checker", "findings")
    autocomplete_fields = ("institution",)
    readonly_fields = ("credibility_case", "created_by")
    actions = ["open_credibility_case"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    @admin.action(description="신뢰도 저해행위 사건 열기 (확인 화면으로)")
    def open_credibility_case(self, request, queryset):
        from django.contrib import messages
        from django.shortcuts import redirect

        if queryset.count() != 1:
            self.message_user(request, "한 번에 한 건씩 고르세요", messages.ERROR)
            return None
        return redirect("incidents:onsite_open_case", check_id=queryset.get().pk)


class ReadOnly(admin.ModelAdmin):
    """Made by the services (uploads, imports, the cross-check), read here."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Evidence)
class EvidenceAdmin(ReadOnly):
    list_display = ("case", "kind", "file_type", "size", "uploaded_at")
    list_filter = ("kind", "file_type")
    search_fields = ("case__institution__name", "case__institution__code")
    exclude = ("name_enc", "stored_name")


@admin.register(RecordImport)
class RecordImportAdmin(ReadOnly):
    list_display = ("year", "file_name", "rows", "imported_by", "imported_at")

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Finding)
class FindingAdmin(ReadOnly):
    list_display = ("institution", "kind", "disposed_on", "act_type", "disposition", "detail", "credibility_case")
    list_filter = ("year", "kind")
    search_fields = ("institution__name", "institution__code", "act_type", "disposition")
    exclude = ("key", "record")

    def has_delete_permission(self, request, obj=None):
        return False
