from django import forms
from django.utils.translation import gettext_lazy as _

from .models import FrameKind


class FrameImportForm(forms.Form):
    institution = forms.ChoiceField(label=_("기관"))
    kind = forms.ChoiceField(label=_("파일 종류"), choices=FrameKind.choices)
    file = forms.FileField(label=_("파일(.xlsx 또는 .csv)"))
    password = forms.CharField(label=_("파일 비밀번호"), required=False, strip=False,
                               widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
                               help_text=_("엑셀 파일에 건 비밀번호입니다. 점검에만 쓰고 저장하지 않습니다."))

    def __init__(self, *args, bodies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["institution"].choices = [(b.pk, f"{b.name} ({b.type_name})") for b in bodies]
