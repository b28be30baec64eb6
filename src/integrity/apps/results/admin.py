from django.contrib import admin, messages

from .models import InstitutionResult, PublishedRunError, ScoringRun
from .services import publish


@admin.register(ScoringRun)
class ScoringRunAdmin(admin.ModelAdmin):
    list_display = ("id", "year", "model_version", "created_at", "published_at", "input_fingerprint")
    readonly_fields = [f.name for f in ScoringRun._meta.fields]
    actions = ["publish_run"]

    def has_add_permission(self, request):
        return False  # runs come from the engine (manage.py run_scoring / score)

    def has_change_permission(self, request, obj=None):
        return False  # a run is never edited

    def has_delete_permission(self, request, obj=None):
        return obj is not None and obj.published_at is None  # drafts may go; published runs stay

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # bulk delete would not ask about published runs one by one
        return actions

    @admin.action(description="선택한 채점 결과를 공표 (되돌릴 수 없음)")
    def publish_run(self, request, queryset):
        for run in queryset:
            try:
                publish(run, request.user)
                self.message_user(request, f"{run} 공표")
            except PublishedRunError as exc:
                self.message_user(request, str(exc), messages.ERROR)


@admin.register(InstitutionResult)
class InstitutionResultAdmin(admin.ModelAdmin):
    list_display = ("name", "institution_code", "type_name", "status", "overall_published", "grade", "rank_in_type", "run")
    list_filter = ("run", "type_name", "status", "grade")
    search_fields = ("name", "institution_code")

    def has_change_permission(self, request, obj=None):
        return False  # results are the engine's output, never edited by hand

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
