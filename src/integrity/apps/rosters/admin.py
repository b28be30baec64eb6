from django.contrib import admin

from .models import RosterUpload


@admin.register(RosterUpload)
class RosterUploadAdmin(admin.ModelAdmin):
    list_display = ("id", "institution", "form_code", "task", "status", "row_count", "excluded_count", "problem_count", "uploaded_at")
    list_filter = ("status", "form_code")
    search_fields = ("institution__name", "institution__code", "filename")
    exclude = ("payload",)
    readonly_fields = [f.name for f in RosterUpload._meta.fields if f.name != "payload"]

    def has_add_permission(self, request):
        return False  # uploads go through the checked upload screen
