"""청렴주의보 in the application: issuing a month from the register and the history,
evidence, delivery to liaisons (once), the pages, the cluster-page partial."""

from datetime import date

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.template.loader import render_to_string
from django.urls import reverse

from integrity.apps.audit.models import AuditEntry
from integrity.apps.earlywarning import services
from integrity.apps.earlywarning.demo import generated_history
from integrity.apps.earlywarning.models import Alert, CalendarEvent, Delivery, PastIncident
from integrity.apps.fieldwork import sms
from integrity.apps.incidents.models import Case
from integrity.apps.registry.models import Institution
from integrity.apps.schedule.reminders import set_liaison_phone

JANUARY = date(2017, 1, 1)


def make_world(registry, users=None):
    """Thirty 서울 cities besides 누리시 (institution B, also in 서울) and five years of
    generated incidents before 2017 in the history."""
    year = registry["year"]
    b = registry["b"]
    b.region = "서울"
    b.save()
    Institution.objects.bulk_create([Institution(year=year, code=f"04{n:05d}", name=f"서울{n}시", type_code="basic_city",
                                                 staff=900, region="서울") for n in range(2, 32)])
    call_command("load_warning_calendar")
    generated_history((2012, 2016), seed=3, year=year)
    if users:
        users["liaison_b"].email = "liaison.b@example.invalid"
        users["liaison_b"].save()


@pytest.fixture
def world(registry, users):
    make_world(registry, users)
    return registry


def test_calendar_command_loads_the_default_calendar_once(db):
    call_command("load_warning_calendar")
    n = CalendarEvent.objects.count()
    assert n >= 14 * 6
    call_command("load_warning_calendar")
    assert CalendarEvent.objects.count() == n


def test_calendar_event_rules_are_checked(db):
    event = CalendarEvent(kind="party", name="x", start=date(2022, 1, 2), end=date(2022, 1, 1), regions="서울, 한양")
    with pytest.raises(ValidationError) as exc:
        event.full_clean()
    assert {"kind", "end", "regions"} <= set(exc.value.message_dict)


def test_case_field_is_one_of_the_settings_fields(registry):
    case = Case(year=registry["year"], institution=registry["a"], source="press", act_type="직권남용",
                detected_by="press", field="lottery")
    with pytest.raises(ValidationError) as exc:
        case.full_clean()
    assert "field" in exc.value.message_dict and "인사·채용" in exc.value.message_dict["field"][0]
    case.field = "contract"
    case.full_clean()


def test_register_cases_feed_the_model_with_their_field_or_their_act_types(registry):
    Case.objects.create(year=registry["year"], institution=registry["b"], source="press", act_type="직권남용",
                        detected_by="press", field="contract", acted_on=date(2016, 5, 3))
    Case.objects.create(year=registry["year"], institution=registry["b"], source="press", act_type="금품·향응수수",
                        detected_by="press", disposed_on=date(2016, 6, 1))
    Case.objects.create(year=registry["year"], institution=registry["b"], source="press", act_type="직권남용",
                        detected_by="press")  # no date: cannot be placed in a month
    frame = services.incident_frame()
    assert sorted(frame["field"].to_list()) == ["contract", "gifts"]
    assert set(frame["family"]) == {"local_government"}


def test_issuing_a_month_alerts_gifts_and_personnel_with_evidence(world):
    """청렴주의보 for January 2017 (설 and the January 인사): gifts and personnel in 서울's
    local governments; each with uplift over the factor, an interval above 1 and past
    incidents of the same periods as evidence."""
    issued = services.issue_warnings(JANUARY)
    cells = {(a.region, a.family, a.field) for a in issued.alerts}
    assert {("서울", "local_government", "gifts"), ("서울", "local_government", "personnel")} <= cells
    assert not {c for c in cells if c[2] in ("contract", "subsidy", "funds")}
    gifts = Alert.objects.get(month=JANUARY, region="서울", field="gifts")
    assert gifts.uplift >= gifts.factor and 1 < gifts.lower < gifts.uplift < gifts.upper
    assert gifts.expected == pytest.approx(gifts.baseline * gifts.uplift)
    assert "2017 설" in gifts.events and dict(gifts.kinds).keys() >= {"holiday"}
    assert 0 < len(gifts.evidence) <= 20 and all(e["day"] < "2017-01-01" for e in gifts.evidence)
    assert len(gifts.series) == 36 and sum(n for _, n in gifts.series) > 0
    assert AuditEntry.objects.filter(action="earlywarning.issued").exists()


def test_issuing_again_replaces_the_months_alerts(world):
    first = services.issue_warnings(JANUARY)
    Alert.objects.create(month=JANUARY, region="서울", family="local_government", field="funds", expected=1, baseline=1,
                         uplift=1, lower=1, upper=1, interval_level=0.9, factor=1.5, history=0)
    again = services.issue_warnings(JANUARY)
    assert again.removed == 1
    assert Alert.objects.filter(month=JANUARY).count() == len(first.alerts) == len(again.alerts)


def test_without_history_no_alert_and_a_korean_message(registry):
    with pytest.raises(ValueError, match="학습할 수 없습니다"):
        services.issue_warnings(JANUARY)


def test_command_issues_and_refuses_a_bad_month(world, capsys):
    call_command("issue_warnings", "--month", "2017-01")
    assert "청렴주의보" in capsys.readouterr().out
    with pytest.raises(CommandError, match="연도-월"):
        call_command("issue_warnings", "--month", "2017/13")


def test_delivery_goes_to_the_liaisons_once_by_email_and_sms(world, users, settings):
    settings.INTEGRITY_SMS_BACKEND = "integrity.apps.fieldwork.sms.LocMemBackend"
    sms.outbox.clear()
    set_liaison_phone(users["liaison_b"], "+821012345678")
    alert = services.issue_warnings(JANUARY).alerts[0]
    mail.outbox.clear()
    sent = services.deliver(alert, users["admin"])
    assert (sent.emails, sent.texts, sent.institutions) == (1, 1, 1)
    assert len(sent.no_contact) == 30  # the other cities have no liaison
    assert mail.outbox[0].to == ["liaison.b@example.invalid"] and "[청렴주의보]" in mail.outbox[0].subject
    assert "권하는 활동" in mail.outbox[0].body and sms.outbox[-1].to == "+821012345678"
    # no link to the alert's page: its past cases are not the liaison's to read (403 for them)
    assert "/warnings/" not in mail.outbox[0].body and "/warnings/" not in sms.outbox[-1].body
    assert set(Delivery.objects.filter(alert=alert).values_list("channel", flat=True)) == {"email", "sms"}
    again = services.deliver(alert, users["admin"])
    assert (again.emails, again.texts, again.skipped) == (0, 0, 2)
    assert len(mail.outbox) == 1 and Delivery.objects.filter(alert=alert).count() == 2
    assert AuditEntry.objects.filter(action="earlywarning.delivered").count() == 2


def test_alerts_for_a_cluster_page_by_region_type_and_year(world):
    services.issue_warnings(JANUARY)
    seoul = services.alerts_for(region="서울", type_codes=["basic_city", "metropolitan"], year=2017)
    assert seoul and all(a.region in ("서울", "") and a.family == "local_government" for a in seoul)
    assert all(a.suggestions for a in seoul)
    gifts = next(a for a in seoul if a.field == "gifts")
    assert any("명절" in s for s in gifts.suggestions) and any("청탁금지법" in s for s in gifts.suggestions)
    assert services.alerts_for(region="부산", type_codes=["basic_city"], year=2017) == []
    assert services.alerts_for(region="서울", type_codes=["pso_1"], year=2017) == []
    assert services.alerts_for(region="서울", year=2016) == []
    html = render_to_string("earlywarning/_alerts.html", {"alerts": seoul, "links": True})
    assert "청렴주의보" in html and gifts.suggestions[0] in html and reverse("earlywarning:detail", args=[gifts.pk]) in html
    assert "발령된 청렴주의보가 없습니다" in render_to_string("earlywarning/_alerts.html", {"alerts": []})


def test_list_filters_and_detail_shows_the_evidence(client, world, users):
    services.issue_warnings(JANUARY)
    client.force_login(users["analyst"])
    page = client.get(reverse("earlywarning:list"), {"field": "gifts"}).content.decode()
    assert "금품·향응" in page and "인사·채용</td>" not in page
    assert "경보 발령" not in page  # analysts read only
    gifts = Alert.objects.get(month=JANUARY, region="서울", field="gifts")
    detail = client.get(reverse("earlywarning:detail", args=[gifts.pk])).content.decode()
    assert gifts.evidence[0]["label"] in detail and "<svg" in detail and "2017 설" in detail
    assert "담당자에게 보내기" not in detail


def test_admin_issues_from_the_list_and_a_bad_month_is_told_in_korean(client, world, users):
    client.force_login(users["admin"])
    response = client.post(reverse("earlywarning:issue"), {"month": "2017-01"}, follow=True)
    assert "청렴주의보" in response.content.decode() and Alert.objects.filter(month=JANUARY).exists()
    response = client.post(reverse("earlywarning:issue"), {"month": "next"}, follow=True)
    assert "연도-월" in response.content.decode()


def test_admin_sends_from_the_detail_page(client, world, users):
    alert = services.issue_warnings(JANUARY).alerts[0]
    client.force_login(users["admin"])
    response = client.post(reverse("earlywarning:deliver", args=[alert.pk]), follow=True)
    assert "전자우편 1통" in response.content.decode()
    assert Delivery.objects.filter(alert=alert, channel="email").count() == 1


def test_history_generation_replaces_generated_years(registry):
    n = generated_history((2015, 2016), seed=1, year=registry["year"])
    assert PastIncident.objects.count() == n
    generated_history((2015, 2016), seed=1, year=registry["year"])
    assert PastIncident.objects.count() == n


def test_demo_issues_alerts_for_the_demo_years_january(registry, users):
    from integrity.apps.earlywarning.demo import demo_warnings

    Institution.objects.bulk_create([Institution(year=registry["year"], code=f"04{n:05d}", name=f"부산{n}구",
                                                 type_code="basic_district", staff=700, region="부산") for n in range(2, 32)])
    made = demo_warnings(registry["year"], seed=5)
    assert made["month"] == "2017-01" and made["alerts"] >= 1 and made["history"] > 0
    assert PastIncident.objects.filter(occurred_on__lt=date(2014, 1, 1)).count() == 0
    assert Alert.objects.filter(month=JANUARY, region="부산").exists()


def test_history_import_takes_a_csv_whole_or_names_every_bad_row(registry, tmp_path):
    good = ("발생일,분야,부패행위 유형,기관코드,기관명,기관유형,시·도\n"
            "2019-09-12,금품·향응,금품·향응수수,0400009,한솔시,basic_city,전남\n"
            "2020-01-20,personnel,부정청탁,0100009,가온부,central_1,\n")
    path = tmp_path / "history.csv"
    path.write_bytes(good.encode("utf-8-sig"))
    call_command("import_incident_history", str(path))
    rows = {p.institution_code: p for p in PastIncident.objects.all()}
    assert rows["0400009"].field == "gifts" and rows["0400009"].family == "local_government"
    assert rows["0100009"].region == "" and rows["0100009"].source == "history.csv"
    bad = good + "2020-13-01,복권,x,0100010,다온부,nowhere,한양\n"
    path.write_bytes(bad.encode("utf-8"))
    with pytest.raises(CommandError) as exc:
        call_command("import_incident_history", str(path))
    message = str(exc.value)
    assert "4행 '발생일'" in message and "4행 '분야'" in message and "4행 '기관유형'" in message and "4행 '시·도'" in message
    assert PastIncident.objects.count() == 2  # nothing of the bad file stored


def test_a_clusters_pages_show_the_alerts_of_its_region_and_members_types(client, world, users):
    """Issue 14: alerts appear on the cluster page (secretariat) and in its online space
    (members' liaisons), for the cluster's 시·도 and its public members' types, with the
    campaign suggestions; a cluster elsewhere shows none."""
    from integrity.apps.clusters.models import Cluster, Member

    services.issue_warnings(JANUARY)
    seoul = Cluster.objects.create(name="서울 청렴 클러스터", region="서울")
    seoul.secretariat_users.add(users["secretariat"])
    Member.objects.create(cluster=seoul, kind="public", institution_code=world["b"].code, name="누리시", joined_on=JANUARY)
    busan = Cluster.objects.create(name="부산 청렴 클러스터", region="부산")
    busan.secretariat_users.add(users["secretariat"])
    gifts = Alert.objects.get(month=JANUARY, region="서울", field="gifts", family="local_government")
    client.force_login(users["secretariat"])
    page = client.get(reverse("clusters:detail", args=[seoul.pk])).content.decode()
    assert "청렴주의보" in page and reverse("earlywarning:detail", args=[gifts.pk]) in page
    assert "발령된 청렴주의보가 없습니다" in client.get(reverse("clusters:detail", args=[busan.pk])).content.decode()
    client.force_login(users["liaison_b"])  # a member's liaison reads the alert in the space, without the link
    space = client.get(reverse("clusters:space", args=[seoul.pk])).content.decode()
    assert "청렴주의보" in space and reverse("earlywarning:detail", args=[gifts.pk]) not in space


def test_a_secretariat_reads_only_the_alerts_of_its_clusters_regions(client, world, users):
    """A secretariat on another cluster sees nothing of this one: the alerts (whose evidence
    names institutions and their past corruption cases) are read by administrators and
    analysts everywhere, by a cluster secretariat only for its clusters' 시·도 (and 전국)."""
    from integrity.apps.clusters.models import Cluster

    services.issue_warnings(JANUARY)
    seoul_alert = Alert.objects.get(month=JANUARY, region="서울", field="gifts", family="local_government")
    busan = Cluster.objects.create(name="부산 청렴 클러스터", region="부산")
    busan.secretariat_users.add(users["secretariat"])
    client.force_login(users["secretariat"])
    assert client.get(reverse("earlywarning:detail", args=[seoul_alert.pk])).status_code == 403
    listing = client.get(reverse("earlywarning:list")).content.decode()
    assert reverse("earlywarning:detail", args=[seoul_alert.pk]) not in listing
    seoul = Cluster.objects.create(name="서울 청렴 클러스터", region="서울")
    seoul.secretariat_users.add(users["secretariat"])
    assert client.get(reverse("earlywarning:detail", args=[seoul_alert.pk])).status_code == 200
    assert reverse("earlywarning:detail", args=[seoul_alert.pk]) in client.get(reverse("earlywarning:list")).content.decode()
    client.force_login(users["analyst"])
    assert client.get(reverse("earlywarning:detail", args=[seoul_alert.pk])).status_code == 200


def test_an_alerts_deliveries_are_searched_filtered_and_paged(client, users, registry):
    from integrity.web.listing import PER_PAGE

    from .listing_checks import assert_paged, count_line, get

    year = registry["year"]
    Institution.objects.bulk_create([Institution(year=year, code=f"04{n:05d}", name=f"서울{n}시", type_code="basic_city",
                                                 staff=900, region="서울") for n in range(2, 62)])
    alert = Alert.objects.create(month=JANUARY, region="서울", family="local_government", field="funds", expected=3,
                                 baseline=1, uplift=3, lower=2, upper=4, interval_level=0.9, factor=1.5, history=0)
    bodies = list(Institution.objects.filter(region="서울").order_by("code"))
    Delivery.objects.bulk_create([Delivery(alert=alert, institution=b, channel=c, recipients=1)
                                  for b in bodies for c in ("email", "sms")])
    total = 2 * len(bodies)
    assert total > PER_PAGE
    client.force_login(users["analyst"])
    url = reverse("earlywarning:detail", args=[alert.pk])
    assert_paged(client, url, total, rows=lambda page: page.count("<tr><td>서울"))
    assert count_line(2, total) in get(client, url + "?q=서울7시")
    assert count_line(len(bodies), total) in get(client, url + "?channel=sms")
    both = get(client, url + "?q=서울&channel=email")
    assert count_line(len(bodies), total) in both and "?q=%EC%84%9C%EC%9A%B8&amp;channel=email&amp;page=2" in both
    assert count_line(1, total) in get(client, url + "?q=서울17시&channel=email")
