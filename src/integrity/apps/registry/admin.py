from django.contrib import admin

from django.utils.translation import gettext_lazy as _

from .models import AssessmentYear, Institution, LocalOffice, MeasurementRotation, Officer, TargetTask


@admin.register(AssessmentYear)
class AssessmentYearAdmin(admin.ModelAdmin):
    list_display = ("year", "model_name", "open_to_liaisons")


@admin.register(Officer)
class OfficerAdmin(admin.ModelAdmin):
    list_display = ("name", "title", "phone", "email")
    search_fields = ("name",)


class TaskInline(admin.TabularInline):
    model = TargetTask
    extra = 0


class OfficeInline(admin.TabularInline):
    model = LocalOffice
    extra = 0


@admin.register(Institution)
class InstitutionAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "type_code", "staff", "supervisor", "officer", "year", "rotation_state")
    list_filter = ("year", "type_code", "officer")
    search_fields = ("code", "name")
    autocomplete_fields = ("supervisor",)
    inlines = [TaskInline, OfficeInline]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("rotation", "supervisor", "officer", "year")

    @admin.display(description=_("순환 측정"))
    def rotation_state(self, obj):
        rotation = getattr(obj, "rotation", None)
        if rotation is None:
            return ""
        return _("올해 측정") if rotation.measured else _("측정 제외(순환)")


@admin.register(MeasurementRotation)
class MeasurementRotationAdmin(admin.ModelAdmin):
    """Read here; set with the rotation page or ``manage.py set_rotation`` (whole year at once)."""

    list_display = ("institution", "parent", "measured", "rule", "cycle_group", "cycle_position", "set_at", "set_by")
    list_filter = ("institution__year", "measured", "rule")
    search_fields = ("institution__code", "institution__name", "parent__name")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
