from django import forms
from django.utils.translation import get_language, gettext_lazy as _

from integrity.rosters import get_form


class UploadForm(forms.Form):
    form_code = forms.ChoiceField(label=_("서식"))
    task = forms.ChoiceField(label=_("측정대상업무"), required=False)
    file = forms.FileField(label=_("명부 파일(.xlsx)"))
    password = forms.CharField(label=_("파일 비밀번호"), required=False, strip=False,
                               widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
                               help_text=_("파일에 건 비밀번호입니다. 점검에만 쓰고 저장하지 않습니다."))
    sublisting = forms.ChoiceField(label=_("부분 제출"), required=False)

    def __init__(self, *args, institution, form_codes, **kwargs):
        super().__init__(*args, **kwargs)
        self.institution = institution
        self.fields["form_code"].choices = [(c, get_form(c).title) for c in ["external", *form_codes]]
        self.fields["task"].choices = [("", "—")] + [(t.pk, t.name) for t in institution.tasks.all()]
        fieldwork, language = institution.year.model.fieldwork, get_language()
        self.fields["sublisting"].choices = [("", _("전체 제출"))] + [
            (code, fieldwork.sublisting_name(code, language)) for code in fieldwork.sublisting_patterns]

    def clean(self):
        data = super().clean()
        form_code, task = data.get("form_code"), data.get("task")
        if form_code and get_form(form_code).per_task and not task:
            self.add_error("task", _("외부청렴도 명부는 측정대상업무를 골라야 합니다"))
        if form_code and not get_form(form_code).per_task and task:
            self.add_error("task", _("이 서식은 업무를 고르지 않습니다"))
        return data
