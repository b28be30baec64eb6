from django.contrib import admin

from .models import Application, Cluster, DuesPayment, Event, Material, Meeting, Member, Motion, Office


@admin.register(Cluster)
class ClusterAdmin(admin.ModelAdmin):
    list_display = ("name", "region", "founded_on")
    filter_horizontal = ("secretariat_users",)


@admin.register(Member)
class MemberAdmin(admin.ModelAdmin):
    list_display = ("name", "cluster", "kind", "institution_code", "joined_on", "left_on")
    list_filter = ("cluster", "kind")
    search_fields = ("name", "institution_code")
    exclude = ("contact_enc",)


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ("name", "cluster", "kind", "received_on", "status")
    list_filter = ("cluster", "status")
    exclude = ("contact_enc",)
    readonly_fields = ("status", "member")


@admin.register(Office)
class OfficeAdmin(admin.ModelAdmin):
    list_display = ("role", "member", "cluster", "starts_on", "ends_on")
    list_filter = ("cluster", "role")


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ("title", "cluster", "body", "held_on")
    list_filter = ("cluster", "body")


@admin.register(Motion)
class MotionAdmin(admin.ModelAdmin):
    """Read only: an outcome is computed from the count, never typed."""

    list_display = ("title", "meeting", "kind", "result")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(DuesPayment)
class DuesPaymentAdmin(admin.ModelAdmin):
    list_display = ("member", "year", "cash", "in_kind_value", "paid_on")


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ("title", "cluster", "kind", "starts_on", "participants")
    list_filter = ("cluster", "kind")


@admin.register(Material)
class MaterialAdmin(admin.ModelAdmin):
    list_display = ("title", "cluster", "kind", "uploaded_at")
    exclude = ("stored_name",)
