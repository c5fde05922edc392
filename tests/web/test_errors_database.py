"""The database unreachable (restart, crash): a French 503 page that asks to retry, never a
500 and never a dropped connection, also for a logged-in person (whose account cannot be read).
The full crash of PostgreSQL under a ballot storm is in tests/concurrency."""

import os

import pytest

from pdvsolutions import create_app
from pdvsolutions.extensions import db
from pdvsolutions.models import Role

from .. import factories
from ..conftest import csrf_token, make_test_config

UNAVAILABLE = "Le service est momentanément indisponible."


def test_unreachable_postgres_gives_a_503_page_in_french(tmp_path):
    app = create_app({**make_test_config(tmp_path / "unused.sqlite", tmp_path),
                      "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://nobody@127.0.0.1:1/none"})
    response = app.test_client().get("/")
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    assert UNAVAILABLE in response.get_data(as_text=True)


@pytest.mark.parametrize("request_", ["get", "post", "post without token"])
def test_logged_in_person_gets_the_503_page_when_the_database_disappears(app, client, auth,
                                                                        tmp_path, request_):
    app.config["PROPAGATE_EXCEPTIONS"] = False  # as in production: error pages, no re-raise
    with app.app_context():
        factories.make_user(Role.RESIDENT, email="samia@example.org")
        db.session.commit()
        path = db.engine.url.database
    assert auth.login("samia@example.org").status_code == 302
    token = csrf_token(client, "/compte")
    with app.app_context():
        db.engine.dispose()
    # The file goes away: the next connection opens an empty database without any table.
    (tmp_path / "gone.sqlite").write_bytes(b"")
    os.replace(tmp_path / "gone.sqlite", path)
    if request_ == "get":
        response = client.get("/compte")
    else:  # without a token, the CSRF error page is the one that meets the missing database
        response = client.post("/compte", data={"csrf_token": token} if request_ == "post"
                               else {})
    assert response.status_code == 503
    assert UNAVAILABLE in response.get_data(as_text=True)
