"""Corruption incidents and credibility violations: the deductions of a year.

Incidents come from the institutions' lists (서식 4-1, 4-2, 4-4), from audit
reports and from the press; the scope rules (integrity.incidents) decide which
count, where and as what. Credibility violations are recorded with the sanction
the model's table allows. Every change is written to the audit log."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from integrity.apps.registry.models import AssessmentYear, Institution


class Source(models.TextChoices):
    DISCIPLINARY = "disciplinary", _("징계·처분 목록(서식 4-1·4-2)")
    AUDIT = "audit", _("감사처분(서식 4-4)")
    PRESS = "press", _("언론 보도")
    COMMISSION = "commission", _("권익위 자료")
    OWN_REGISTER = "own_register", _("기관 자체 등록부(부정청탁·원스트라이크 아웃)")


class Rebuttal(models.TextChoices):
    NONE = "", _("없음")
    SUBMITTED = "submitted", _("소명 제출")
    ACCEPTED = "accepted", _("소명 인정")
    REJECTED = "rejected", _("소명 불인정")


class Case(models.Model):
    year = models.ForeignKey(AssessmentYear, on_delete=models.CASCADE, related_name="cases")
    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="cases", verbose_name=_("처분 기관"))
    acted_at = models.ForeignKey(Institution, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                 verbose_name=_("행위가 일어난 기관"))
    seconded_from = models.ForeignKey(Institution, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                      verbose_name=_("파견 원소속 기관"))
    source = models.CharField(_("출처"), max_length=16, choices=Source.choices)
    act_type = models.CharField(_("부패행위 유형"), max_length=40)
    # 분야 (인사·채용, 계약·공사, 인허가 …): the codes of earlywarning/settings.yaml; blank = derived from the act type
    field = models.CharField(_("분야"), max_length=16, blank=True,
                             help_text=_("인사·채용, 계약·공사, 인허가, 보조금, 금품·향응, 예산·회계. 비우면 부패행위 유형으로 정합니다"))
    acted_on = models.DateField(_("행위일"), null=True, blank=True)
    disposed_on = models.DateField(_("처분일"), null=True, blank=True)
    redisposed_on = models.DateField(_("재처분일"), null=True, blank=True)
    disposition = models.CharField(_("처분"), max_length=100, blank=True)
    major = models.BooleanField(_("중대 사건"), default=False)
    position = models.CharField(_("직위 구분"), max_length=16, blank=True)
    amount = models.BigIntegerField(_("금액(원)"), null=True, blank=True)
    people = models.PositiveIntegerField(_("관련자 수"), default=1)
    detected_by = models.CharField(_("적발경로"), max_length=24)
    counterpart = models.CharField(_("상대(외부/내부)"), max_length=8, blank=True)
    category = models.CharField(_("구분(관리자 결정)"), max_length=8, blank=True)
    committee_points = models.FloatField(_("위원회 결정 감점"), null=True, blank=True)
    rebuttal = models.CharField(_("소명"), max_length=10, choices=Rebuttal.choices, default=Rebuttal.NONE, blank=True)
    rebuttal_text = models.TextField(_("소명 내용과 증빙"), blank=True)
    note = models.CharField(_("비고"), max_length=300, blank=True)
    # Terms of the incident index (공직유관단체·정무직, 실시계획 II.5 ②) and prior-year recounts.
    habitual = models.BooleanField(_("관행적·상습적"), default=False)
    ripple = models.CharField(_("부정적 파급력"), max_length=16, blank=True,
                              help_text=_("측정모형의 파급력 단계(limited, regional, national). 비우면 limited"))
    prior_year = models.BooleanField(_("전년도 감점 사건"), default=False)
    new_facts = models.TextField(_("새로 드러난 사실·관련자"), blank=True)
    new_facts_on = models.DateField(_("새 사실 확인일"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("부패사건")
        verbose_name_plural = _("부패사건")
        ordering = ["year", "institution__code", "pk"]

    def __str__(self) -> str:
        return f"{self.institution.name} {self.act_type} ({self.disposed_on or self.acted_on or '-'})"

    def clean(self):
        """The ripple level must be one of the model's; a prior-year case counts again only
        with the new facts written down and dated."""
        from django.core.exceptions import ValidationError

        errors = {}
        levels = self.year.model.incidents.ripple if self.year_id else {}
        if self.ripple and self.ripple not in levels:
            errors["ripple"] = f"알 수 없는 파급력 단계입니다 (허용: {', '.join(levels)})"
        cap = self.year.model.incidents.cap if self.year_id else None
        if self.committee_points is not None and cap is not None and not 0 <= self.committee_points <= cap:
            errors["committee_points"] = f"위원회 결정 감점은 0점부터 기관당 상한 {cap:g}점까지입니다"
        if self.field:
            from integrity.earlywarning.config import load_settings

            fields = load_settings().fields
            if self.field not in fields:
                errors["field"] = f"알 수 없는 분야입니다 (허용: {', '.join(f'{c}({n})' for c, n in fields.items())})"
        if self.prior_year and not (self.new_facts.strip() and self.new_facts_on):
            errors["new_facts"] = "전년도 감점 사건을 다시 반영하려면 새로 드러난 사실·관련자와 확인일을 적어야 합니다"
        if errors:
            raise ValidationError(errors)


class CredibilityCase(models.Model):
    year = models.ForeignKey(AssessmentYear, on_delete=models.CASCADE, related_name="credibility_cases")
    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="credibility_cases")
    violation = models.CharField(_("저해행위"), max_length=40)
    points = models.FloatField(_("감점"), null=True, blank=True)
    grade_down = models.PositiveSmallIntegerField(_("등급 하향"), default=0)
    void = models.BooleanField(_("측정결과 무효"), default=False)
    source = models.CharField(_("근거"), max_length=100, blank=True, help_text=_("현장조사 신호, 명부 점검 등"))
    note = models.CharField(_("내용"), max_length=300)

    class Meta:
        verbose_name = _("신뢰도 저해행위")
        verbose_name_plural = _("신뢰도 저해행위")

    def __str__(self) -> str:
        return f"{self.institution.name} {self.violation}"

    def clean(self):
        """Only the sanctions the model's table allows for this violation (실시계획 II.6)."""
        from django.core.exceptions import ValidationError

        rules = self.year.model.credibility
        violation = rules.violations.get(self.violation)
        if violation is None:
            raise ValidationError({"violation": f"알 수 없는 저해행위 (허용: {', '.join(rules.violations)})"})
        errors = {}
        low, high = rules.points_range
        if self.points is not None and ("points" not in violation.sanctions or not low <= self.points <= high):
            errors["points"] = f"이 행위에는 감점을 줄 수 없거나 {low:g}~{high:g} 밖입니다"
        if self.grade_down and ("grade_down" not in violation.sanctions or self.grade_down > rules.max_grade_down):
            errors["grade_down"] = "이 행위에는 등급 하향을 줄 수 없거나 단계가 너무 큽니다"
        if self.void and "void" not in violation.sanctions:
            errors["void"] = "이 행위에는 측정결과 무효를 줄 수 없습니다"
        if errors:
            raise ValidationError(errors)


class EvidenceKind(models.TextChoices):
    DECISION = "decision", _("징계의결서")
    REQUEST = "request", _("감사결과 처분요구서")
    REGISTER = "register", _("징계대장·처분대장")
    OTHER = "other", _("기타 증빙")


class Evidence(models.Model):
    """A copy of the papers behind a case. The file lives encrypted under
    INTEGRITY_EVIDENCE_DIR with a random name (evidence_store); its original name,
    which may name a person, is encrypted too."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(_("증빙 종류"), max_length=10, choices=EvidenceKind.choices)
    file_type = models.CharField(_("파일 형식"), max_length=8)  # what the bytes are (integrity.incidents.evidence)
    name_enc = models.BinaryField()
    size = models.PositiveIntegerField(_("크기(바이트)"))
    stored_name = models.CharField(max_length=64, unique=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    uploaded_at = models.DateTimeField(_("올린 때"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("사건 증빙 파일")
        verbose_name_plural = _("사건 증빙 파일")
        ordering = ["case", "pk"]

    def __str__(self) -> str:
        return f"{self.case} {self.get_kind_display()} #{self.pk}"


class OnsiteSubject(models.TextChoices):
    INCIDENTS = "incidents", _("부패사건 처분자료")
    ROSTERS = "rosters", _("측정대상자 명부")
    SELF_SURVEY = "self_survey", _("자체 설문·응답 유도")
    OTHER = "other", _("기타")


class OnsiteOutcome(models.TextChoices):
    CONFIRMED = "confirmed", _("제출자료와 일치")
    SUPPLEMENT = "supplement", _("보완 요구")
    WARNING = "warning", _("주의 촉구(경미)")
    VIOLATION = "violation", _("신뢰도 저해행위 확인")


class OnsiteCheck(models.Model):
    """현지점검 (실시계획 II.5·II.6, IV: 8~11월): the commission checks an institution's
    submitted dispositions, rosters or self-surveys on site. An outcome that finds a
    credibility violation opens a case (one action, audited)."""

    year = models.ForeignKey(AssessmentYear, on_delete=models.CASCADE, related_name="onsite_checks")
    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="onsite_checks",
                                    verbose_name=_("점검 기관"))
    checked_on = models.DateField(_("점검일"))
    checker = models.CharField(_("점검자(부서·직위)"), max_length=100,
                               help_text=_("예: 청렴도평가과 사무관. 점검자 개인 연락처는 적지 않습니다"))
    subject = models.CharField(_("점검 대상"), max_length=16, choices=OnsiteSubject.choices)
    findings = models.TextField(_("점검 결과(지적 사항)"))
    outcome = models.CharField(_("조치"), max_length=12, choices=OnsiteOutcome.choices)
    credibility_case = models.OneToOneField(CredibilityCase, null=True, blank=True, on_delete=models.SET_NULL,
                                            related_name="onsite_check", verbose_name=_("신뢰도 저해행위 사건"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        verbose_name = _("현지점검")
        verbose_name_plural = _("현지점검")
        ordering = ["-checked_on", "pk"]

    def __str__(self) -> str:
        return f"{self.institution.name} 현지점검 {self.checked_on:%Y-%m-%d}"

    @property
    def may_open_case(self) -> bool:
        return self.credibility_case_id is None and self.outcome in (OnsiteOutcome.WARNING, OnsiteOutcome.VIOLATION)


class RecordImport(models.Model):
    """One import of the commission's own disposition records (위원회 입력 자료), which
    replaces the year's earlier import."""

    year = models.ForeignKey(AssessmentYear, on_delete=models.CASCADE, related_name="record_imports")
    file_name = models.CharField(_("파일"), max_length=200)
    rows = models.PositiveIntegerField(_("행 수"))
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    imported_at = models.DateTimeField(_("가져온 때"), auto_now_add=True)

    class Meta:
        verbose_name = _("위원회 처분자료 가져오기")
        verbose_name_plural = _("위원회 처분자료 가져오기")


class CommissionRecord(models.Model):
    """A disposition in the commission's records; the person's name only encrypted, with
    a keyed hash to match it against the institution's list."""

    batch = models.ForeignKey(RecordImport, on_delete=models.CASCADE, related_name="records")
    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="commission_records")
    row_number = models.PositiveIntegerField()
    disposed_on = models.DateField(_("처분일"))
    act_type = models.CharField(_("부패행위 유형"), max_length=40)
    disposition = models.CharField(_("처분"), max_length=100)
    grade = models.CharField(_("직급"), max_length=40, blank=True)
    acted_on = models.DateField(_("행위일"), null=True, blank=True)
    amount = models.BigIntegerField(_("금액(원)"), null=True, blank=True)
    name_enc = models.BinaryField(null=True)
    name_key = models.CharField(max_length=64, null=True)

    class Meta:
        verbose_name = _("위원회 처분자료")
        verbose_name_plural = _("위원회 처분자료")
        ordering = ["institution", "disposed_on", "pk"]


class FindingKind(models.TextChoices):
    OMISSION = "omission", _("누락(위원회 자료에만 있음)")
    MISMATCH = "mismatch", _("불일치(다르게 제출)")
    EXTRA = "extra", _("추가(기관 제출에만 있음)")


class Finding(models.Model):
    """What the cross-check found for one institution: a record the institution left out,
    one it submitted differently, or one only it submitted."""

    year = models.ForeignKey(AssessmentYear, on_delete=models.CASCADE, related_name="crosscheck_findings")
    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="crosscheck_findings")
    kind = models.CharField(_("구분"), max_length=10, choices=FindingKind.choices)
    record = models.ForeignKey(CommissionRecord, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    submitted_row = models.CharField(_("제출 서식·행"), max_length=60, blank=True)
    disposed_on = models.DateField(_("처분일"), null=True, blank=True)
    act_type = models.CharField(_("부패행위 유형"), max_length=40, blank=True)
    disposition = models.CharField(_("처분"), max_length=100, blank=True)
    detail = models.CharField(_("내용"), max_length=300, blank=True)
    key = models.CharField(max_length=200, db_index=True)  # the match key: a decided finding is not found again
    credibility_case = models.OneToOneField(CredibilityCase, null=True, blank=True, on_delete=models.SET_NULL,
                                            related_name="crosscheck_finding", verbose_name=_("신뢰도 저해행위 사건"))

    class Meta:
        verbose_name = _("처분자료 대조 결과")
        verbose_name_plural = _("처분자료 대조 결과")
        ordering = ["institution__code", "kind", "disposed_on", "pk"]

    def __str__(self) -> str:
        return f"{self.institution.name} {self.get_kind_display()} {self.act_type} ({self.disposed_on or '-'})"
