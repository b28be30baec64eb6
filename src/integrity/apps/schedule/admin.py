from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from integrity.apps.fieldwork.forms import PhoneRequestForm

from integrity.rosters import get_form

from .models import Extension, FormDeadline, LiaisonPhone, Phase, Reminder
from .plan import grant_extension, submission_forms
from .reminders import stage_label


@admin.display(description=_("서식"))
def form_title(obj) -> str:
    return get_form(obj.form_code).title


class ExtensionForm(forms.ModelForm):
    form_code = forms.ChoiceField(label=_("서식"), choices=lambda: [(c, get_form(c).title) for c in submission_forms()])

    class Meta:
        model = Extension
        fields = ["institution", "form_code", "until", "reason"]


@admin.register(Phase)
class PhaseAdmin(admin.ModelAdmin):
    list_display = ("year", "kind", "starts", "ends", "note")
    list_filter = ("year", "kind")
    list_editable = ("starts", "ends", "note")


@admin.register(FormDeadline)
class FormDeadlineAdmin(admin.ModelAdmin):
    list_display = ("year", form_title, "due")
    list_filter = ("year",)
    list_editable = ("due",)


@admin.register(Extension)
class ExtensionAdmin(admin.ModelAdmin):
    form = ExtensionForm
    list_display = ("institution", form_title, "until", "reason", "granted_by", "granted_at")
    search_fields = ("institution__name", "institution__code", "reason")
    list_filter = ("form_code",)
    raw_id_fields = ("institution",)
    readonly_fields = ("granted_by", "granted_at")

    def save_model(self, request, obj, form, change):
        # Through the service: the grant is logged in the audit log with its reason.
        saved = grant_extension(request.user, obj.institution, obj.form_code, obj.until, obj.reason)
        obj.pk, obj.granted_by, obj.granted_at = saved.pk, saved.granted_by, saved.granted_at


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    list_display = ("sent_at", "institution", form_title, "due", "stage_shown", "channel", "recipients", "sent_by")
    list_filter = ("channel",)
    search_fields = ("institution__name", "institution__code")

    @admin.display(description=_("구분"))
    def stage_shown(self, obj) -> str:
        return stage_label(obj.stage)

    def has_add_permission(self, request):
        return False  # reminders are sent from the deadline view or the command, never typed in

    def has_change_permission(self, request, obj=None):
        return False


class LiaisonPhoneForm(forms.ModelForm):
    phone = forms.CharField(label=_("휴대전화"), max_length=30, help_text=_("예: 010-1234-5678 (암호화하여 저장)"))

    class Meta:
        model = LiaisonPhone
        fields = ["user"]

    def clean_phone(self):
        checker = PhoneRequestForm({"phone": self.cleaned_data["phone"]})
        if not checker.is_valid() or not checker.cleaned_data["phone"]:
            raise forms.ValidationError(_("전화번호를 확인해 주세요 (예: 010-1234-5678)"))
        return checker.cleaned_data["phone"]

    def save(self, commit=True):
        from integrity.apps.rosters.services import cipher

        self.instance.phone_enc = cipher().encrypt(self.cleaned_data["phone"])
        return super().save(commit)


@admin.register(LiaisonPhone)
class LiaisonPhoneAdmin(admin.ModelAdmin):
    form = LiaisonPhoneForm
    list_display = ("user",)
    raw_id_fields = ("user",)
