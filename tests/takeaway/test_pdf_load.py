"""A burst of anonymous requests for PDFs not rendered yet does not starve the pages.

Runs bench/pdf_load.py: gunicorn (2 sync workers, production mode) on 127.0.0.1, a temporary
SQLite database with the seed and 20 complete editions (84 PDFs, none stored), 20 threads
sending HEAD and GET for 10 s while one reader times an edition page. About 90 s: it builds
the database, collects static files and starts the servers. It checks what the burst may make
the server do; how fast the pages answer meanwhile is a speed target, measured by `make bench`
(bench/pdf_load.py), never asserted by a timed test. It runs once, in the SQLite pass (`pdf`).
"""

import pytest

from bench.pdf_load import measure

pytestmark = pytest.mark.pdf


def test_pdf_burst_keeps_the_pages_answering_and_never_renders_in_a_worker(pdf_ready):
    result = measure(seconds=10, threads=20)

    answers = result["pdf_responses"]
    assert set(answers) <= {"GET 200", "HEAD 200", "GET 503", "HEAD 503"}, answers
    assert sum(answers.values()) > 100
    assert result["web_workers"] >= 1
    assert result["web_workers_loaded_pdf_engine"] is False
    assert result["stored_pdfs"] >= 1  # the renderer process started and stored some
    # The pages kept answering during the burst (their speed is make bench's to report).
    assert result["html_responses"] > 0, result
