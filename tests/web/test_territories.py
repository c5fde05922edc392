"""QPV import (official list, idempotent) and territories created by staff from QPV codes."""

import sqlalchemy as sa

from pdvsolutions.extensions import db
from pdvsolutions.models import AuditEvent, Qpv, Territory

from .. import factories
from ..conftest import count, csrf_token


def test_qpv_import_loads_the_1518_qpv_and_is_idempotent(app):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["territories", "import-qpv"])
    assert first.exit_code == 0, first.output
    with app.app_context():
        assert count(Qpv) == 1518
        qpv = db.session.get(Qpv, "QN01352M")
        assert qpv.epci_siren == "200054807"
    second = runner.invoke(args=["territories", "import-qpv"])
    assert "QPV: 0 added, 0 updated" in second.output
    with app.app_context():
        assert count(Qpv) == 1518


def _new(client, name, codes):
    return client.post("/agents/territoires/nouveau", data={
        "name": name, "qpv_codes": codes, "description": "",
        "csrf_token": csrf_token(client, "/agents/territoires/nouveau")})


def test_territory_new_groups_known_qpv(app, staff_client):
    response = _new(staff_client, "Deux quartiers", f"{factories.QPV_HOME}, {factories.QPV_OTHER.lower()}")
    assert response.status_code == 302
    with app.app_context():
        territory = db.session.scalar(sa.select(Territory).where(Territory.name == "Deux quartiers"))
        assert sorted(q.code for q in territory.qpvs) == sorted([factories.QPV_HOME,
                                                                 factories.QPV_OTHER])
        event = db.session.scalar(sa.select(AuditEvent).where(
            AuditEvent.action == "territory.create"))
        assert event.object_id == str(territory.id) and event.actor_role == "staff"


def test_territory_new_refuses_unknown_codes_and_names_them(app, staff_client):
    with app.app_context():
        before = count(Territory)
    response = _new(staff_client, "Inconnu", f"{factories.QPV_HOME} QN99999X")
    assert response.status_code == 200
    assert "Codes QPV inconnus : QN99999X." in response.get_data(as_text=True)
    with app.app_context():
        assert count(Territory) == before


def test_territory_new_refuses_a_duplicate_name(app, staff_client):
    response = _new(staff_client, "Marseille Nord", factories.QPV_HOME)
    assert "Un territoire porte déjà ce nom." in response.get_data(as_text=True)


def test_territory_list_shows_territories(staff_client):
    assert "Aix Ouest" in staff_client.get("/agents/territoires").get_data(as_text=True)
