"""The measurement model as immutable objects, built by ``loader`` from a YAML file.

Nothing here knows a particular year: every item, weight and threshold comes
from the file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

from .effort import EffortFramework
from .names import Named, english, in_language
from .policy_customers import PolicyCustomers

# How an item becomes a score; derived from (measure, answer kind).
LIKERT = "likert"  # respondent-level: mean of a linear map of the 1..k code
INDIRECT = "indirect"  # respondent-level: share of "no" answers
RATE = "rate"  # institution-level: share of "yes", against a ceiling
FREQUENCY = "frequency"  # institution-level: mean count, against a ceiling
AMOUNT = "amount"  # institution-level: mean KRW, against a ceiling

RESPONDENT_LEVEL = (LIKERT, INDIRECT)
INSTITUTION_LEVEL = (RATE, FREQUENCY, AMOUNT)


@dataclass(frozen=True)
class AnswerType:
    code: str
    kind: str  # likert | yes_no | frequency | amount
    codes: dict[int, str]
    values: dict[int, int] | None = None  # counted value per code (frequency, amount)
    yes: int | None = None
    no: int | None = None
    codes_en: dict[int, str] = field(default_factory=dict)

    def labels(self, language: str = "ko") -> dict[int, str]:
        """Answer labels in the respondent's language (Korean where no translation)."""
        if english(language) and self.codes_en:
            return {c: str(self.codes_en.get(c, label)) for c, label in self.codes.items()}
        return self.codes

    @property
    def points(self) -> int:
        """Number of Likert steps minus one (the denominator of the linear map)."""
        return max(self.codes) - min(self.codes)


@dataclass(frozen=True)
class Item(Named):
    code: str
    name: str
    text: str
    measure: str  # perception | direct | indirect
    answer: AnswerType
    survey: str
    polarity: str | None = None  # positive | negative (Likert only)
    gate: str | None = None  # yes/no item whose "no" makes this item count as 0
    pool_into: str | None = None  # pooled items: the receiving item's code
    pool_target: str | None = None  # self | supervisor
    pool_only_types: tuple[str, ...] = ()
    text_en: str = ""
    name_en: str = ""

    def question(self, language: str = "ko") -> str:
        return self.text_en if english(language) and self.text_en else self.text

    @property
    def method(self) -> str:
        if self.measure == "perception":
            return LIKERT
        if self.measure == "indirect":
            return INDIRECT
        return {"yes_no": RATE, "frequency": FREQUENCY, "amount": AMOUNT}[self.answer.kind]


@dataclass(frozen=True)
class Node(Named):
    """A level of the tree (index, area ...). Holds either child nodes or items."""

    code: str
    name: str
    weight: float | None
    children: tuple[Node, ...] = ()
    items: tuple[Item, ...] = ()
    name_en: str = ""

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()

    @cached_property
    def item_count(self) -> int:
        return len(self.items) + sum(c.item_count for c in self.children)

    def all_items(self) -> tuple[Item, ...]:
        out = list(self.items)
        for child in self.children:
            out.extend(child.all_items())
        return tuple(out)

    def child_weights(self) -> tuple[float, ...]:
        """Weights of the children: the given ones, else each child's item count."""
        if self.items:
            return tuple(1.0 for _ in self.items)
        if all(c.weight is not None for c in self.children):
            return tuple(float(c.weight) for c in self.children)
        return tuple(float(c.item_count) for c in self.children)


@dataclass(frozen=True)
class Survey(Named):
    code: str
    name: str
    respondents: str
    intro: str
    root: Node
    pooled_items: tuple[Item, ...] = ()
    name_en: str = ""
    intro_en: str = ""

    def introduction(self, language: str = "ko") -> str:
        return self.intro_en if english(language) and self.intro_en else self.intro

    @cached_property
    def items(self) -> tuple[Item, ...]:
        return self.root.all_items()

    @property
    def questionnaire_items(self) -> tuple[Item, ...]:
        """Everything the respondent is asked, scored here or pooled elsewhere."""
        return self.items + self.pooled_items


@dataclass(frozen=True)
class InputScore(Named):
    code: str
    name: str
    min: float
    max: float
    name_en: str = ""


@dataclass(frozen=True)
class Composite(Named):
    code: str
    name: str
    weights: dict[str, float]
    name_en: str = ""


@dataclass(frozen=True)
class InstitutionType(Named):
    code: str
    name: str
    family: str
    weight_set: str
    staff_min: int | None = None
    staff_max: int | None = None
    policy_groups: tuple[str, ...] = ()
    # Measured inside another type's bodies (교육지원청 within 시·도교육청): responses count
    # in the parent body's score; the body itself is neither graded nor ranked.
    measured_within: str | None = None
    rotation: Rotation | None = None
    name_en: str = ""


@dataclass(frozen=True)
class Rotation:
    """Which bodies measured within a parent are measured in a year (seed 002, I.5):
    a parent with ``cycle_from`` or more of them measures each once in ``cycle_years``
    years (a share a year); one with fewer than ``all_below`` measures all of them;
    between the two, ``middle`` says which (``all`` or ``cycle``)."""

    cycle_from: int = 10
    all_below: int = 5
    cycle_years: int = 3
    middle: str = "all"
    cycle_start_year: int = 2017  # year in which the cycle's first share is measured


@dataclass(frozen=True)
class IncidentRules:
    cap: float
    position: dict[str, float]
    position_names: dict[str, str]
    amount_bands: tuple[tuple[int, float], ...]
    per_additional_person: float
    detection: dict[str, float]
    detection_names: dict[str, str]
    disciplinary_period: tuple[date, date] | None = None
    index_period: tuple[date, date] | None = None
    act_types: dict[str, str] = field(default_factory=dict)  # act type -> default category
    detection_labels: dict[str, str] = field(default_factory=dict)  # form label -> detection code
    # Terms of the two indices (실시계획 II.5): organisation size for the disciplinary
    # index; habitualness and ripple effect for the incident index; prior-year recounts.
    size_bands: tuple[tuple[int, float], ...] = ((0, 1.0),)  # (staff lower bound, multiplier)
    habitual: float = 1.0
    ripple: dict[str, float] = field(default_factory=lambda: {"limited": 1.0})
    ripple_names: dict[str, str] = field(default_factory=dict)
    recount: float = 1.0
    # What the capped points come off: "surveys" (2017: external/internal integrity as
    # reported, and the overall) or "overall" (2022+: 부패실태, off 종합청렴도 only).
    deduct_from: str = "surveys"
    position_names_en: dict[str, str] = field(default_factory=dict)
    detection_names_en: dict[str, str] = field(default_factory=dict)
    ripple_names_en: dict[str, str] = field(default_factory=dict)

    def position_name(self, code: str, language: str | None = "ko") -> str:
        return in_language(self.position_names, self.position_names_en, code, language)

    def detection_name(self, code: str, language: str | None = "ko") -> str:
        return in_language(self.detection_names, self.detection_names_en, code, language)

    def ripple_name(self, code: str, language: str | None = "ko") -> str:
        return in_language(self.ripple_names, self.ripple_names_en, code, language)


@dataclass(frozen=True)
class Violation(Named):
    code: str
    name: str
    sanctions: tuple[str, ...]
    name_en: str = ""


@dataclass(frozen=True)
class CredibilityRules:
    points_range: tuple[float, float]
    max_grade_down: int
    violations: dict[str, Violation]
    # the violation an omission found by the cross-check against the commission's records is (II.6)
    omission_violation: str = ""


@dataclass(frozen=True)
class Conversion:
    rate_ceiling: float
    frequency_ceiling: float
    amount_ceiling: float

    def ceiling(self, method: str) -> float:
        return {RATE: self.rate_ceiling, FREQUENCY: self.frequency_ceiling, AMOUNT: self.amount_ceiling}[method]


@dataclass(frozen=True)
class KRow:
    """A row of the internal-roster table: up to ``max_staff``, a list of ``list_size``
    (None: the whole staff) chosen with department interval ``k``."""

    max_staff: int
    list_size: int | None
    k: int | None


@dataclass(frozen=True)
class StaffScope:
    """Who is out of the internal roster for a family of institution types."""

    min_grade: int | None = None  # grades numbered below this (more senior) are out
    min_grade_hq: int | None = None  # the same for headquarters where it differs
    excluded_grades: tuple[str, ...] = ()
    excluded_positions: tuple[str, ...] = ()
    senior_rows: str = "exclude"  # rows above the scope: "exclude" (kept out, with a reason) or "refuse" (row named)


@dataclass(frozen=True)
class MilitaryScope:
    """Bodies whose internal roster lists officers by rank (국방부: 대령 이하), found by
    registry code or name; ``ranks`` run from the most senior down."""

    institution_codes: tuple[str, ...] = ()
    institution_names: tuple[str, ...] = ()
    ranks: tuple[str, ...] = ()
    highest_listed: str = ""

    def applies_to(self, code: str, name: str) -> bool:
        return code in self.institution_codes or name in self.institution_names

    @property
    def above(self) -> tuple[str, ...]:
        """Ranks more senior than the highest one listed."""
        return self.ranks[:self.ranks.index(self.highest_listed)] if self.highest_listed in self.ranks else ()


@dataclass(frozen=True)
class TransferRules:
    """서식 3-3: staff transferred in rate their former body as its policy customers."""

    group: str  # the policy-customer group their answers count in
    former_types: tuple[str, ...]  # former bodies must be of these types (measured, with a policy survey)
    basic_types: tuple[str, ...] = ()  # a transfer between two of these is left off the form


@dataclass(frozen=True)
class Fieldwork:
    experience_start: date
    experience_end: date
    staff_reference_date: date
    transfer_start: date
    transfer_end: date
    roster_due: date
    min_per_task: int
    roster_multiple: int
    sample_multiple: int
    sublisting_threshold: int
    sublisting_patterns: dict[str, str]
    whole_list_max_staff: int
    whole_list_min_share: float
    min_tenure_years: int
    k_table: tuple[KRow, ...]
    beyond_list_size: int
    beyond_staff_per_k: int
    scope: dict[str, StaffScope]
    military: MilitaryScope | None = None
    transferred_in: TransferRules | None = None
    # How a link reaches a mobile phone: "sms", or "messenger" (알림톡, falling back to SMS).
    mobile_delivery: str = "sms"
    sublisting_patterns_en: dict[str, str] = field(default_factory=dict)

    def sublisting_name(self, code: str, language: str | None = "ko") -> str:
        return in_language(self.sublisting_patterns, self.sublisting_patterns_en, code, language)


@dataclass(frozen=True)
class Questionnaire:
    anonymity: str = ""
    purpose: str = ""
    checks: tuple[tuple[str, str], ...] = ()  # (code, question): asked, never scored
    anonymity_en: str = ""
    purpose_en: str = ""
    checks_en: dict[str, str] = field(default_factory=dict)

    def text(self, part: str, language: str = "ko") -> str:
        translated = getattr(self, f"{part}_en", "")
        return translated if english(language) and translated else getattr(self, part)


@dataclass(frozen=True)
class Uncertainty:
    """How published scores get their standard errors (stratified bootstrap)."""

    replicates: int = 500
    seed: int = 2017
    confidence: float = 0.95
    strata: dict[str, tuple[str, ...]] = field(default_factory=dict)  # survey -> response columns, first non-blank
    # Mean of the Poisson count of pseudo "yes" answers added to each replicate's experience
    # items (scoring.uncertainty): rare events a sample missed still widen the interval. 0: off.
    rare_event_pseudo_count: float = 0.0


@dataclass(frozen=True)
class Weighting:
    """Post-stratification: weights that restore each stratum's share of the roster."""

    post_stratify: bool = False


@dataclass(frozen=True)
class Model:
    version: str
    year: int
    title: str
    scale_min: float
    scale_max: float
    publish_decimals: int
    answer_types: dict[str, AnswerType]
    conversion: Conversion
    surveys: tuple[Survey, ...]
    inputs: tuple[InputScore, ...]
    composites: tuple[Composite, ...]
    overall_name: str
    weight_sets: dict[str, dict[str, float]]
    institution_types: dict[str, InstitutionType]
    incidents: IncidentRules
    credibility: CredibilityRules
    grade_cut_points: tuple[float, ...]
    grade_min_institutions: int
    office_min_responses: int
    fieldwork: Fieldwork | None = None
    family_names: dict[str, str] = field(default_factory=dict)
    questionnaire: Questionnaire = field(default_factory=Questionnaire)
    uncertainty: Uncertainty = field(default_factory=Uncertainty)
    weighting: Weighting = field(default_factory=Weighting)
    policy_customers: PolicyCustomers | None = None  # residents and parents drawn from a frame
    effort: EffortFramework | None = None  # 청렴노력도 indicator framework (2022+; model/effort.py)
    # What is graded within type: "overall" always; 2022+ also grades parts side by side
    # (grading.measures in the model file, e.g. [overall, perceived, effort]).
    grade_measures: tuple[str, ...] = ("overall",)
    source: str = field(default="", compare=False)
    text: str = field(default="", compare=False, repr=False)  # the YAML it was read from ("" if built in memory)
    overall_name_en: str = ""
    family_names_en: dict[str, str] = field(default_factory=dict)
    title_en: str = ""

    def overall_title(self, language: str | None = "ko") -> str:
        """종합청렴도 in the page's language."""
        return self.overall_name_en if english(language) and self.overall_name_en else self.overall_name

    def family_title(self, family: str, language: str | None = "ko") -> str:
        return in_language(self.family_names, self.family_names_en, family, language)

    def model_title(self, language: str | None = "ko") -> str:
        return self.title_en if english(language) and self.title_en else self.title

    def component_names(self, language: str | None = "ko") -> dict[str, str]:
        """Code -> name of every score a weight set or grading may name (surveys, entered
        inputs, composites) and ``overall``, in the page's language."""
        names = {x.code: x.title(language) for x in (*self.surveys, *self.inputs, *self.composites)}
        return names | {"overall": self.overall_title(language)}

    @cached_property
    def items(self) -> dict[str, Item]:
        """Every item code the interchange format knows, pooled items included."""
        return {i.code: i for s in self.surveys for i in s.questionnaire_items}

    def survey(self, code: str) -> Survey:
        return next(s for s in self.surveys if s.code == code)

    @property
    def survey_codes(self) -> tuple[str, ...]:
        return tuple(s.code for s in self.surveys)

    @property
    def grades(self) -> int:
        return len(self.grade_cut_points) + 1

    def _leaves(self, component: str) -> set[str]:
        """The surveys and entered inputs a weight-set component stands on (composites expanded)."""
        for comp in self.composites:
            if comp.code == component:
                return set().union(*(self._leaves(c) for c in comp.weights))
        return {component}

    def _needed(self, type_code: str) -> set[str]:
        weights = self.weight_sets[self.institution_types[type_code].weight_set]
        return set().union(*(self._leaves(c) for c in weights))

    def required_surveys(self, type_code: str) -> tuple[str, ...]:
        """Surveys an institution of this type must have, in the model's order."""
        needed = self._needed(type_code)
        return tuple(s for s in self.survey_codes if s in needed)

    def required_inputs(self, type_code: str) -> tuple[str, ...]:
        """Entered scores (e.g. the 2022 effort score) an institution of this type must have."""
        needed = self._needed(type_code)
        return tuple(i.code for i in self.inputs if i.code in needed)

    def classify(self, value: str, staff: int) -> str:
        """The type code for a registry entry: a type code, a type's name, or a family
        (code or name) whose types are told apart by staff numbers (size classes)."""
        value = value.strip()
        if value in self.institution_types:
            return value
        for t in self.institution_types.values():
            if t.name == value:
                return t.code
        family = next((f for f, name in self.family_names.items() if value in (f, name)), None)
        if family is None:
            raise ValueError(f"알 수 없는 기관유형 '{value}'")
        fits = [
            t.code for t in self.institution_types.values()
            if t.family == family and (t.staff_min is not None or t.staff_max is not None)
            and (t.staff_min is None or staff >= t.staff_min) and (t.staff_max is None or staff <= t.staff_max)
        ]
        if len(fits) != 1:
            raise ValueError(f"'{value}'만으로는 기관유형을 정할 수 없습니다 (정원 {staff:,}명); 유형을 직접 적어 주세요")
        return fits[0]
