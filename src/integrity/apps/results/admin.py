from django.contrib import admin

from .models import InstitutionResult, ScoringRun


@admin.register(ScoringRun)
class ScoringRunAdmin(admin.ModelAdmin):
    list_display = ("id", "year", "model_version", "created_at", "published_at")
    readonly_fields = ("year", "model_version", "input_fingerprint", "parameters", "created_at")


@admin.register(InstitutionResult)
class InstitutionResultAdmin(admin.ModelAdmin):
    list_display = ("name", "institution_code", "type_name", "status", "overall_published", "grade", "rank_in_type", "run")
    list_filter = ("run", "type_name", "status", "grade")
    search_fields = ("name", "institution_code")

    def has_change_permission(self, request, obj=None):
        return False  # results are the engine's output, never edited by hand

    def has_add_permission(self, request):
        return False
