from django.contrib import admin

from .models import Alert, CalendarEvent, Delivery, PastIncident


@admin.register(CalendarEvent)
class CalendarEventAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "start", "end", "regions")
    list_filter = ("kind",)
    search_fields = ("name", "regions")
    date_hierarchy = "start"


@admin.register(PastIncident)
class PastIncidentAdmin(admin.ModelAdmin):
    list_display = ("occurred_on", "institution_name", "field", "act_type", "region", "family", "source")
    list_filter = ("field", "family", "source")
    search_fields = ("institution_name", "institution_code", "act_type")
    date_hierarchy = "occurred_on"


@admin.register(Alert)
class AlertAdmin(admin.ModelAdmin):
    list_display = ("month", "region", "family", "field", "uplift", "expected", "baseline", "issued_at")
    list_filter = ("field", "family", "region")
    readonly_fields = [f.name for f in Alert._meta.fields]


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ("alert", "institution", "channel", "recipients", "sent_at", "sent_by")
    list_filter = ("channel",)
    readonly_fields = [f.name for f in Delivery._meta.fields]
