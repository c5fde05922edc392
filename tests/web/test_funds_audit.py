"""Every decision of the anti-appel à projets and of the CPO, taken through the pages by staff
and by the operator, is in the audit log with its actor."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from pdvsolutions.extensions import db
from pdvsolutions.models import (
    AgreementTranche,
    AuditEvent,
    Challenge,
    Fund,
    FundingDecision,
    Prospect,
    Role,
    Sprint,
)
from pdvsolutions.timeutil import today
from tests import factories
from tests.factories_funds import make_org

from ..conftest import Auth, post_form


@pytest.fixture
def people(app):
    with app.app_context():
        staff = factories.make_user(Role.STAFF, email="agent@example.org")
        operator = factories.make_user(Role.OPERATOR, email="op@example.org")
        organization = make_org("Cuisine du Monde", member=operator)
        db.session.commit()
        return {"staff": staff.id, "operator": operator.id, "org": organization.id}


def test_every_decision_of_the_flow_is_audited_with_its_actor(app, client, people):
    staff_client, operator_client = client, app.test_client()
    Auth(staff_client).login("agent@example.org")
    Auth(operator_client).login("op@example.org")
    seen: list[tuple[str, int | None]] = []

    def step(who, url, data, action, status=302):
        with app.app_context():
            last = db.session.scalar(sa.select(sa.func.max(AuditEvent.id))) or 0
        response = post_form(who, url, data)
        assert response.status_code == status, (url, response.get_data(as_text=True)[-3000:])
        with app.app_context():
            events = db.session.scalars(sa.select(AuditEvent).where(
                AuditEvent.id > last, AuditEvent.outcome == "success")).all()
            assert action in [e.action for e in events], (url, [e.action for e in events])
            seen.extend((e.action, e.actor_id) for e in events if e.action == action)
        return response

    step(staff_client, "/agents/fonds/nouveau", {
        "name": "Fonds FdF", "funder": "Fondation de France", "total": "200 000",
        "starts_on": f"{today().year}-01-01", "ends_on": f"{today().year + 1}-12-31"},
        "fund.created")
    with app.app_context():
        fund_id = db.session.scalar(sa.select(Fund.id))
        territory_id = factories.territory().id
        db.session.commit()
    step(staff_client, "/agents/defis/nouveau", {
        "title": "Repas solidaires", "description": "Des familles sautent des repas.",
        "territory_id": territory_id, "field": "santé", "partner_kind": "landlord",
        "partner_name": "13 Habitat"}, "challenge.created")
    with app.app_context():
        challenge_id = db.session.scalar(sa.select(Challenge.id))
    step(staff_client, f"/agents/defis/{challenge_id}/structures/nouvelle", {
        "organization_id": people["org"], "legal_form": "association", "notes": "Cantine"},
        "prospect.spotted")
    with app.app_context():
        prospect_id = db.session.scalar(sa.select(Prospect.id))
    step(staff_client, f"/agents/reperage/{prospect_id}/contacts", {
        "contacted_on": today().isoformat(), "channel": "telephone", "summary": "Appel"},
        "prospect.contact_added")
    step(staff_client, f"/agents/reperage/{prospect_id}/statut", {"status": "contacted"},
         "prospect.status_changed")
    step(staff_client, f"/agents/reperage/{prospect_id}/sprint", {
        "starts_on": (today() - timedelta(days=14)).isoformat(), "length_days": "15",
        "coach": "Nora"}, "sprint.started")
    with app.app_context():
        sprint = db.session.scalar(sa.select(Sprint))
        sprint_id, checkpoints = sprint.id, [c.id for c in sprint.checkpoints]
    base = f"/structures/sprints/{sprint_id}"
    step(operator_client, f"{base}/journal", {"body": "25 repas servis"},
         "sprint.journal_entry")
    step(staff_client, f"/agents/sprints/{sprint_id}/journal", {"body": "Bravo"},
         "sprint.journal_entry")
    step(operator_client, f"{base}/livrables/budget/lignes", {
        "line-account": "60", "line-label": "Denrées", "line-amount": "1 500"}, "sprint.budget_line_add")
    step(operator_client, f"{base}/livrables", {
        "prototype": "Cantine", "indicators": "50 repas"},
        "sprint.deliverables_saved")
    for checkpoint_id in checkpoints:
        step(staff_client, f"/agents/sprints/{sprint_id}/jalons/{checkpoint_id}", {},
             "sprint.checkpoint_done")
    step(staff_client, f"/agents/reperage/{prospect_id}/decision", {
        "outcome": "funded", "fund_id": fund_id, "amount": "150 000",
        "committee": "Comité de la Fondation", "decided_on": today().isoformat(),
        "reason": "Pitch convaincant"}, "funding.decided")
    with app.app_context():
        payment_id = db.session.scalar(sa.select(FundingDecision)).grant.payments[0].id
    step(staff_client, f"/agents/versements/{payment_id}/effectue",
         {"paid_on": today().isoformat()}, "payment.paid")
    step(staff_client, "/agents/cpo/nouvelle", {
        "organization_id": people["org"], "reference": "CPO-1", "title": "Projet social",
        "signed_on": f"{today().year - 1}-01-15", "first_year": today().year - 1,
        "years": "3", "yearly": "30 000", "objectives": "Accueil", "indicators": "Familles"},
        "agreement.signed")
    with app.app_context():
        tranche_id = db.session.scalar(sa.select(AgreementTranche.id).where(
            AgreementTranche.year_index == 2))
    step(staff_client, f"/agents/cpo/tranches/{tranche_id}/revue", {
        "reviewed_on": today().isoformat(), "indicators_achieved": "120 familles",
        "assessment": "Solide", "decision": "reduced", "amount": "20 000",
        "reason": "Atelier du soir fermé"}, "agreement.reviewed")

    operator_actions = {"sprint.budget_line_add", "sprint.deliverables_saved"}
    for action, actor_id in seen:
        if action in operator_actions:
            assert actor_id == people["operator"], action
        elif action != "sprint.journal_entry":
            assert actor_id == people["staff"], action
    assert {actor for action, actor in seen if action == "sprint.journal_entry"} == \
        {people["staff"], people["operator"]}
