from django import forms
from django.utils.translation import gettext_lazy as _

from .models import AssessmentYear


class RegistryImportForm(forms.Form):
    year = forms.ModelChoiceField(label=_("측정 연도"), queryset=AssessmentYear.objects.all(), empty_label=None)
    file = forms.FileField(label=_("등록부 파일(.xlsx: 기관·업무·지방관서·담당자 시트)"))
    password = forms.CharField(label=_("파일 비밀번호"), required=False, strip=False, widget=forms.PasswordInput)
