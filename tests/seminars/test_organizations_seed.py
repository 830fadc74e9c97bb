"""Organization pages on the real record (the seed, loaded once for the module): each page lists
exactly the editions the seed gives the organization, with its roles, in both languages."""

import json
import re
from collections import defaultdict
from pathlib import Path

import pytest

from tests.pages import collapsed

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
ROLE_LABELS = {
    "ja": {"host": "主催", "co_host": "共催", "sponsor": "後援"},
    "zh-hans": {"host": "主办单位", "co_host": "协办单位", "sponsor": "支持单位"},
}
NAME_FIELD = {"ja": "name_ja", "zh-hans": "name_zh_hans"}

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seed_for_module")]


def seed():
    """From the committed fixtures: {organization pk: fields}, {pk: {edition: [roles]}}."""
    rows = json.loads((FIXTURES / "seminars.json").read_text(encoding="utf-8"))
    editions = {r["pk"]: r["fields"]["edition"] for r in rows if r["model"] == "seminars.seminar"}
    organizations = {r["pk"]: r["fields"] for r in rows if r["model"] == "seminars.organization"}
    roles = defaultdict(lambda: defaultdict(list))
    for row in rows:
        if row["model"] == "seminars.organizer":
            fields = row["fields"]
            roles[fields["organization"]][editions[fields["seminar"]]].append(fields["role"])
    return organizations, roles


ORGANIZATIONS, ROLES = seed()


def edition_rows(html):
    """[(edition number, roles text)] of the page's table of editions."""
    body = html.split('<table class="organization-editions">', 1)[1].split("</table>", 1)[0]
    rows = re.findall(r"<tr>(.*?)</tr>", body.split("<tbody>", 1)[1], re.S)
    found = []
    for row in rows:
        number = int(re.search(r'href="/[^/]+/seminars/([0-9]+)/"', row)[1])
        roles = re.search(r'class="organization-editions__roles">(.*?)</td>', row, re.S)[1]
        found.append((number, collapsed(re.sub(r"<[^>]+>", "", roles)).strip()))
    return found


@pytest.mark.parametrize("lang", ["ja", "zh-hans"])
@pytest.mark.parametrize("pk", sorted(ORGANIZATIONS))
def test_organization_page_lists_exactly_the_seed_editions_with_roles(client, lang, pk):
    response = client.get(f"/{lang}/organizations/{pk}/")

    assert response.status_code == 200
    html = response.content.decode()
    separator = "、" if lang == "ja" else "，"
    expected = [
        (edition, separator.join(ROLE_LABELS[lang][role] for role in roles))
        for edition, roles in sorted(ROLES[pk].items())
    ]
    assert edition_rows(html) == expected
    assert ORGANIZATIONS[pk][NAME_FIELD[lang]] in collapsed(html)


@pytest.mark.parametrize("lang", ["ja", "zh-hans"])
def test_seed_2018_page_links_every_organizer_to_its_page(client, lang):
    html = client.get(f"/{lang}/seminars/17/").content.decode()

    linked = {int(n) for n in re.findall(rf'href="/{lang}/organizations/([0-9]+)/"', html)}
    assert linked == set(ORGANIZATIONS)


@pytest.mark.parametrize(
    ("lang", "japan", "china"), [("ja", "日本", "中国"), ("zh-hans", "日本", "中国")]
)
def test_seed_organization_index_groups_the_seven_by_country(client, lang, japan, china):
    html = client.get(f"/{lang}/organizations/").content.decode()

    sections = re.findall(r"<h2 [^>]*>(.*?)</h2>\s*<ul[^>]*>(.*?)</ul>", html, re.S)
    grouped = {
        heading: {int(n) for n in re.findall(r"/organizations/([0-9]+)/", items)}
        for heading, items in sections
    }
    assert grouped == {
        japan: {pk for pk, o in ORGANIZATIONS.items() if o["country"] == "JP"},
        china: {pk for pk, o in ORGANIZATIONS.items() if o["country"] == "CN"},
    }


def test_seed_series_page_has_no_chart_with_counts_for_one_edition_only(client):
    html = client.get("/ja/").content.decode()

    assert "participation__chart" not in html
    assert 'href="/ja/organizations/"' in html
