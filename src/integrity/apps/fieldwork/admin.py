from django.contrib import admin

from .models import CallAssignment, Invitation


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ("id", "institution", "task", "survey", "channel", "status", "used", "sent_count")
    list_filter = ("status", "survey", "channel", "used")
    search_fields = ("institution__name", "institution__code")
    fields = ("institution", "task", "survey", "group", "channel", "status", "used", "sent_count", "last_sent_at")
    readonly_fields = fields
    def has_add_permission(self, request):
        return False


@admin.register(CallAssignment)
class CallAssignmentAdmin(admin.ModelAdmin):
    list_display = ("invitation", "interviewer", "callback_at", "closed")
    list_filter = ("closed", "interviewer")
