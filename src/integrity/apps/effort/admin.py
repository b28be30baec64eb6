from django.contrib import admin

from .models import Assignment, Deadline, EvaluatorScore, Panel, PanelMember, Report, Score, SiteNote, Submission, Tie


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


class _ReadOnly(admin.ModelAdmin):
    """The panel's records change only through its pages and services (conflict checks,
    the pair's decision, the audit with a reason); the admin site only reads them."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Panel)
class PanelAdmin(_ReadOnly):
    list_display = ("name", "year", "created_at")
    list_filter = ("year",)


@admin.register(PanelMember)
class PanelMemberAdmin(_ReadOnly):
    list_display = ("panel", "user", "kind", "chair")
    list_filter = ("kind", "chair")


@admin.register(Tie)
class TieAdmin(_ReadOnly):
    list_display = ("user", "institution", "reason", "declared_at")
    search_fields = ("institution__name", "institution__code", "user__username")


@admin.register(Assignment)
class AssignmentAdmin(_ReadOnly):
    list_display = ("institution", "user", "panel", "assigned_at")
    search_fields = ("institution__name", "institution__code", "user__username")


@admin.register(EvaluatorScore)
class EvaluatorScoreAdmin(_ReadOnly):
    list_display = ("institution", "indicator", "user", "level", "scored_at")
    search_fields = ("institution__name", "institution__code", "user__username", "indicator")


@admin.register(SiteNote)
class SiteNoteAdmin(_ReadOnly):
    list_display = ("institution", "indicator", "visited_on", "author")
    search_fields = ("institution__name", "institution__code")
