"""The 2017 institution mix and the published figures the generator aims at.

Counts: seed 002, "2017년 기관유형별 청렴도 측정대상기관" (572 bodies under the plan).
The split of the 198 public-service organisations into types I-V, local
corporations and research institutes, and of the 226 basic local governments
into cities, counties and districts, is not in the seed; the numbers below are
plausible and add up to the seed's totals. Targets: DOMAIN.md, "Published facts".
District offices (교육지원청) are all 176 of 2017, placed in their provinces; the model's
rotation decides which are measured (73), and only those have responses.
"""

from __future__ import annotations

from dataclasses import dataclass, replace


@dataclass(frozen=True)
class TypeMix:
    count: int
    staff: tuple[int, int]  # uniform range of staff numbers
    tasks: tuple[int, int]  # number of external target tasks
    target_overall: float  # published 2017 average of the type's family (0-10)
    supervisor_type: str | None = None  # type whose bodies supervise this one
    offices: float = 0.0  # share of bodies with local offices


MIX_2017: dict[str, TypeMix] = {
    "central_1": TypeMix(18, (2000, 15000), (4, 7), 7.70, offices=0.7),
    "central_2": TypeMix(23, (300, 1999), (3, 6), 7.70, offices=0.3),
    "metropolitan": TypeMix(17, (4000, 18000), (5, 8), 7.65),
    "basic_city": TypeMix(75, (900, 2800), (5, 8), 7.72, "metropolitan"),
    "basic_county": TypeMix(82, (400, 1000), (5, 7), 7.72, "metropolitan"),
    "basic_district": TypeMix(69, (600, 1500), (5, 7), 7.72, "metropolitan"),
    "provincial_education": TypeMix(17, (3000, 20000), (4, 6), 7.66),
    # All district offices (176); the rotation measures 73 of them in 2017 (DISTRICT_OFFICES_2017).
    "district_education": TypeMix(176, (150, 450), (3, 5), 7.66, "provincial_education"),
    "pso_1": TypeMix(13, (3000, 30000), (3, 6), 8.29, "central_1", offices=0.6),
    "pso_2": TypeMix(22, (1000, 2999), (3, 5), 8.29, "central_1", offices=0.3),
    "pso_3": TypeMix(42, (400, 999), (2, 5), 8.29, "central_2"),
    "pso_4": TypeMix(37, (200, 399), (2, 4), 8.29, "central_2"),
    "pso_5": TypeMix(29, (60, 199), (2, 4), 8.29, "central_2"),
    "local_corp": TypeMix(35, (100, 1500), (2, 4), 8.29, "metropolitan"),
    "research": TypeMix(20, (100, 500), (2, 3), 8.29, "central_2"),
}

# 2022+: the same types, 569 bodies (the model measures every district office, no rotation:
# 70 of them beside the 499 other bodies of 2017, close to the published 501 bodies
# outside the education offices), family levels spread to the published gap (see
# NATIONAL_2022 below; ``target_overall`` stays a latent level on 0-10).
DISTRICT_OFFICES_2022 = 70
LATENT_2022 = {"central": 7.90, "local_government": 7.56, "education": 7.85, "public_service": 8.40}
FAMILY_OF_TYPE = {"central_1": "central", "central_2": "central", "metropolitan": "local_government",
                  "basic_city": "local_government", "basic_county": "local_government",
                  "basic_district": "local_government", "provincial_education": "education",
                  "district_education": "education"}
MIX_2022: dict[str, TypeMix] = {
    code: replace(spec, target_overall=LATENT_2022[FAMILY_OF_TYPE.get(code, "public_service")],
                  count=DISTRICT_OFFICES_2022 if code == "district_education" else spec.count)
    for code, spec in MIX_2017.items()
}

# District education offices (교육지원청) per provincial education office, in the order of
# the generated provincial offices: the real 2017 counts of the 17 시·도 (서울 11, 부산 5,
# 대구 4, 인천 5, 광주 2, 대전 2, 울산 2, 세종 0, 경기 25, 강원 17, 충북 10, 충남 14, 전북 14,
# 전남 22, 경북 23, 경남 18, 제주 2; 176 in all). With the model's rotation (>= 10: a third a
# year, < 5 and 5-9: all) nine provinces cycle 154 offices (51 or 52 a year) and eight measure
# all 22 of theirs: 73 measured in 2017, the plan's count (2017 is the cycle's second year,
# cycle_start_year 2016 in the model file).
DISTRICT_OFFICES_2017 = (11, 5, 4, 5, 2, 2, 2, 0, 25, 17, 10, 14, 14, 22, 23, 18, 2)

# 2017 respondents: about 235,600 (152,000 external, 63,200 internal, 20,400 policy).
RESPONSES_2017 = {"external": 152_000, "internal": 63_200, "policy": 20_400}
MIN_PER_TASK = 50  # the plan's minimum sample per external target task

# Published 2017 national averages the generated year should land near.
NATIONAL_2017 = {"overall": 7.94, "external": 8.13, "internal": 7.66}

# The 2022+ year (DOMAIN.md "Anchors"): 569 bodies in 15 types, overall about 81.2 with
# public-service bodies about 85.7 and basic local governments about 76.6; 체감도 and
# 노력도 near the 2023-2024 figures (79.2, 82.2-83.5); 1등급 about 4-6 %. The mix keeps the
# 2017 types and counts (the split by type is not public) with 70 district offices
# (569 in all) and spreads the families' latent levels wider than 2017 did, since the
# published gap between public-service bodies and basic local governments (9 points of
# 100) is wider than 2017's (0.57 of 10).
NATIONAL_2022 = {"overall": 81.2, "public_service": 85.7, "basic_local": 76.6, "perceived": 79.2, "effort": 83.5}


@dataclass(frozen=True)
class Calibration:
    """How latent integrity becomes answers and entered inputs for one model's questionnaire.

    The 2017 questionnaire has many experience items that score near the top whatever the
    body's integrity; the 2022 one is 7 perception items of 9, so the same latent level
    read through 2017's offsets scores about 7 points low (74 instead of 81). Each model
    year therefore has its own offsets, fitted to that year's published figures."""

    perception_offset: dict[str, float]  # latent -> what a survey's respondents perceive (0-10)
    national_latent: float  # the latent level the offsets are centred on
    perception_gain: float  # widens latent differences between bodies in perception
    input_shift: float  # an entered input (e.g. 청렴노력도) = latent/10 + shift, as a share of its range
    input_sd: float = 0.06  # its spread around that, as a share of its range


CALIBRATION_2017 = Calibration({"external": -1.02, "internal": -1.38, "policy": -1.05}, 7.94, 1.8, -0.05)
CALIBRATION_2022 = Calibration({"external": -0.07, "internal": -0.67}, 7.94, 1.8, 0.045)


def mix_for(model) -> dict[str, TypeMix]:
    """The institution mix a model's year is generated with (2022+: 100-point models)."""
    return MIX_2022 if model.scale_max >= 100 else MIX_2017


def calibration_for(model) -> Calibration:
    return CALIBRATION_2022 if model.scale_max >= 100 else CALIBRATION_2017
BRIBERY_RATE_EXTERNAL = 0.005  # 2017: 0.5% of external respondents gave money etc.

TASK_NAMES = {
    "central": ["인허가", "보조금 지급", "지도·단속", "조사·검사", "계약", "민원 처리", "자격 관리", "시험·검정"],
    "local_government": ["건축 인허가", "위생 인허가", "보조금 지원", "지방세 부과", "공사 계약", "주택 관리", "환경 지도·점검", "도로 점용"],
    "education": ["공사 계약", "물품 구매", "학교 시설 관리", "방과후학교 운영", "급식 관리", "교원 인사"],
    "public_service": ["공사 계약", "용역 계약", "물품 구매", "보조금 지원", "시설 운영", "자금 지원", "검사·인증"],
}

# Fictional names: the generated year must never be mistaken for real bodies' scores.
NAME_SYLLABLES = "가나다라마바사아자차카타파하한누리솔빛온새별미래푸른해달" 
NAME_PATTERNS = {
    "central_1": "{}부",
    "central_2": "{}청",
    "metropolitan": "{}광역시",
    "basic_city": "{}시",
    "basic_county": "{}군",
    "basic_district": "{}구",
    "provincial_education": "{}도교육청",
    "district_education": "{}교육지원청",
    "pso_1": "한국{}공사",
    "pso_2": "한국{}공단",
    "pso_3": "{}진흥원",
    "pso_4": "{}재단",
    "pso_5": "{}센터",
    "local_corp": "{}도시공사",
    "research": "{}연구원",
}
