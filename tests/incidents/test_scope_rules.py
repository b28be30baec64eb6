"""Scope rules for corruption incidents, one test per rule."""

from datetime import date

import pytest

from integrity.incidents import CaseFacts, decide


@pytest.fixture
def rules(m2017):
    return m2017.incidents


def _case(**kw):
    base = {"act_type": "금품·향응수수", "detected_by": "prosecution_police", "disciplined_at": "A",
            "disposed_on": date(2017, 1, 10)}
    return CaseFacts(**(base | kw))


def test_period_by_disposition_date(rules):
    assert decide(rules, _case()).counts
    late = decide(rules, _case(disposed_on=date(2017, 7, 1)))
    assert not late.counts and late.reason == "처분일(2017-07-01)이 반영 기간 밖"


def test_period_by_redisposition_date_where_it_changed(rules):
    moved_in = decide(rules, _case(disposed_on=date(2016, 3, 1), redisposed_on=date(2016, 9, 1)))
    assert moved_in.counts and "재처분일 기준" in moved_in.notes
    moved_out = decide(rules, _case(disposed_on=date(2017, 1, 1), redisposed_on=date(2017, 8, 1)))
    assert not moved_out.counts


def test_major_case_in_the_period_counts_before_disposition(rules):
    assert decide(rules, _case(disposed_on=None, major=True, acted_on=date(2017, 2, 1))).counts
    assert not decide(rules, _case(disposed_on=None, major=False, acted_on=date(2017, 2, 1))).counts


def test_only_corrupt_act_types_count(rules):
    assert not decide(rules, _case(act_type="단순 업무 과실")).counts
    for act in ("금품·향응수수", "공금횡령·유용", "직권남용", "부정청탁", "문서 위·변조", "비밀누설"):
        assert decide(rules, _case(act_type=act)).counts


def test_self_detected_cases_do_not_count(rules):
    decision = decide(rules, _case(detected_by="self"))
    assert not decision.counts and decision.reason == "자체 적발 사건은 반영하지 않음"
    assert decide(rules, _case(detected_by="press")).counts


def test_attribution_to_the_body_where_the_act_happened(rules):
    assert decide(rules, _case(disciplined_at="B", acted_at="A")).institutions == ("A",)


def test_seconded_staff_count_at_both_bodies(rules):
    decision = decide(rules, _case(disciplined_at="A", seconded_from="H"))
    assert decision.institutions == ("A", "H")


def test_classification_external_or_internal(rules):
    assert decide(rules, _case()).category == "external"  # bribes from outside firms
    assert decide(rules, _case(act_type="공금횡령·유용")).category == "internal"  # embezzlement
    assert decide(rules, _case(counterpart="internal")).category == "internal"  # bribes in personnel matters
    assert decide(rules, _case(category="internal", counterpart="external")).category == "internal"  # decided


def test_public_service_incident_index_has_its_own_period(rules):
    # 2017-09-01: outside the disciplinary period, inside last cut-off -> publication
    assert decide(rules, _case(disposed_on=date(2017, 9, 1), public_service=True)).counts
    assert not decide(rules, _case(disposed_on=date(2017, 9, 1), public_service=False)).counts


def test_an_accepted_rebuttal_removes_the_case(rules):
    decision = decide(rules, _case(detected_by="press", rebuttal_accepted=True))
    assert not decision.counts and decision.reason == "기관의 소명이 받아들여짐"
