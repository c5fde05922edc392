"""A resident downloads their data and deletes their account; contributions stay, unlinked."""

import json

import pytest
import sqlalchemy as sa
from werkzeug.security import check_password_hash

from pdvsolutions.extensions import db
from pdvsolutions.models import Need, OutboxMessage, Role, Support, User
from pdvsolutions.services import outbox

from .. import factories
from ..conftest import csrf_token
from ..factories_security import make_need, make_round, support


@pytest.fixture
def world(app):
    with app.app_context():
        samia = factories.make_user(Role.RESIDENT, email="samia@example.org")
        other = factories.make_user(Role.RESIDENT, email="lucie@example.org", first_name="Lucie")
        round_ = make_round()
        mine = make_need(samia, round_, title="Cours du soir")
        theirs = make_need(other, round_, title="Plus de cafards")
        support(theirs, samia)
        support(mine, other)
        outbox.queue_for_user(samia, "test", "Bienvenue", "Bonjour Samia")
        outbox.queue_for_user(other, "test", "Bienvenue", "Bonjour Lucie")
        db.session.commit()
        return {"samia": samia.id, "other": other.id, "mine": mine.id, "theirs": theirs.id}


def test_data_export_holds_the_account_needs_supports_and_messages(client, auth, world):
    auth.login("samia@example.org")
    response = client.get("/compte/mes-donnees.json")
    data = json.loads(response.get_data(as_text=True))
    assert "attachment" in response.headers["Content-Disposition"]
    assert data["account"]["email"] == "samia@example.org"
    assert [n["title"] for n in data["needs"]] == ["Cours du soir"]
    assert [s["need_title"] for s in data["supports"]] == ["Plus de cafards"]
    assert [m["body"] for m in data["messages"]] == ["Bonjour Samia"]


def test_data_export_holds_nothing_of_another_person(client, auth, world):
    auth.login("samia@example.org")
    text = client.get("/compte/mes-donnees.json").get_data(as_text=True)
    assert "lucie" not in text.lower()


def delete(client, password=factories.PASSWORD, confirm="y"):
    return client.post("/compte/suppression", data={
        "password": password, "confirm": confirm,
        "csrf_token": csrf_token(client, "/compte/suppression")})


def test_account_deletion_keeps_needs_and_supports_without_identity(app, client, auth, world):
    auth.login("samia@example.org")
    assert delete(client).status_code == 302
    with app.app_context():
        assert db.session.get(Need, world["mine"]).author_id is None
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Support)) == 2
        assert db.session.scalar(
            sa.select(sa.func.count()).select_from(Support).where(
                Support.user_id == world["samia"])) == 0
        assert db.session.scalar(
            sa.select(sa.func.count()).select_from(OutboxMessage).where(
                OutboxMessage.user_id == world["samia"])) == 0


def test_account_deletion_anonymises_the_account_row(app, client, auth, world):
    auth.login("samia@example.org")
    delete(client)
    with app.app_context():
        user = db.session.get(User, world["samia"])
        assert (user.email, user.first_name, user.last_name, user.password_hash) == \
            (None, "", "", None)
        assert not user.is_enabled


def test_deleted_account_can_no_longer_log_in(client, auth, world):
    auth.login("samia@example.org")
    delete(client)
    response = auth.login("samia@example.org")
    assert response.status_code == 200
    assert client.get("/compte").status_code == 302


def test_account_deletion_with_a_wrong_password_changes_nothing(app, client, auth, world):
    auth.login("samia@example.org")
    response = delete(client, password="not-my-password-at-all")
    assert "incorrect" in response.get_data(as_text=True)
    with app.app_context():
        user = db.session.get(User, world["samia"])
        assert check_password_hash(user.password_hash, factories.PASSWORD)
        assert db.session.get(Need, world["mine"]).author_id == world["samia"]


def test_account_deletion_needs_the_confirmation_box(app, client, auth, world):
    auth.login("samia@example.org")
    response = delete(client, confirm="")
    assert response.status_code == 200
    with app.app_context():
        assert db.session.get(User, world["samia"]).email == "samia@example.org"


def test_privacy_notice_states_the_retention_periods(client):
    text = client.get("/donnees-personnelles").get_data(as_text=True)
    assert "3 ans" in text
    assert "télécharger toutes vos données" in text
