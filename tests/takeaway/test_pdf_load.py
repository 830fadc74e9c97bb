"""A burst of anonymous requests for PDFs not rendered yet does not starve the pages.

Runs bench/pdf_load.py: gunicorn with the production settings (config/gunicorn.py: 2 gthread
workers × 8 threads; config/wsgi.py: at most 2 PDF requests at once per worker), DJANGO_DEBUG=0,
on 127.0.0.1, a temporary SQLite database with the seed and 20 complete editions (84 PDFs, 4 of
them stored beforehand), 20 clients sending HEAD and GET for 10 s while one reader times an
edition page.

About 50–180 s (45 s on a quiet host, 150 s at a load average of 16), which is why it runs once,
in the SQLite pass (`pdf`): it builds the database, collects static files, renders the 4 stored
PDFs and starts the server, then measures for 12 s. The bound is the issue's (HTML p99 under
200 ms during the burst). Measured on the shared 2-core host with a pytest run of the PostgreSQL
suite beside it, p99 was 53 ms (load average 8.5), and 69 ms at a load average of 16.6: the
design keeps a page from waiting behind PDF requests (README, Take it away), rather than
counting on an idle machine.
"""

import pytest

from bench.pdf_load import measure

pytestmark = pytest.mark.pdf


def test_pdf_burst_keeps_the_pages_fast_and_never_renders_in_a_worker(pdf_ready):
    result = measure(seconds=10, threads=20, wait_for_render=False)
    print(result)  # the figures, shown with -rP (and with any failure)

    answers = result["pdf_responses"]
    assert set(answers) <= {"GET 200", "HEAD 200", "GET 503", "HEAD 503"}, result
    assert answers.get("GET 200", 0) > 0 and answers.get("HEAD 200", 0) > 0, result
    assert answers.get("GET 503", 0) > 0 and answers.get("HEAD 503", 0) > 0, result
    # No visitor request renders: not in a web worker (the engine is never loaded there), and
    # a stored PDF is served, never rendered again; one renderer process, not one per request.
    assert result["web_workers"] >= 1
    assert result["web_workers_loaded_pdf_engine"] is False
    assert result["stored_rendered_again"] == 0, result
    assert result["most_renderers_at_once"] == 1, result
    # The searches of the burst were answered (a bulkhead of their own, config/wsgi.py).
    searches = result["search_responses"]
    assert set(searches) == {"SEARCH 200"} and searches["SEARCH 200"] > 0, result
    # The pages kept answering, fast.
    assert result["html_responses"] >= 100, result
    assert result["html_p99_ms"] < 200, result
