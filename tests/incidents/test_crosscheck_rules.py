"""Matching the commission's records against the submitted lists (pure)."""

from datetime import date

from integrity.incidents.crosscheck import (
    EXTRA, MATCHED, MISMATCH, OMISSION, Disposition, cross_check, describe)


def d(ref, day, act="금품·향응수수", disposition="정직 1월", inst="A", person=None):
    return Disposition(ref, inst, date(2017, 1, day), act, disposition, person)


def kinds(findings):
    return sorted((f.kind, f.record.ref if f.record else None, f.submitted.ref if f.submitted else None) for f in findings)


def test_same_institution_date_act_and_disposition_match_whatever_the_spacing():
    found = cross_check([d(1, 5, disposition="정직 1월")], [d("s1", 5, disposition="정직1월")])
    assert kinds(found) == [(MATCHED, 1, "s1")]


def test_record_missing_from_the_submitted_list_is_an_omission():
    found = cross_check([d(1, 5), d(2, 9)], [d("s1", 5)])
    assert kinds(found) == [(MATCHED, 1, "s1"), (OMISSION, 2, None)]
    assert "제출한 목록에 없음" in describe(next(f for f in found if f.kind == OMISSION))


def test_submission_absent_from_the_records_is_an_extra():
    assert kinds(cross_check([], [d("s1", 5)])) == [(EXTRA, None, "s1")]


def test_same_disposition_submitted_differently_is_a_mismatch_naming_the_fields():
    found = cross_check([d(1, 5, disposition="해임")], [d("s1", 5, disposition="견책")])
    assert kinds(found) == [(MISMATCH, 1, "s1")]
    assert describe(found[0]) == "처분: 제출 '견책' / 위원회 '해임'"


def test_same_person_with_another_date_is_a_mismatch_not_an_omission():
    found = cross_check([d(1, 5, person="k1")], [d("s1", 20, person="k1")])
    assert kinds(found) == [(MISMATCH, 1, "s1")] and found[0].differences == ("disposed_on",)


def test_two_people_with_equal_dispositions_do_not_pair_up_by_name():
    found = cross_check([d(1, 5, person="k1"), d(2, 5, person="k2")], [d("s2", 5, person="k2"), d("s1", 5, person="k1")])
    assert kinds(found) == [(MATCHED, 1, "s1"), (MATCHED, 2, "s2")]
    found = cross_check([d(1, 5, person="k1")], [d("s9", 5, person="k9")])
    assert kinds(found) == [(EXTRA, None, "s9"), (OMISSION, 1, None)]


def test_dispositions_of_another_institution_never_match():
    assert kinds(cross_check([d(1, 5, inst="A")], [d("s1", 5, inst="B")])) == [(EXTRA, None, "s1"), (OMISSION, 1, None)]


def test_duplicates_are_matched_one_for_one():
    found = cross_check([d(1, 5), d(2, 5)], [d("s1", 5)])
    assert [f.kind for f in found].count(OMISSION) == 1


def test_finding_keys_are_stable_and_hold_no_name():
    one = cross_check([d(1, 5, person="hash")], [])[0]
    again = cross_check([d(7, 5, person="hash")], [])[0]
    assert one.key == again.key and one.key.startswith("omission|A|2017-01-05")
