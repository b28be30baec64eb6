"""Forms of 청렴신문고 and the registers; the vocabularies come from reporting.yaml."""

from __future__ import annotations

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from integrity.apps.registry.models import AssessmentYear, Institution
from integrity.model.names import english
from integrity.reporting import rules

from .models import CitizenAuditor, OneStrikeEntry, SolicitationEntry


def choices(section: str, blank: bool = False):
    in_english = english(get_language())
    options = [(t.code, t.name_en if in_english else t.name) for t in rules.terms(section).values()]
    return ([("", "—")] if blank else []) + options


def current_institutions():
    """The registry's latest year: the bodies a report can be about."""
    year = AssessmentYear.objects.order_by("-year").first()
    return Institution.objects.filter(year=year).order_by("name") if year else Institution.objects.none()


class InstitutionChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class ReportForm(forms.Form):
    institution = InstitutionChoice(label=_("신고 대상 기관"), queryset=Institution.objects.none(), to_field_name="code",
                                    empty_label=_("기관을 고르세요"))
    kind = forms.ChoiceField(label=_("신고 종류"))
    field = forms.ChoiceField(label=_("분야"))
    title = forms.CharField(label=_("제목"), max_length=200)
    what = forms.CharField(label=_("무슨 일이 있었나요"), max_length=5000, widget=forms.Textarea(attrs={"rows": 8}),
                           help_text=_("누가, 무엇을, 어떻게 했는지 적어 주세요. 본인을 알아볼 수 있는 내용은 적지 않아도 됩니다."))
    when = forms.CharField(label=_("언제"), max_length=200, required=False, help_text=_("예: 2026년 10월 초"))
    where = forms.CharField(label=_("어디서"), max_length=200, required=False)
    named = forms.BooleanField(label=_("실명으로 신고합니다"), required=False,
                               help_text=_("체크하지 않으면 이름 없이 신고합니다. 실명은 암호화해 보관하고 사건 담당자만 봅니다."))
    name = forms.CharField(label=_("이름(실명 신고일 때)"), max_length=50, required=False)
    contact = forms.CharField(label=_("연락처(실명 신고일 때)"), max_length=100, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["institution"].queryset = current_institutions()
        self.fields["kind"].choices = choices("kinds")
        self.fields["field"].choices = choices("fields")

    def clean(self):
        data = super().clean()
        if data.get("named") and not (data.get("name") or "").strip():
            self.add_error("name", _("실명 신고에는 이름을 적어 주세요"))
        if not data.get("named") and ((data.get("name") or "").strip() or (data.get("contact") or "").strip()):
            self.add_error("named", _("이름이나 연락처를 적었다면 '실명으로 신고합니다'를 체크하세요. 익명 신고에는 적지 않습니다"))
        return data


class FollowForm(forms.Form):
    code = forms.CharField(label=_("접수번호"), max_length=60,
                           widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters",
                                                         "spellcheck": "false"}))
    passphrase = forms.CharField(label=_("비밀번호"), max_length=40,
                                 widget=forms.PasswordInput(attrs={"autocomplete": "off", "inputmode": "numeric"}))


class ReplyForm(forms.Form):
    body = forms.CharField(label=_("답변·추가 내용"), max_length=5000, widget=forms.Textarea(attrs={"rows": 5}))


class _Institutional(forms.ModelForm):
    """Administrators choose the institution; a team member's is their own."""

    def __init__(self, *args, user_code: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if "institution" in self.fields:
            if user_code is None:
                self.fields["institution"].queryset = current_institutions()
            else:
                del self.fields["institution"]


class SolicitationForm(_Institutional):
    solicitor_name = forms.CharField(label=_("청탁한 사람의 이름"), max_length=50)
    solicitor_affiliation = forms.CharField(label=_("청탁한 사람의 소속·직업"), max_length=100, required=False)
    solicitor_contact = forms.CharField(label=_("청탁한 사람의 연락처"), max_length=100, required=False)
    field_order = ["institution", "solicited_on", "place", "method", "via_third_party", "solicitor_name",
                   "solicitor_affiliation", "solicitor_contact"]

    class Meta:
        model = SolicitationEntry
        fields = ["institution", "solicited_on", "place", "method", "via_third_party", "official", "field", "content",
                  "refused", "repeated", "handling", "handling_note", "handled_on"]
        widgets = {"solicited_on": forms.DateInput(attrs={"type": "date"}),
                   "handled_on": forms.DateInput(attrs={"type": "date"}),
                   "content": forms.Textarea(attrs={"rows": 4}), "handling_note": forms.Textarea(attrs={"rows": 3}),
                   "method": forms.Select, "field": forms.Select, "handling": forms.Select}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["method"].widget.choices = choices("solicitation_methods")
        self.fields["field"].widget.choices = choices("fields")
        self.fields["handling"].widget.choices = choices("solicitation_handling")

    def clean(self):
        data = super().clean()
        for name, section in (("method", "solicitation_methods"), ("field", "fields"), ("handling", "solicitation_handling")):
            if data.get(name) and data[name] not in rules.terms(section):
                self.add_error(name, _("목록에 있는 값을 고르세요"))
        if data.get("repeated") and not data.get("refused"):
            self.add_error("repeated", _("거절한 뒤에 다시 청탁한 경우에만 체크합니다"))
        return data


class OneStrikeForm(_Institutional):
    official_name = forms.CharField(label=_("관련 공직자 이름"), max_length=50)
    field_order = ["institution", "official_name"]

    class Meta:
        model = OneStrikeEntry
        fields = ["institution", "department", "position", "acted_on", "description", "amount", "outcome", "outcome_on",
                  "outcome_reason"]
        widgets = {"acted_on": forms.DateInput(attrs={"type": "date"}), "outcome_on": forms.DateInput(attrs={"type": "date"}),
                   "description": forms.Textarea(attrs={"rows": 3}), "outcome_reason": forms.Textarea(attrs={"rows": 3}),
                   "outcome": forms.Select}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["outcome"].widget.choices = choices("disciplinary_outcomes")

    def clean_amount(self):
        amount = self.cleaned_data["amount"]
        if amount is not None and amount < 0:
            raise forms.ValidationError(_("금액은 0원 이상이어야 합니다"))
        return amount

    def clean(self):
        data = super().clean()
        if data.get("outcome") and data["outcome"] not in rules.terms("disciplinary_outcomes"):
            self.add_error("outcome", _("목록에 있는 값을 고르세요"))
        return data


class AuditorForm(_Institutional):
    name = forms.CharField(label=_("이름"), max_length=50)
    phone = forms.CharField(label=_("전화"), max_length=30, required=False)
    assigned_fields = forms.MultipleChoiceField(label=_("맡은 분야"), required=False, widget=forms.CheckboxSelectMultiple)
    field_order = ["institution", "name", "phone", "kind"]

    class Meta:
        model = CitizenAuditor
        fields = ["institution", "kind", "term_start", "term_end", "active"]
        widgets = {"term_start": forms.DateInput(attrs={"type": "date"}), "term_end": forms.DateInput(attrs={"type": "date"}),
                   "kind": forms.Select}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].widget.choices = choices("auditor_kinds")
        self.fields["assigned_fields"].choices = choices("fields")

    def clean(self):
        data = super().clean()
        if data.get("kind") and data["kind"] not in rules.terms("auditor_kinds"):
            self.add_error("kind", _("목록에 있는 값을 고르세요"))
        if data.get("term_start") and data.get("term_end") and data["term_end"] < data["term_start"]:
            self.add_error("term_end", _("임기 끝은 시작보다 뒤여야 합니다"))
        return data


class ActivityForm(forms.Form):
    held_on = forms.DateField(label=_("활동일"), widget=forms.DateInput(attrs={"type": "date"}))
    field = forms.ChoiceField(label=_("분야"))
    summary = forms.CharField(label=_("활동 내용"), max_length=3000, widget=forms.Textarea(attrs={"rows": 3}))
    finding = forms.CharField(label=_("발견 사항(있으면)"), max_length=3000, required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))
    recommendation = forms.CharField(label=_("개선 권고"), max_length=3000, required=False,
                                     widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["field"].choices = choices("fields")
