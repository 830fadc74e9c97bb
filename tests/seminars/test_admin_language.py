"""The admin follows the staff member's language: the switcher, and this workflow's messages."""

import re

import pytest
from django.conf import settings
from django.urls import reverse

from seminars.models import Seminar

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:seminars_seminar_changelist"


def test_admin_language_switcher_in_header(admin_client_ja, db):
    content = admin_client_ja.get(reverse(CHANGELIST)).content.decode()
    assert f'action="{reverse("set_language")}"' in content
    options = re.findall(r"<option\s+([^>]*?)\s*>\s*([^<]*?)\s*</option>", content)
    switcher = [(" ".join(attrs.split()), label) for attrs, label in options if 'lang="' in attrs]
    assert switcher == [
        ('value="ja" lang="ja" selected', "日本語"),
        ('value="zh-hans" lang="zh-hans"', "简体中文"),
    ]
    assert "管理画面の言語" in content


def test_admin_language_switcher_on_login_page(client, db):
    content = client.get(reverse("admin:login"), HTTP_ACCEPT_LANGUAGE="zh-hans").content
    assert "管理界面语言" in content.decode()


def test_admin_language_switch_to_chinese_sticks(admin_client_ja, edition):
    changelist = reverse(CHANGELIST)
    response = admin_client_ja.post(
        reverse("set_language"), {"language": "zh-hans", "next": changelist}
    )
    assert (response.status_code, response["Location"]) == (302, changelist)
    assert admin_client_ja.cookies[settings.LANGUAGE_COOKIE_NAME].value == "zh-hans"
    content = admin_client_ja.get(changelist).content.decode()
    assert '<html lang="zh-hans"' in content
    assert '<td class="field-translation_status">已全部翻译</td>' in content
    assert "复制为下一届（草稿）" in content


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/admin/"])
def test_admin_language_switch_refuses_offsite_next(admin_client_ja, target):
    response = admin_client_ja.post(reverse("set_language"), {"language": "ja", "next": target})
    assert response.status_code == 302
    assert "evil.example" not in response["Location"]


@pytest.mark.parametrize(
    ("accept_language", "expected"),
    [
        ("ja", "第5回（2006年度） をもとに 第6回（2007年度） を下書きとして作成"),
        ("zh-hans", "已根据第5届（2006年度）创建草稿第6届（2007年度）"),
    ],
)
def test_admin_language_workflow_messages(client, superuser, edition, accept_language, expected):
    client.force_login(superuser)
    source = edition
    response = client.post(
        reverse(CHANGELIST),
        {"action": "copy_as_next_edition", "_selected_action": [source.pk]},
        HTTP_ACCEPT_LANGUAGE=accept_language,
        follow=True,
    )
    messages = [str(m) for m in response.context["messages"]]
    assert any(expected in m for m in messages), messages


def test_admin_language_publish_button_in_chinese(client, superuser, edition):
    client.force_login(superuser)
    Seminar.objects.filter(pk=edition.pk).update(status="draft")
    seminar = Seminar.objects.get(pk=edition.pk)
    url = reverse("admin:seminars_seminar_change", args=[seminar.pk])
    content = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "预览（日本語）" in content and "预览（简体中文）" in content
    assert ">发布</button>" in content
