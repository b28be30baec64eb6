"""The respondent's phone request: another number (optional) and a time window."""

import phonenumbers
from django import forms
from django.utils.translation import gettext_lazy as _

from .models import CallWindow


class PhoneRequestForm(forms.Form):
    phone = forms.CharField(label=_("연락받을 번호 (비워 두면 안내받은 번호로 연락드립니다)"), required=False, max_length=30,
                            widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}))
    window = forms.ChoiceField(label=_("통화하기 좋은 시간"), choices=CallWindow.choices, required=False)

    def clean_phone(self) -> str | None:
        """A Korean number as E.164 (010-1234-5678, +82 10 ..., full-width digits too)."""
        import unicodedata

        raw = unicodedata.normalize("NFKC", self.cleaned_data.get("phone") or "").strip()
        if not raw:
            return None
        try:
            number = phonenumbers.parse(raw, "KR")
        except phonenumbers.NumberParseException:
            number = None
        if number is None or not phonenumbers.is_valid_number(number):
            raise forms.ValidationError(_("전화번호를 확인해 주세요 (예: 010-1234-5678)"))
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
