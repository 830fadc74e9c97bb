"""Database connections survive a PostgreSQL restart: CONN_HEALTH_CHECKS reconnects."""

import pytest
from django.core.wsgi import get_wsgi_application
from django.db import connection
from django.test import RequestFactory

from tests.factories import make_edition


def serve(path):
    """A request through the real WSGI handler, request_started/finished signals included
    (the test client switches off the per-request connection handling this test is about)."""
    environ = RequestFactory()._base_environ(PATH_INFO=path, REQUEST_METHOD="GET")
    status = []
    response = get_wsgi_application()(environ, lambda s, headers: status.append(s))
    body = b"".join(response)
    response.close()  # sends request_finished, as a WSGI server does
    return int(status[0].split()[0]), body.decode()


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_request_is_served_after_database_backend_is_terminated(settings):
    if connection.vendor != "postgresql":
        pytest.skip("terminating a server backend needs PostgreSQL (set DATABASE_URL)")
    import psycopg2

    assert connection.settings_dict["CONN_HEALTH_CHECKS"] is True
    assert connection.settings_dict["CONN_MAX_AGE"] > 0  # persistent connections
    seminar = make_edition(5)
    assert serve(f"/ja/seminars/{seminar.edition}/")[0] == 200
    old_pid = connection.connection.get_backend_pid()

    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    with psycopg2.connect(**params) as other, other.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [old_pid])
        assert cursor.fetchone() == (True,)
    other.close()

    status, body = serve(f"/zh-hans/seminars/{seminar.edition}/")
    assert status == 200
    assert f"第{seminar.edition}届" in body and seminar.theme_zh_hans in body
    assert connection.connection.get_backend_pid() != old_pid
