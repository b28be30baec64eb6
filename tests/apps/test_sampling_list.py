"""The administrator's list of rosters to draw from is searched, filtered and paged, and
a draw comes back to the list as it was."""

import pytest
from django.urls import reverse

from integrity.apps.rosters.models import RosterUpload
from integrity.apps.sampling.models import Draw
from integrity.web.listing import PER_PAGE

from .listing_checks import assert_paged, count_line, get

URL = reverse("sampling:index")


@pytest.fixture
def rosters(registry):
    made = [RosterUpload.objects.create(institution=registry["a"], form_code="external", task=registry["task_a"],
                                        filename=f"a{i}.xlsx", file_sha256="0", status="accepted", row_count=100 + i)
            for i in range(PER_PAGE + 3)]
    made += [RosterUpload.objects.create(institution=registry["b"], form_code="staff_2_1", filename=f"b{i}.xlsx",
                                         file_sha256="0", status="accepted", row_count=10) for i in range(4)]
    RosterUpload.objects.create(institution=registry["b"], form_code="external", filename="r.xlsx", file_sha256="0",
                                status="rejected")  # no roster to draw from
    for upload in made[:2]:
        Draw.objects.create(upload=upload, method="srs", seed=1, wanted=5, drawn=5, eligible=100)
    return made


def test_rosters_to_draw_from_are_searched_filtered_and_paged(client, users, rosters):
    client.force_login(users["admin"])
    total = PER_PAGE + 7
    assert_paged(client, URL, total)
    assert count_line(4, total) in get(client, URL + "?q=누리")
    assert count_line(4, total) in get(client, URL + "?form=staff_2_1")
    assert count_line(2, total) in get(client, URL + "?drawn=yes")
    both = get(client, URL + "?q=가람&form=external")
    assert count_line(PER_PAGE + 3, total) in both and "?q=%EA%B0%80%EB%9E%8C&amp;form=external&amp;page=2" in both


def test_a_draw_returns_to_the_list_as_it_was(client, users, rosters, monkeypatch):
    from integrity.apps.sampling import services

    monkeypatch.setattr(services, "draw_sample", lambda upload, user, reason="": Draw(drawn=5, seed=7))
    client.force_login(users["admin"])
    page = get(client, URL + "?q=가람&page=2")
    assert 'name="back" value="q=%EA%B0%80%EB%9E%8C&amp;page=2"' in page
    response = client.post(reverse("sampling:draw", args=[rosters[-1].pk]), {"back": "q=가람&page=2"})
    assert response.url == URL + "?q=%EA%B0%80%EB%9E%8C&page=2"
    response = client.post(reverse("sampling:draw", args=[rosters[-1].pk]), {"back": "\r\nLocation: //evil"})
    assert response.url.startswith(URL) and "\n" not in response.url
