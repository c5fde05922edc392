"""No password, code, cookie, token or e-mail address in any log line (logging at DEBUG)."""

import logging
import re

import sqlalchemy as sa

from pdvsolutions.extensions import db
from pdvsolutions.models import OutboxMessage, Role, User

from .. import factories
from ..access.matrix import login_as
from ..conftest import csrf_token

EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")
NEW_PASSWORD = "Une-Nouvelle-Phrase-De-Passe-77"
SIGNUP_PASSWORD = "Mon-Jardin-Partage-Au-Bloc-C"
WRONG_PASSWORD = "Pas-Le-Bon-Mot-De-Passe-31"


def post(client, url, data, token_from=None):
    return client.post(url, data={**data, "csrf_token": csrf_token(client, token_from or url)})


def run_representative_requests(app) -> set[str]:
    """Sign-up, failed and good logins, rate limiting, reset, invitation: return the secrets."""
    secrets_seen = {factories.PASSWORD, NEW_PASSWORD, SIGNUP_PASSWORD, WRONG_PASSWORD}
    with app.app_context():
        factories.make_user(Role.RESIDENT, email="samia.benali@example.org")
        admin_id = factories.make_user(Role.ADMIN, email="chef.service@example.org").id
        db.session.commit()
    client = app.test_client()
    post(client, "/inscription", {
        "first_name": "Nadia", "email": "nadia.k@example.org", "qpv_code": factories.QPV_HOME,
        "password": SIGNUP_PASSWORD, "password_confirm": SIGNUP_PASSWORD,
        "accept_privacy": "y"})
    post(client, "/deconnexion", {}, token_from="/compte")
    for _ in range(12):  # failures, then Flask-Limiter refuses (and logs) the account key
        post(client, "/connexion", {"identifier": "samia.benali@example.org",
                                    "password": WRONG_PASSWORD})
    fresh = app.test_client()
    post(fresh, "/mot-de-passe-oublie", {"identifier": "samia.benali@example.org"})
    with app.app_context():
        body = db.session.scalar(sa.select(OutboxMessage.body).order_by(OutboxMessage.id.desc()))
    link = re.search(r"(/mot-de-passe/nouveau/\S+)", body).group(1)
    secrets_seen.add(link.rsplit("/", 1)[1])
    post(fresh, link, {"password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD})
    staff = app.test_client()
    with app.app_context():
        login_as(staff, db.session.get(User, admin_id))
    page = post(staff, "/agents/comptes/nouveau", {
        "first_name": "Omar", "last_name": "Zidane", "role": "resident", "username": "omar13",
        "qpv_code": factories.QPV_HOME}).get_data(as_text=True)
    code = re.search(r'class="code-box"[^>]*>([A-Z0-9-]+)<', page).group(1)
    secrets_seen.add(code)
    invited = app.test_client()
    post(invited, "/activation", {"identifier": "omar13", "code": code,
                                  "password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD})
    for c in (client, fresh, staff, invited):
        cookie = c.get_cookie("session")
        if cookie:
            secrets_seen.add(cookie.value)
    return secrets_seen


#: Libraries opened to DEBUG beside the root logger.
LOGGERS = ["flask-limiter", "limits", "werkzeug", "pdvsolutions", "flask_wtf"]


def test_logs_hold_no_secret_and_no_email_address(app, caplog):
    caplog.set_level(logging.DEBUG)
    for name in LOGGERS:
        caplog.set_level(logging.DEBUG, logger=name)
    # SQLAlchemy pins its logger at WARN; at INFO it logs every statement with its parameters
    # unless the engine hides them. (Its DEBUG level dumps result rows: a debugging tool that
    # no deployment turns on, and that no configuration of ours enables.)
    caplog.set_level(logging.INFO, logger="sqlalchemy.engine")
    secrets_seen = run_representative_requests(app)
    lines = [record.getMessage() for record in caplog.records]
    assert lines, "nothing was logged: the scan would prove nothing"
    assert any("ratelimit" in line for line in lines)  # the limiter did log its refusal
    assert any("SELECT" in line for line in lines)  # and SQLAlchemy its statements
    leaks = [line for line in lines
             if EMAIL.search(line) or any(secret in line for secret in secrets_seen)]
    assert not leaks, leaks[:5]
