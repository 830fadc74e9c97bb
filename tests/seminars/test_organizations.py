"""Organization pages and their index (seminars/public/organizations.py), built with factories:
published editions only (a draft never shows through), one URL per organization, both languages,
breadcrumbs, structured data, the sitemap and the static copy."""

import re

import pytest

from seminars.models import Organizer, Seminar
from seminars.takeaway.export import export_site
from tests.factories import make_organization, make_organizer, make_seminar
from tests.pages import collapsed
from tests.seminars.test_public_structured_data import (
    all_json_ld_blocks,
    breadcrumb_lists,
    check,
)

pytestmark = pytest.mark.django_db
LANGS = ("ja", "zh-hans")


@pytest.fixture
def record():
    """Two published editions and a draft: 協会 co-hosts the 3rd and both hosts and sponsors the
    4th; 下書き団体 took part only in the draft; 中国機関 sponsors the 4th and the draft."""
    third, fourth = make_seminar(3), make_seminar(4)
    draft = make_seminar(5, status=Seminar.Status.DRAFT, theme_ja="未公開のテーマ")
    association = make_organization("日本協会", "日本协会", country="JP")
    hidden = make_organization("下書き団体", "草稿单位", country="JP")
    chinese = make_organization("中国機関", "中国机关", country="CN")
    make_organizer(third, association, role=Organizer.Role.CO_HOST)
    make_organizer(fourth, association, role=Organizer.Role.SPONSOR, order=1)
    make_organizer(fourth, association, role=Organizer.Role.HOST)
    make_organizer(fourth, chinese, role=Organizer.Role.SPONSOR, order=2)
    make_organizer(draft, hidden)
    make_organizer(draft, chinese)
    return {"association": association, "hidden": hidden, "chinese": chinese}


def rows(html):
    """[(edition, roles)] of an organization page's table."""
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    found = []
    for row in re.findall(r"<tr>(.*?)</tr>", body, re.S):
        number = re.search(r'/seminars/([0-9]+)/"', row)[1]
        roles = re.search(r'organization-editions__roles">(.*?)</td>', row, re.S)[1]
        found.append((int(number), collapsed(re.sub(r"<[^>]+>", "", roles)).strip()))
    return found


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("ja", [(3, "共催"), (4, "主催、後援")]),
        ("zh-hans", [(3, "协办单位"), (4, "主办单位，支持单位")]),
    ],
)
def test_organization_page_lists_published_editions_with_roles_in_role_order(
    client, record, lang, expected
):
    response = client.get(f"/{lang}/organizations/{record['association'].pk}/")

    html = response.content.decode()
    assert rows(html) == expected
    assert ("日本协会" if lang == "zh-hans" else "日本協会") in collapsed(html)
    assert response["Content-Language"] == lang


@pytest.mark.parametrize("lang", LANGS)
def test_organization_page_leaves_out_the_draft_edition(client, record, lang):
    html = client.get(f"/{lang}/organizations/{record['chinese'].pk}/").content.decode()

    assert [number for number, _roles in rows(html)] == [4]
    assert "/seminars/5/" not in html and "未公開" not in html


@pytest.mark.parametrize("lang", LANGS)
def test_organization_of_drafts_only_answers_404(client, record, lang):
    response = client.get(f"/{lang}/organizations/{record['hidden'].pk}/")

    assert response.status_code == 404
    assert "下書き団体" not in response.content.decode()
    assert "草稿单位" not in response.content.decode()


@pytest.mark.parametrize(
    "tail",
    ["0/", "007/", "-1/", "abc/", "1.0/", "1234567890/", "99999999/", "１/", "99999998"],
)
def test_malformed_or_unknown_organization_ids_answer_404(client, record, tail):
    response = client.get(f"/ja/organizations/{tail}", follow=True)

    assert response.status_code == 404
    assert "<html" in response.content.decode()  # the site's own 404 page, not a 500


@pytest.mark.parametrize(
    ("lang", "groups"),
    [("ja", ["日本", "中国"]), ("zh-hans", ["日本", "中国"])],
)
def test_index_groups_published_organizations_by_country(client, record, lang, groups):
    html = client.get(f"/{lang}/organizations/").content.decode()

    sections = re.findall(r"<h2 [^>]*>(.*?)</h2>\s*<ul[^>]*>(.*?)</ul>", html, re.S)
    assert [heading for heading, _items in sections] == groups
    linked = [
        {int(pk) for pk in re.findall(r"/organizations/([0-9]+)/", items)}
        for _heading, items in sections
    ]
    assert linked == [{record["association"].pk}, {record["chinese"].pk}]
    text = collapsed(re.sub(r"<[^>]+>", "", sections[0][1]))
    assert ("2回" if lang == "ja" else "2届") in text  # two editions, not three roles
    assert "下書き団体" not in html and "草稿单位" not in html


@pytest.mark.parametrize("lang", LANGS)
def test_edition_page_links_its_organizers_and_preview_does_not(client, record, lang):
    html = client.get(f"/{lang}/seminars/4/").content.decode()

    linked = set(re.findall(rf'href="/{lang}/organizations/([0-9]+)/"', html))
    assert linked == {str(record["association"].pk), str(record["chinese"].pk)}


@pytest.mark.parametrize(
    ("lang", "trail"),
    [
        ("ja", ["日中地域間交流推進セミナー", "団体一覧", "日本協会"]),
        ("zh-hans", ["中日地区间交流推进研讨会", "单位一览", "日本协会"]),
    ],
)
def test_organization_page_metadata_breadcrumbs_and_json_ld(client, record, lang, trail):
    pk = record["association"].pk
    html = client.get(f"/{lang}/organizations/{pk}/").content.decode()

    (crumbs,) = breadcrumb_lists(html)
    assert [item["name"] for item in crumbs["itemListElement"]] == trail
    assert crumbs["itemListElement"][-1]["item"] == f"http://testserver/{lang}/organizations/{pk}/"
    (organization,) = [b for b in all_json_ld_blocks(html) if b["@type"] == "Organization"]
    check(organization)
    assert organization["name"] == trail[-1]
    assert [page["url"] for page in organization["subjectOf"]] == [
        f"http://testserver/{lang}/seminars/{n}/" for n in (3, 4)
    ]
    assert re.search(rf'property="og:title"\s+content="{trail[-1]} \| {trail[0]}"', html)
    assert re.search(rf'property="og:description"\s+content="{trail[-1]}', html)
    for other in LANGS:
        href = f"http://testserver/{other}/organizations/{pk}/"
        assert f'hreflang="{"zh-Hans" if other == "zh-hans" else "ja"}" href="{href}"' in html
    assert 'class="site-footer' in html


def test_sitemap_lists_organization_pages_with_alternates_but_no_drafts_only_one(client, record):
    xml = client.get("/sitemap.xml").content.decode()

    for lang in LANGS:
        assert f"<loc>http://testserver/{lang}/organizations/</loc>" in xml
        for name in ("association", "chinese"):
            url = f"http://testserver/{lang}/organizations/{record[name].pk}/"
            assert f"<loc>{url}</loc>" in xml
            assert f'hreflang="{lang}" href="{url}"' in xml
    assert f"/organizations/{record['hidden'].pk}/" not in xml


def test_static_copy_has_the_organization_pages_and_a_second_copy_keeps_them(record, tmp_path):
    """Two exports of the site (two editions without programme, no PDF to render): ~5 s."""
    copy = tmp_path / "copy"
    export_site(copy, "https://example.org/")

    for lang in LANGS:
        assert (copy / lang / "organizations" / "index.html").is_file()
        for name in ("association", "chinese"):
            page = copy / lang / "organizations" / str(record[name].pk) / "index.html"
            assert "/seminars/4/" in page.read_text()
        assert not (copy / lang / "organizations" / str(record["hidden"].pk)).exists()
    record["association"].name_ja = "改名協会"
    record["association"].save()

    second = export_site(copy, "https://example.org/")

    page = copy / "ja" / "organizations" / str(record["association"].pk) / "index.html"
    assert "改名協会" in page.read_text()
    assert f"/ja/organizations/{record['chinese'].pk}/" in second.unchanged
