"""Integrity clusters as the secretariat runs them: the cluster and its rules, members
(public bodies of the registry by code across years, and outside members), applications,
offices with terms, meetings with attendance and motions, dues, events and the shared
materials. Every rule is integrity.clusters'; these rows only hold what was recorded."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from integrity.clusters import default_rules_data, parse_rules
from integrity.registry.regions import REGIONS


class MemberKind(models.TextChoices):
    PUBLIC = "public", _("공공기관")
    CIVIC = "civic", _("시민사회단체")
    BUSINESS = "business", _("경제단체")


class Body(models.TextChoices):
    REPRESENTATIVES = "representatives", _("대표자회의")
    STEERING = "steering", _("운영위원회")


class EventKind(models.TextChoices):
    FESTIVAL = "festival", _("문화제·축제")
    CONCERT = "concert", _("공연·음악회")
    CAMPAIGN = "campaign", _("합동 캠페인")
    QUIZ = "quiz", _("퀴즈 대회")
    CONTEST = "contest", _("경연·공모전")
    WORKSHOP = "workshop", _("워크숍·교육")


class Cluster(models.Model):
    name = models.CharField(_("클러스터 이름"), max_length=200, unique=True)
    region = models.CharField(_("시·도"), max_length=20, choices=[(r, r) for r in REGIONS],
                              help_text=_("등록부의 시·도 이름(예: 경남)"))
    founded_on = models.DateField(_("출범일"), null=True, blank=True)
    rules = models.JSONField(_("회칙(의결정족수·임기·분담금)"), default=default_rules_data,
                             help_text=_("기본값은 seed의 운영규정입니다. 저장할 때 검사합니다"))
    intro = models.TextField(_("소개"), blank=True, max_length=3000)
    secretariat_users = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="clusters_run",
                                               verbose_name=_("사무국 사용자"))

    class Meta:
        verbose_name = _("청렴 클러스터")
        verbose_name_plural = _("청렴 클러스터")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        from django.core.exceptions import ValidationError

        from integrity.clusters import RulesError
        try:
            parse_rules(self.rules)
        except RulesError as exc:
            raise ValidationError({"rules": exc.problems}) from exc

    @property
    def parsed_rules(self):
        return parse_rules(self.rules)


class Member(models.Model):
    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="members", verbose_name=_("클러스터"))
    kind = models.CharField(_("회원 종류"), max_length=10, choices=MemberKind.choices)
    institution_code = models.CharField(_("기관코드"), max_length=32, blank=True,
                                        help_text=_("공공기관: 등록부의 기관코드(연도가 바뀌어도 같은 코드)"))
    name = models.CharField(_("기관·단체명"), max_length=200)
    joined_on = models.DateField(_("가입일"))
    left_on = models.DateField(_("탈퇴일"), null=True, blank=True)
    contact_enc = models.BinaryField(_("연락처(암호화)"), null=True, blank=True)

    class Meta:
        verbose_name = _("회원")
        verbose_name_plural = _("회원")
        ordering = ["cluster", "name"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(kind="public") | ~models.Q(institution_code=""),
                                   name="public_member_has_code"),
        ]

    def __str__(self) -> str:
        return self.name

    def active_on(self, day) -> bool:
        return self.joined_on <= day and (self.left_on is None or day <= self.left_on)


class Application(models.Model):
    """가입신청서 (seed 000 첨부 1): name, staff, founding date, representative, contact."""

    class Status(models.TextChoices):
        PENDING = "pending", _("심사 중")
        APPROVED = "approved", _("승인")
        REJECTED = "rejected", _("부결")

    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="applications", verbose_name=_("클러스터"))
    kind = models.CharField(_("회원 종류"), max_length=10, choices=MemberKind.choices)
    institution_code = models.CharField(_("기관코드"), max_length=32, blank=True)
    name = models.CharField(_("기관명(국문)"), max_length=200)
    name_en = models.CharField(_("영문"), max_length=200, blank=True)
    short_name = models.CharField(_("약칭"), max_length=50, blank=True)
    homepage = models.CharField(_("홈페이지"), max_length=200, blank=True)
    staff = models.PositiveIntegerField(_("회원수(직원수)"))
    founded_on = models.DateField(_("창립년월일"))
    address = models.CharField(_("대표 소재지"), max_length=200, blank=True)
    representative = models.CharField(_("대표자(직위·성명)"), max_length=100)
    contact_enc = models.BinaryField(_("담당자 연락처(암호화)"))
    received_on = models.DateField(_("접수일"))
    status = models.CharField(_("상태"), max_length=10, choices=Status.choices, default=Status.PENDING)
    member = models.OneToOneField(Member, null=True, blank=True, on_delete=models.SET_NULL, related_name="application",
                                  verbose_name=_("가입한 회원"))

    class Meta:
        verbose_name = _("가입신청")
        verbose_name_plural = _("가입신청")
        ordering = ["-received_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_status_display()})"


class Office(models.Model):
    """One term of one office (의장, 감사, 운영위원장, 운영위원, 사무국장)."""

    class Role(models.TextChoices):
        CHAIR = "chair", _("대표자회의 의장")
        AUDITOR = "auditor", _("감사")
        STEERING_CHAIR = "steering_chair", _("운영위원장")
        STEERING_MEMBER = "steering_member", _("운영위원")
        SECRETARY_GENERAL = "secretary_general", _("사무국장")

    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="offices", verbose_name=_("클러스터"))
    role = models.CharField(_("직책"), max_length=20, choices=Role.choices)
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="offices", verbose_name=_("소속 회원"))
    person = models.CharField(_("성명·직위"), max_length=100, blank=True)
    starts_on = models.DateField(_("임기 시작"))
    ends_on = models.DateField(_("임기 끝"))

    class Meta:
        verbose_name = _("임원 임기")
        verbose_name_plural = _("임원 임기")
        ordering = ["cluster", "role", "-starts_on"]

    def __str__(self) -> str:
        return f"{self.get_role_display()} {self.member}"


class Meeting(models.Model):
    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="meetings", verbose_name=_("클러스터"))
    body = models.CharField(_("회의체"), max_length=16, choices=Body.choices)
    held_on = models.DateField(_("개최일"))
    title = models.CharField(_("회의명"), max_length=200)
    place = models.CharField(_("장소"), max_length=200, blank=True)
    agenda = models.TextField(_("안건"), blank=True, max_length=5000)
    minutes = models.TextField(_("회의록"), blank=True, max_length=20000)
    attendees = models.ManyToManyField(Member, blank=True, related_name="meetings_attended", verbose_name=_("출석 회원"))

    class Meta:
        verbose_name = _("회의")
        verbose_name_plural = _("회의")
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.held_on} {self.title}"


class Motion(models.Model):
    """A decision put to the vote. The outcome is computed from the count by the rules in
    force (integrity.clusters.votes) and stored with the counts it came from."""

    class Kind(models.TextChoices):
        ORDINARY = "ordinary", _("일반 의결")
        ADMISSION = "admission", _("가입 승인")
        FORMATION = "formation", _("구성")
        DISSOLUTION = "dissolution", _("해산")
        EXPULSION = "expulsion", _("회원 징계·퇴회")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="motions", verbose_name=_("회의"))
    kind = models.CharField(_("의결 종류"), max_length=12, choices=Kind.choices)
    title = models.CharField(_("안건"), max_length=300)
    application = models.ForeignKey(Application, null=True, blank=True, on_delete=models.SET_NULL, related_name="motions",
                                    verbose_name=_("가입신청"))
    subject_member = models.ForeignKey(Member, null=True, blank=True, on_delete=models.SET_NULL, related_name="motions_about",
                                       verbose_name=_("대상 회원"))
    enrolled = models.PositiveIntegerField(_("재적"))
    present = models.PositiveIntegerField(_("출석"))
    in_favour = models.PositiveIntegerField(_("찬성"))
    against = models.PositiveIntegerField(_("반대"))
    abstaining = models.PositiveIntegerField(_("기권"))
    result = models.CharField(_("결과"), max_length=10)  # passed | rejected (computed; inquorate is never stored)
    rule_text = models.CharField(_("적용 정족수"), max_length=200)
    recorded_at = models.DateTimeField(_("기록 시각"), auto_now_add=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("기록자"))

    class Meta:
        verbose_name = _("의결")
        verbose_name_plural = _("의결")
        ordering = ["meeting", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def result_name(self) -> str:
        from integrity.clusters.votes import OUTCOME_NAMES
        return OUTCOME_NAMES.get(self.result, self.result)


class DuesPayment(models.Model):
    """One payment of a member's dues for a year: cash, or in kind at a valuation."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="dues_payments", verbose_name=_("회원"))
    year = models.PositiveSmallIntegerField(_("회계연도"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    paid_on = models.DateField(_("납부일"))
    cash = models.PositiveBigIntegerField(_("현금(원)"), default=0)
    in_kind = models.CharField(_("현물 내용"), max_length=200, blank=True)
    in_kind_value = models.PositiveBigIntegerField(_("현물 평가액(원)"), default=0)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("기록자"))

    class Meta:
        verbose_name = _("분담금 납부")
        verbose_name_plural = _("분담금 납부")
        ordering = ["member", "year", "paid_on"]
        constraints = [models.CheckConstraint(condition=models.Q(cash__gt=0) | models.Q(in_kind_value__gt=0),
                                              name="dues_payment_not_empty")]


class DuesReminder(models.Model):
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="dues_reminders", verbose_name=_("회원"))
    year = models.PositiveSmallIntegerField(_("회계연도"))
    recipients = models.PositiveIntegerField(_("받는 사람 수"))
    sent_at = models.DateTimeField(_("보낸 시각"), auto_now_add=True)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+", verbose_name=_("보낸 사람"))

    class Meta:
        verbose_name = _("분담금 독촉")
        verbose_name_plural = _("분담금 독촉")
        ordering = ["-sent_at"]


class Event(models.Model):
    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="events", verbose_name=_("클러스터"))
    kind = models.CharField(_("행사 종류"), max_length=10, choices=EventKind.choices)
    title = models.CharField(_("행사명"), max_length=200)
    starts_on = models.DateField(_("시작일"))
    ends_on = models.DateField(_("종료일"))
    place = models.CharField(_("장소"), max_length=200, blank=True)
    organisers = models.ManyToManyField(Member, related_name="events_organised", verbose_name=_("주관 회원"))
    participants = models.PositiveIntegerField(_("참가 인원"), null=True, blank=True)
    bodies_taking_part = models.PositiveIntegerField(_("참여 기관 수"), null=True, blank=True)
    description = models.TextField(_("내용"), blank=True, max_length=3000)

    class Meta:
        verbose_name = _("행사")
        verbose_name_plural = _("행사")
        ordering = ["starts_on", "pk"]
        constraints = [models.CheckConstraint(condition=models.Q(ends_on__gte=models.F("starts_on")),
                                              name="event_ends_after_start")]

    def __str__(self) -> str:
        return self.title


class Material(models.Model):
    """A file in the cluster's online space, stored encrypted (clusters.store)."""

    class Kind(models.TextChoices):
        MATERIAL = "material", _("자료")
        MINUTES = "minutes", _("회의록")
        PRACTICE = "practice", _("우수사례")

    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="materials", verbose_name=_("클러스터"))
    kind = models.CharField(_("구분"), max_length=10, choices=Kind.choices)
    title = models.CharField(_("제목"), max_length=200)
    file_name = models.CharField(_("파일 이름"), max_length=200)
    file_type = models.CharField(_("파일 형식"), max_length=10)
    size = models.PositiveIntegerField(_("크기(바이트)"))
    stored_name = models.CharField(max_length=64, unique=True)
    uploaded_at = models.DateTimeField(_("올린 시각"), auto_now_add=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("올린 사람"))

    class Meta:
        verbose_name = _("공유 자료")
        verbose_name_plural = _("공유 자료")
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self) -> str:
        return self.title
