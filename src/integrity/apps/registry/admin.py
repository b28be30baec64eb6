from django.contrib import admin

from .models import AssessmentYear, Institution, LocalOffice, Officer, TargetTask


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
    list_display = ("code", "name", "type_code", "staff", "supervisor", "officer", "year")
    list_filter = ("year", "type_code", "officer")
    search_fields = ("code", "name")
    autocomplete_fields = ("supervisor",)
    inlines = [TaskInline, OfficeInline]
