"""Mobile links by messenger (알림톡) beside SMS: a template with variables, and a
plain text message wherever the messenger does not deliver."""

from datetime import date

import pytest

from integrity.apps.fieldwork import messenger, sms
from integrity.apps.fieldwork.messenger import TemplateMessage, deliver
from integrity.apps.fieldwork.models import Channel, Invitation
from integrity.apps.fieldwork.sending import send
from tests.apps.test_fieldwork_2022 import _invite, year2022  # noqa: F401 — the fixture
from tests.registry_fixtures import LINK
from tests.rosters.helpers import external_rows


@pytest.fixture(autouse=True)
def _empty_outboxes():
    messenger.outbox.clear()
    messenger.no_account.clear()
    messenger.failing["down"] = False
    sms.outbox.clear()
    yield
    messenger.no_account.clear()
    messenger.failing["down"] = False


def _message(to="+821012345678"):
    return TemplateMessage(to, "invitation", {"기관명": "가람부", "링크": "http://x/s/abc/", "분": "2"},
                           fallback="[청렴도측정] 가람부 청렴도 설문(익명, 2분) http://x/s/abc/")


class ProviderForTest(messenger.BaseBackend):
    """A provider plugged in by its dotted path, as a real 알림톡 provider would be."""

    sent: list = []

    def send_templates(self, messages):
        ProviderForTest.sent.extend(m.code for m in messages)
        return [True] * len(messages)


def test_a_messenger_message_is_a_template_code_with_variables(settings):
    settings.INTEGRITY_MESSENGER_TEMPLATES = {"invitation": "INTEGRITY_INV_01"}
    m = _message()
    assert m.code == "INTEGRITY_INV_01"
    assert "가람부 청렴도 설문" in m.text() and "http://x/s/abc/" in m.text() and "#{" not in m.text()
    assert deliver([m]) == (1, 0)
    assert messenger.outbox == [m] and sms.outbox == []


def test_a_number_without_a_messenger_account_gets_a_text_message_instead():
    messenger.no_account.add("+821099990000")
    assert deliver([_message(), _message("+821099990000")]) == (1, 1)
    assert [m.to for m in messenger.outbox] == ["+821012345678"]
    assert [(t.to, t.body) for t in sms.outbox] == [("+821099990000", _message().fallback)]


def test_a_messenger_outage_sends_every_message_as_a_text_message():
    messenger.failing["down"] = True
    assert deliver([_message(), _message("+821011112222")]) == (0, 2)
    assert len(sms.outbox) == 2 and messenger.outbox == []


def test_without_a_messenger_backend_mobile_messages_go_by_sms(settings):
    settings.INTEGRITY_MESSENGER_BACKEND = ""
    assert deliver([_message()]) == (0, 1)
    assert sms.outbox[0].body.startswith("[청렴도측정] 가람부")


def test_a_provider_is_plugged_in_by_its_dotted_path(settings):
    settings.INTEGRITY_MESSENGER_BACKEND = "tests.apps.test_messenger.ProviderForTest"
    settings.INTEGRITY_MESSENGER_TEMPLATES = {"invitation": "KAKAO_T1"}
    ProviderForTest.sent.clear()
    assert deliver([_message()]) == (1, 0)
    assert ProviderForTest.sent == ["KAKAO_T1"]


def _phone_only_rows(n=80):
    return external_rows(n, experienced_on=date(2022, 1, 5))  # mobile numbers, no e-mail


def test_a_2022_year_sends_mobile_links_by_messenger_and_falls_back_to_sms(client, year2022, users):  # noqa: F811
    messenger.no_account.update(f"+82102000{i:04d}" for i in range(0, 80, 2))  # half the roster has no messenger
    tokens = _invite(client, year2022, users, "external", _phone_only_rows(), task=year2022["task_a"])
    channels = set(Invitation.objects.values_list("channel", flat=True))
    assert channels == {Channel.MOBILE}
    invited = Invitation.objects.count()
    assert len(messenger.outbox) + len(sms.outbox) == invited == len(tokens)
    assert messenger.outbox and all(m.template == "invitation" and LINK.search(m.variables["링크"] + " ")
                                    for m in messenger.outbox)
    assert sms.outbox and {t.to for t in sms.outbox} <= messenger.no_account  # those, and only those, by SMS
    assert not {m.to for m in messenger.outbox} & messenger.no_account
    assert all(t.body.startswith("[청렴도측정] 가람부") and LINK.search(t.body) for t in sms.outbox)
    assert all(m.variables["분"] == "2" for m in messenger.outbox)  # 9 questions and a check: about 2 minutes


def test_a_2017_year_sends_mobile_links_as_text_messages(client, registry, users):
    from tests.apps.test_fieldwork_2022 import _invite as invite

    tokens = invite(client, registry, users, "external", external_rows(80), task=registry["task_a"])
    assert set(Invitation.objects.values_list("channel", flat=True)) == {Channel.SMS}
    assert len(sms.outbox) == len(tokens) and messenger.outbox == []


def test_reminders_by_messenger_use_the_reminder_template(client, year2022, users):  # noqa: F811
    _invite(client, year2022, users, "external", _phone_only_rows(), task=year2022["task_a"])
    messenger.outbox.clear()
    send(list(Invitation.objects.select_related("member__entry", "institution", "task")[:2]), reminder=True)
    assert [m.template for m in messenger.outbox] == ["reminder", "reminder"]
    assert "다시 부탁드립니다" in messenger.outbox[0].text()


def test_asking_for_a_text_message_from_the_link_sends_plain_sms(client, year2022, users):  # noqa: F811
    tokens = _invite(client, year2022, users, "external", _phone_only_rows(), task=year2022["task_a"])
    messenger.outbox.clear()
    sms.outbox.clear()
    client.post(f"/s/{tokens[0]}/resend/", {"to": "sms"})
    assert len(sms.outbox) == 1 and messenger.outbox == []
