from django.contrib import admin

from .models import Draw


@admin.register(Draw)
class DrawAdmin(admin.ModelAdmin):
    list_display = ("id", "upload", "method", "seed", "wanted", "drawn", "eligible", "created_at", "superseded_at")
    readonly_fields = [f.name for f in Draw._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
