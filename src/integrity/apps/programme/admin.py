from django.contrib import admin

from .models import CoreTask, ProgressReport, Strategy, SubTask, Target


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin):
    list_display = ("institution_code", "year", "measure", "kind", "value", "updated_at")
    list_filter = ("year", "kind")
    search_fields = ("institution_code", "measure")


class CoreTaskInline(admin.TabularInline):
    model = CoreTask
    extra = 0


@admin.register(Strategy)
class StrategyAdmin(admin.ModelAdmin):
    list_display = ("institution_code", "year", "order", "title")
    list_filter = ("year",)
    search_fields = ("institution_code", "title")
    inlines = [CoreTaskInline]


@admin.register(SubTask)
class SubTaskAdmin(admin.ModelAdmin):
    list_display = ("title", "owner", "deadline", "status", "progress")
    list_filter = ("status",)
    search_fields = ("title", "owner", "core_task__strategy__institution_code")


@admin.register(ProgressReport)
class ProgressReportAdmin(admin.ModelAdmin):
    """Read-only: reports are made on the programme pages (audited); the evidence file's
    name stays encrypted here."""

    list_display = ("sub_task", "reported_on", "progress", "evidence_type")
    exclude = ("evidence_name_enc", "evidence_stored")

    def has_change_permission(self, request, obj=None):
        return False
