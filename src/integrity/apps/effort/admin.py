from django.contrib import admin

from .models import Deadline, Report, Score, Submission


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    list_display = ("institution", "status", "receipt", "submitted_at")
    list_filter = ("status",)
    search_fields = ("institution__name", "institution__code", "receipt")
    readonly_fields = ("institution", "status", "receipt", "submitted_at", "submitted_by")


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ("institution", "indicator", "figure", "updated_at")
    search_fields = ("institution__name", "institution__code", "indicator")
    readonly_fields = ("institution", "indicator", "figure", "narrative", "updated_by")


@admin.register(Score)
class ScoreAdmin(admin.ModelAdmin):
    """Read-only: scores change on the scoring page, which audits each change with its reason."""

    list_display = ("institution", "indicator", "level", "value", "scored_at")
    search_fields = ("institution__name", "institution__code", "indicator")

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


admin.site.register(Deadline)
