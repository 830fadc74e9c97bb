"""participants 0007: a position that used to be shown after the affiliation keeps what the page
showed, now as the one text the page shows (長野県須坂市 + 市長 → 長野県須坂市長)."""

import importlib

from django.apps import apps

from tests.factories import make_delegation, make_participant, make_seminar

migration = importlib.import_module("participants.migrations.0007_position_as_the_source_gives_it")


def test_position_migration_puts_the_affiliation_into_the_position_once(db):
    delegation = make_delegation(make_seminar(5), "japan", 3)
    composed = make_participant(
        delegation,
        position_ja="市長",
        position_zh_hans="市长",
        organization_ja="長野県須坂市",
        organization_zh_hans="长野县须坂市",
    )
    whole = make_participant(
        delegation,
        position_ja="長野県須坂市長",
        position_zh_hans="长野县须坂市市长",
        organization_ja="長野県須坂市",
        organization_zh_hans="长野县须坂市",
    )
    alone = make_participant(delegation, position_ja="理事長", position_zh_hans="理事长")

    migration.positions_with_their_body(apps, None)

    for person in (composed, whole):
        person.refresh_from_db()
        assert (person.position_ja, person.position_zh_hans) == (
            "長野県須坂市長",
            "长野县须坂市市长",
        )
    alone.refresh_from_db()
    assert (alone.position_ja, alone.position_zh_hans) == ("理事長", "理事长")
