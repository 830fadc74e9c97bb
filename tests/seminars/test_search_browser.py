"""The header's search box in Chromium, in both languages: a plain GET form, typed into and
submitted with Enter, lands on the results with the match highlighted."""

import pytest

from tests.factories import make_city, make_edition


@pytest.mark.django_db(transaction=True)
def test_search_box_in_the_header_finds_an_edition_in_both_languages(live_server, page):
    """A live server and Chromium (~5 s): the only test that submits the real form. The edition
    is committed, so the index is written by the after-commit hook, as on a running site."""
    make_edition(5, city=make_city("徳陽市", "德阳市"))

    for lang, query, marked in (("ja", "德阳", "徳陽"), ("zh-hans", "徳陽", "德阳")):
        page.goto(f"{live_server.url}/{lang}/seminars/5/")
        box = page.locator(".site-header input[name=q]")
        box.fill(query)
        box.press("Enter")
        page.wait_for_url(f"**/{lang}/search/?q=*")

        result = page.locator(".search-result").first
        assert result.locator("a").first.get_attribute("href") == f"/{lang}/seminars/5/"
        assert marked in result.locator("mark").all_inner_texts()
        assert page.locator(".site-header input[name=q]").input_value() == query
