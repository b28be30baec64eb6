"""Regions (시·도) the lists filter by: a body's own, else its nearest supervisor's, else 전국."""

from integrity.registry.regions import NATIONWIDE, choices, inherited, keep


def test_a_body_without_a_region_takes_its_nearest_supervisors():
    own = {"seoul": "서울", "gangnam": "", "district": "", "ministry": ""}
    supervisor = {"seoul": None, "gangnam": "seoul", "district": "gangnam", "ministry": None, "agency": "ministry"}
    assert inherited(own, supervisor) == {"seoul": "서울", "gangnam": "서울", "district": "서울", "ministry": "",
                                          "agency": ""}


def test_a_region_given_on_the_row_wins_and_a_cycle_ends_the_search():
    assert inherited({"a": "부산", "b": "서울"}, {"a": "b", "b": None})["a"] == "부산"
    assert inherited({}, {"a": "b", "b": "a"}) == {"a": "", "b": ""}


def test_filter_options_follow_the_statistical_order_with_nationwide_last():
    assert choices(["제주", "", "서울", "경기"]) == [("서울", "서울"), ("경기", "경기"), ("제주", "제주"), ("-", NATIONWIDE)]
    assert keep("", "-") and keep("서울", "서울") and not keep("서울", "-")
