"""Back-office view of the registers, read only: their names are encrypted and are
entered on the registers' own pages. Reports themselves are not in the admin: their
texts are encrypted and every look at a case must be logged (case_views)."""

from django.contrib import admin

from .models import AuditorActivity, CaseAccess, CitizenAuditor, OneStrikeEntry, SolicitationEntry


@admin.register(CaseAccess)
class CaseAccessAdmin(admin.ModelAdmin):
    list_display = ("at", "user", "action", "detail")
    list_filter = ("action",)
    readonly_fields = ("report", "user", "action", "detail", "at")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(SolicitationEntry)
class SolicitationAdmin(ReadOnly):
    list_display = ("institution", "solicited_on", "method", "handling")
    exclude = ("solicitor_enc",)


@admin.register(OneStrikeEntry)
class OneStrikeAdmin(ReadOnly):
    list_display = ("institution", "acted_on", "amount", "flagged", "outcome")
    exclude = ("official_enc",)


@admin.register(CitizenAuditor)
class CitizenAuditorAdmin(ReadOnly):
    list_display = ("institution", "kind", "term_start", "term_end", "active")
    exclude = ("name_enc", "phone_enc")


admin.site.register(AuditorActivity, ReadOnly)
