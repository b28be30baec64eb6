"""No link from a response to a person, for anyone who can read the database with SQL.

Each respondent gives answers that identify them to the test (the first Likert items
spell their number in base 7), so every attack below can be scored against the truth:
transaction ids (xmin on PostgreSQL), physical order (ctid / rowid), time columns.
The tests commit for real (``transaction=True``): inside one test transaction every
row would share one transaction id and prove nothing."""

from collections import Counter

import pytest
from django.db import connection

from integrity.apps.fieldwork import release, services
from integrity.apps.fieldwork.models import Invitation, Response
from tests import processes
from tests.registry_fixtures import invite_task_a

pytestmark = pytest.mark.django_db(transaction=True)
K = 20
IDENTITY_ITEMS = 3  # Likert items that spell a respondent's number (7**3 = 343 respondents)


@pytest.fixture
def many(client, registry, users, settings):
    """At least 2k invited respondents of one task, all allowed to answer, batches of k."""
    settings.INTEGRITY_RELEASE_BATCH = K
    registry["task_a"].quota = 12  # 12 x 5 drawn from a roster of 10 x quota and more
    registry["task_a"].save()
    tokens = invite_task_a(client, registry, users, roster=130)
    registry["task_a"].quota = 1000
    registry["task_a"].save()
    assert len(tokens) >= 2 * K
    return tokens


def _answer_all(token: str, number: int) -> int:
    """Answer the whole questionnaire as respondent ``number``; returns the invitation's id."""
    invitation = services.find_invitation(token)
    flow = services.start(invitation)
    digits = [(number // 7**d) % 7 for d in range(IDENTITY_ITEMS)]
    while flow.page is not None:
        posted = {}
        for item in flow.page.items:
            if item.answer.kind == "likert" and digits:
                posted[item.code] = str(min(item.answer.codes) + digits.pop(0))
            else:
                posted[item.code] = str(min(item.answer.codes))
        posted |= {f"check:{c}": "2" for c, _ in flow.page.checks}
        flow, _ = services.submit_page(invitation, flow.page_index, posted)
    return invitation.pk


def _identity_items(model) -> list[str]:
    return [i.code for i in model.survey("external").items if i.answer.kind == "likert"][:IDENTITY_ITEMS]


def _number_of(answers: dict, codes: list[str], low: int) -> int:
    return sum((answers[c] - low) * 7**d for d, c in enumerate(codes))


def _complete(tokens: list[str], start: int = 0) -> list[int]:
    """Complete respondents in this order; returns their invitation ids in completion order."""
    done = []
    for n, token in enumerate(tokens, start=start):
        pk = _answer_all(token, n)
        assert services.complete(pk, "web", "203.0.113.9")
        done.append(pk)
    return done


def _physical_order(model) -> list:
    """Primary keys in the order the rows lie in the table."""
    position = "ctid" if connection.vendor == "postgresql" else "rowid"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {model._meta.pk.column} FROM {model._meta.db_table} ORDER BY {position}")
        return [model._meta.pk.to_python(row[0]) for row in cursor.fetchall()]


def test_a_completed_questionnaire_waits_for_a_batch_of_k(many, registry):
    """Fewer than k completions of a kind: no response row exists yet; the answers
    wait encrypted on the invitation (no plaintext answer anywhere)."""
    done = _complete(many[: K - 1])
    assert Response.objects.count() == 0
    waiting = Invitation.objects.filter(pk__in=done)
    assert all(i.used and i.draft_enc for i in waiting) and release.awaiting().count() == K - 1
    assert all(b'"answers"' not in bytes(i.draft_enc) for i in waiting)  # encrypted, not JSON
    _complete(many[K - 1: K], start=K - 1)  # the k-th completion releases the whole batch
    assert Response.objects.count() == K and release.awaiting().count() == 0
    assert not Invitation.objects.filter(pk__in=done, draft_enc__isnull=False).exists()


def test_no_join_ties_a_response_to_its_invitation(many, registry):
    """Attacks with SQL: transaction ids, physical order and time columns find no
    link finer than the batch of k a response was released in."""
    n = 2 * K
    order = _complete(many[:n])
    assert Response.objects.count() == n
    model = registry["year"].model
    codes = _identity_items(model)
    low = min(model.items[codes[0]].answer.codes)
    truth = {r.pk: order[_number_of(r.answers, codes, low)] for r in Response.objects.all()}
    assert sorted(truth.values()) == sorted(order)  # every respondent is recognisable to the test

    # Physical order: the k-th row in the table is not the k-th completion.
    physical = _physical_order(Response)
    matches = sum(truth[pk] == order[i] for i, pk in enumerate(physical))
    assert matches <= n // 4, f"physical order gives away {matches} of {n} respondents"

    # Time: one release week for the whole batch; no other time column.
    assert len(set(Response.objects.values_list("completed_on", flat=True))) == 1

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT r.id, i.id FROM {Response._meta.db_table} r "
                           f"JOIN {Invitation._meta.db_table} i ON r.xmin = i.xmin")
            pairs = cursor.fetchall()
            cursor.execute(f"SELECT xmin::text, count(*) FROM {Response._meta.db_table} GROUP BY 1")
            batches = cursor.fetchall()
        by_response = Counter(r for r, _ in pairs)
        # A response shares its transaction id with no invitation, or with a whole batch.
        assert all(count >= K for count in by_response.values()), by_response
        assert all(count >= K for _, count in batches)


def test_the_close_of_fieldwork_releases_what_is_left(many):
    _complete(many[:3])
    assert release.release_ripe() == 0 and Response.objects.count() == 0
    assert release.release_all() == 3 and Response.objects.count() == 3


def test_scores_during_fieldwork_include_waiting_answers(many, registry):
    """Nothing is lost for scoring: the hand-off reads released and waiting answers."""
    from integrity.apps.fieldwork.monitoring import responses_frame

    _complete(many[:3])
    assert Response.objects.count() == 0
    assert responses_frame(registry["year"]).height == 3


def test_a_release_killed_halfway_loses_nothing(many, registry):
    """kill -9 of a process in the middle of a release (responses inserted, not
    committed): the answers still wait on their invitations, nothing is half-stored,
    and the next release stores them all."""
    _complete(many[:3])
    worker = processes.start("""
        import time
        from integrity.apps.fieldwork import release
        from integrity.apps.fieldwork.models import Response
        manager = Response.objects
        insert = manager.bulk_create
        def insert_then_hang(objs, **kw):
            out = insert(objs, **kw)
            print("inserted", flush=True)
            time.sleep(120)
            return out
        manager.bulk_create = insert_then_hang
        release.release_all()
    """)
    try:
        processes.wait_for_line(worker, "inserted")
    finally:
        processes.kill(worker)
    assert Response.objects.count() == 0 and release.awaiting().count() == 3
    assert release.release_all() == 3 and Response.objects.count() == 3 and release.awaiting().count() == 0


def test_twenty_parallel_submits_of_the_last_page_all_get_thanks(many, settings):
    """A double click times twenty: one response, and every request is thanked (no
    error page, no 'database is locked')."""
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connections
    from django.test import Client

    settings.INTEGRITY_RELEASE_BATCH = 1
    token = many[0]
    invitation = services.find_invitation(token)
    flow = services.start(invitation)
    while True:  # answer every page but the last
        posted = {i.code: str(min(i.answer.codes)) for i in flow.page.items} | {f"check:{c}": "2" for c, _ in flow.page.checks}
        following, finished = services.submit_page(invitation, flow.page_index, posted)
        assert not finished
        if following.page is not None and not following.pages[following.page_index + 1:]:
            break
        invitation = services.find_invitation(token)
        flow = following
    last = following.page
    posted = {i.code: str(min(i.answer.codes)) for i in last.items} | {f"check:{c}": "2" for c, _ in last.checks}
    posted["page"] = str(following.page_index)

    def submit(_):
        try:
            response = Client().post(f"/s/{token}/", posted)
            return response.status_code, "응답해 주셔서 감사합니다" in response.content.decode()
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=20) as pool:
        outcomes = list(pool.map(submit, range(20)))
    assert outcomes == [(200, True)] * 20
    assert Response.objects.count() == 1
