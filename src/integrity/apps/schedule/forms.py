"""The administrator's forms: the year's dates, an extension, a reminder's channels."""

from __future__ import annotations

from django import forms
from django.forms import modelformset_factory
from django.utils.translation import gettext_lazy as _

from .models import Channel, FormDeadline, Phase

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PhaseForm(forms.ModelForm):
    class Meta:
        model = Phase
        fields = ["starts", "ends", "note"]
        widgets = {"starts": DATE, "ends": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():  # a table row: the phase names the inputs
            field.widget.attrs["aria-label"] = f"{self.instance.get_kind_display()} {field.label}"

    def clean(self):
        data = super().clean()
        if data.get("starts") and data.get("ends") and data["ends"] < data["starts"]:
            raise forms.ValidationError(_("{phase}: 종료일이 시작일보다 빠릅니다").format(phase=self.instance.get_kind_display()))
        return data


class FormDeadlineForm(forms.ModelForm):
    class Meta:
        model = FormDeadline
        fields = ["due"]
        widgets = {"due": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["due"].widget.attrs["aria-label"] = f"{self.instance.form_code} {self.fields['due'].label}"


PhaseFormSet = modelformset_factory(Phase, form=PhaseForm, extra=0)
DeadlineFormSet = modelformset_factory(FormDeadline, form=FormDeadlineForm, extra=0)


class ExtensionForm(forms.Form):
    until = forms.DateField(label=_("연장 기한"), widget=DATE)
    reason = forms.CharField(label=_("사유"), max_length=300, widget=forms.TextInput(attrs={"size": 60}))

    def __init__(self, *args, due=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.due = due

    def clean_until(self):
        until = self.cleaned_data["until"]
        if self.due and until <= self.due:
            raise forms.ValidationError(_("연장 기한은 원래 제출 기한({due})보다 늦어야 합니다").format(due=self.due.isoformat()))
        return until

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("연장 사유를 적어 주세요"))
        return reason


class RemindForm(forms.Form):
    channels = forms.MultipleChoiceField(label=_("보낼 수단"), choices=Channel.choices, widget=forms.CheckboxSelectMultiple,
                                         error_messages={"required": _("전자우편이나 문자 중 하나 이상을 고르세요")})
