"""Every scoring run stays reachable: the runs page is searched, filtered and paged (it
used to show the latest 50 only), and comparing two runs keeps the list as it was."""

from django.urls import reverse
from django.utils import timezone

from integrity.apps.results.models import ScoringRun
from integrity.web.listing import PER_PAGE

from .listing_checks import assert_paged, count_line, get

URL = reverse("results:runs")


def _runs():
    for i in range(PER_PAGE + 5):
        ScoringRun.objects.create(year=2017 if i % 5 else 2016, model_version="2017", input_fingerprint=f"{i:064x}",
                                  published_at=timezone.now() if i == 3 else None)
    ScoringRun.objects.create(year=2022, model_version="2022", input_fingerprint="f" * 64)


def test_runs_are_searched_filtered_and_paged(client, users, registry):
    _runs()
    client.force_login(users["analyst"])
    total = PER_PAGE + 6
    page = assert_paged(client, URL, total)
    assert page.index(">#<") < page.index(f"<td>{ScoringRun.objects.order_by('-pk').first().pk}</td>")  # newest first
    assert count_line(1, total) in get(client, URL + "?model=2022")
    assert count_line(11, total) in get(client, URL + "?year=2016")
    assert count_line(1, total) in get(client, URL + "?published=yes")
    assert count_line(1, total) in get(client, URL + "?q=ffffffff")
    both = get(client, URL + "?q=0000&model=2017")
    assert count_line(PER_PAGE + 5, total) in both and "?q=0000&amp;model=2017&amp;page=2" in both


def test_comparing_keeps_the_list_as_it_was(client, users, registry):
    _runs()
    client.force_login(users["analyst"])
    page = get(client, URL + "?model=2017&page=2")
    form = page[page.index('id="compare"'):page.index("</form>", page.index('id="compare"'))]
    assert '<input type="hidden" name="model" value="2017">' in form and '<input type="hidden" name="page" value="2">' in form
