"""Staff create accounts with a printable one-time code; the person activates it once."""

import re
from datetime import timedelta

import sqlalchemy as sa

from pdvsolutions.extensions import db
from pdvsolutions.models import AuditEvent, InvitationCode, Role, User

from .. import factories
from ..conftest import count, csrf_token

CODE_RE = re.compile(r'class="code-box"[^>]*>\s*([A-Z2-9-]+)\s*<')
NEW_PASSWORD = "Le-marche-du-samedi-matin"
MESSAGE = "Ce code n&#39;est pas valable"


def _create(client, **fields):
    data = {"first_name": "Mohamed", "last_name": "", "username": "mohamed.k", "email": "",
            "role": "resident", "qpv_code": factories.QPV_HOME,
            "csrf_token": csrf_token(client, "/agents/comptes/nouveau")}
    data.update(fields)
    return client.post("/agents/comptes/nouveau", data=data)


def _code_of(response) -> str:
    match = CODE_RE.search(response.get_data(as_text=True))
    assert match, "no code on the invitation page"
    return match.group(1)


def _activate(app, identifier, code, address="10.9.0.1"):
    person = app.test_client()
    return person.post("/activation", data={
        "identifier": identifier, "code": code, "password": NEW_PASSWORD,
        "password_confirm": NEW_PASSWORD, "csrf_token": csrf_token(person, "/activation")},
        environ_base={"REMOTE_ADDR": address})


def test_account_new_prints_a_one_time_code_not_cached(app, staff_client):
    response = _create(staff_client)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    code = _code_of(response)
    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.username == "mohamed.k"))
        assert user.password_hash is None
        stored = db.session.scalar(sa.select(InvitationCode.code_hash))
        assert code not in stored and code.replace("-", "") not in stored
        assert db.session.scalar(sa.select(AuditEvent).where(
            AuditEvent.action == "account.create")).object_id == str(user.id)


def test_account_new_staff_cannot_create_an_admin(app, staff_client):
    response = _create(staff_client, role="admin", username="chef")
    assert response.status_code == 200
    with app.app_context():
        assert db.session.scalar(sa.select(User).where(User.username == "chef")) is None


def test_account_new_needs_an_email_or_a_username(app, staff_client):
    response = _create(staff_client, username="")
    assert "Indiquez une adresse e-mail ou un identifiant." in response.get_data(as_text=True)


def test_invitation_code_activates_the_account_once(app, staff_client):
    code = _code_of(_create(staff_client))
    first = _activate(app, "mohamed.k", code.lower().replace("-", " "))
    assert first.status_code == 302
    again = _activate(app, "mohamed.k", code)
    assert again.status_code == 200
    assert MESSAGE in again.get_data(as_text=True)
    person = app.test_client()
    person.post("/connexion", data={"identifier": "mohamed.k", "password": NEW_PASSWORD,
                                    "csrf_token": csrf_token(person, "/connexion")})
    assert person.get("/compte").status_code == 200


def test_invitation_code_expired_is_refused(app, staff_client, frozen_clock):
    code = _code_of(_create(staff_client))
    frozen_clock.advance(app.config["INVITATION_TTL"] + timedelta(seconds=1))
    response = _activate(app, "mohamed.k", code)
    assert MESSAGE in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(sa.select(User.password_hash)
                                 .where(User.username == "mohamed.k")) is None


def test_invitation_code_dies_after_five_wrong_tries(app, staff_client):
    code = _code_of(_create(staff_client))
    for attempt in range(5):
        _activate(app, "mohamed.k", "AAAA-BBBB-CCCC-DDDD", f"10.9.1.{attempt}")
    response = _activate(app, "mohamed.k", code, "10.9.2.1")
    assert MESSAGE in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(sa.select(InvitationCode.failed_tries)) == 5


def test_invitation_unknown_account_gets_the_same_answer(app, staff_client):
    code = _code_of(_create(staff_client))
    unknown = _activate(app, "personne.inconnue", code)
    wrong = _activate(app, "mohamed.k", "AAAA-BBBB-CCCC-DDDD")
    assert unknown.status_code == wrong.status_code == 200
    assert MESSAGE in unknown.get_data(as_text=True) and MESSAGE in wrong.get_data(as_text=True)


def test_invitation_ten_wrong_codes_from_one_address_give_429(app, staff_client):
    _create(staff_client)
    person = app.test_client()
    for attempt in range(10):
        person.post("/activation", data={
            "identifier": f"inconnu{attempt}", "code": "AAAA-BBBB-CCCC-DDDD",
            "password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD,
            "csrf_token": csrf_token(person, "/activation")})
    response = person.post("/activation", data={
        "identifier": "mohamed.k", "code": "AAAA", "password": NEW_PASSWORD,
        "password_confirm": NEW_PASSWORD, "csrf_token": csrf_token(person, "/activation")})
    assert response.status_code == 429
    assert "Trop de tentatives" in response.get_data(as_text=True)


def test_invitation_new_code_voids_the_previous_one(app, staff_client):
    first = _code_of(_create(staff_client))
    with app.app_context():
        user_id = db.session.scalar(sa.select(User.id).where(User.username == "mohamed.k"))
    response = staff_client.post(f"/agents/comptes/{user_id}/code",
                                 data={"csrf_token": csrf_token(staff_client, "/agents/")})
    second = _code_of(response)
    assert MESSAGE in _activate(app, "mohamed.k", first).get_data(as_text=True)
    assert _activate(app, "mohamed.k", second).status_code == 302


def test_account_code_new_for_staff_account_is_admin_only(app, staff_client):
    with app.app_context():
        other_id = factories.make_user(Role.STAFF, email="agent2@example.org").id
        db.session.commit()
        before = count(InvitationCode)
    response = staff_client.post(f"/agents/comptes/{other_id}/code",
                                 data={"csrf_token": csrf_token(staff_client, "/agents/")})
    assert response.status_code == 403
    with app.app_context():
        assert count(InvitationCode) == before


def test_account_list_search_finds_by_name(app, staff_client):
    _create(staff_client)
    html = staff_client.get("/agents/comptes?q=mohamed").get_data(as_text=True)
    assert "mohamed.k" in html
    assert "agent@example.org" not in staff_client.get(
        "/agents/comptes?q=mohamed").get_data(as_text=True)
