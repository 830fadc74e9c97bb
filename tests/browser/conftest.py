"""The public site in a real browser (chromium_path, browser, page: tests/conftest.py)."""

import datetime

import pytest
from django.core.management import call_command

# The editions `site` builds (factories): two in Beijing, one in Chengdu without a programme,
# and a complete one in Deyang, the latest.
BEIJING_EDITIONS, CHENGDU_EDITION, LATEST = (1, 2), 3, 5


@pytest.fixture
def record(transactional_db):
    """A small public record built with tests.factories: three host cities on the map (one of
    them with two editions) and a complete latest edition of six programme days."""
    from tests.factories import make_city, make_edition, make_seminar

    beijing = make_city("北京市", "北京市", latitude=39.9, longitude=116.4)
    for edition in BEIJING_EDITIONS:
        make_seminar(edition, city=beijing, start_date=datetime.date(2001 + edition, 9, 1))
    make_seminar(
        CHENGDU_EDITION, city=make_city("成都市", "成都市", latitude=30.7, longitude=104.1)
    )
    deyang = make_city("徳陽市", "德阳市", latitude=31.1, longitude=104.4)
    return make_edition(LATEST, city=deyang, days=6)


@pytest.fixture
def site(live_server, record):
    """The live server's base URL, with the factory record."""
    return live_server.url


@pytest.fixture
def seed_site(live_server, transactional_db):
    """The live server's base URL with the seed: only for the tests that measure the real
    record's own texts (their line breaks), which no factory text stands in for."""
    call_command("loaddata", "seminars", "participants", verbosity=0)
    return live_server.url
