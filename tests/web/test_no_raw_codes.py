"""No machine code on a screen where a person reads it: form codes, survey codes and
Django admin's titles in plain Korean."""

from django.urls import reverse


def test_admin_list_titles_read_as_korean(client, users):
    client.force_login(users["admin"])
    html = client.get(reverse("admin:results_institutionresult_changelist")).content.decode()
    assert "기관 결과 목록" in html and "를(을)" not in html and "보기위한" not in html


def test_forms_and_surveys_are_named_not_coded(client, invited, users, registry):
    from integrity.apps.fieldwork.models import CallAssignment, Invitation

    client.force_login(users["admin"])
    sampling = client.get(reverse("sampling:index")).content.decode()
    assert "외부청렴도 측정대상자 명부" in sampling
    assert ">external<" not in sampling and "external ·" not in sampling
    monitoring = client.get(reverse("monitoring:index")).content.decode()
    assert "<td>외부청렴도</td>" in monitoring and "<td>external</td>" not in monitoring
    CallAssignment.objects.create(invitation=Invitation.objects.first(), interviewer=users["admin"])
    calls = client.get(reverse("fieldwork:calls")).content.decode()
    assert "<td>외부청렴도</td>" in calls
