"""Factories run the side effects of their writes once per call, not once per row: the edition's
version moves one step and the page cache forgets what the call wrote."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from seminars.models import EditionVersion
from tests.factories import make_agenda_item, make_edition, make_photo, side_effects_once
from tests.pages import collapsed


def test_factory_edition_moves_its_version_one_step(db):
    seminar = make_edition(5)  # about 30 rows: the edition, its organizers, agenda, people…

    assert EditionVersion.objects.get(seminar=seminar).number == 1


def test_factory_edition_writes_each_row_once_and_its_version_once(db):
    make_edition(3)
    with CaptureQueriesContext(connection) as captured:
        make_edition(5)

    # Writes and reads of the version row itself (not the sitemap's joins, run when an earlier
    # test left a page stored inside a transaction).
    own = ('UPDATE "seminars_editionversion"', 'INSERT INTO "seminars_editionversion"')
    version_queries = [
        q
        for q in captured
        if q["sql"].startswith(own)
        or q["sql"].startswith('SELECT "seminars_editionversion"."seminar_id"')
    ]
    # One step for the whole edition: an update that finds no row, then the row created at 1
    # (row by row, each of the edition's ~30 writes would update it).
    assert len(version_queries) == 3


def test_block_of_writes_moves_the_version_once(edition):
    before = EditionVersion.objects.get(seminar=edition).number
    with side_effects_once():
        make_agenda_item(edition, title_ja="追加1")
        make_agenda_item(edition, title_ja="追加2")
        make_photo(edition, order=5)

    assert EditionVersion.objects.get(seminar=edition).number == before + 1


@pytest.mark.parametrize(("lang", "title"), [("ja", "追加の講演"), ("zh-hans", "追加的演讲")])
def test_factory_write_after_a_page_was_cached_shows_on_the_next_request(
    client, edition, lang, title
):
    path = f"/{lang}/seminars/{edition.edition}/"
    client.get(path)

    make_agenda_item(edition, title_ja="追加の講演", title_zh_hans="追加的演讲", order=9)

    assert title in collapsed(client.get(path).content.decode())
