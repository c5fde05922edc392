"""Staff review pages and the public view of eligible proposals."""

import pytest
import sqlalchemy as sa

from pdvsolutions.extensions import db
from pdvsolutions.models import (
    AuditEvent,
    CommitteeMember,
    Organization,
    OutboxMessage,
    Proposal,
    ProposalStatus,
    Role,
)
from pdvsolutions.rules.phases import Phase

from .. import factories
from .. import factories_proposals as fp
from ..conftest import csrf_token


@pytest.fixture
def world(app):
    with app.app_context():
        factories.make_user(Role.STAFF, email="agent@example.org")
        operator, organization = fp.operator_with_org(email="op@asso.example.org")
        unverified = fp.make_org(operator, verified=False, name="Asso à vérifier")
        round_ = fp.make_round(Phase.REVIEW, deadline_days=-1)
        proposal = fp.make_proposal(organization, round_, status=ProposalStatus.SUBMITTED)
        db.session.commit()
        return {"proposal": proposal.id, "round": round_.id, "unverified": unverified.id,
                "operator": operator.id, "org": organization.id}


@pytest.fixture
def staff(auth, world):
    auth.login("agent@example.org")
    return world


def _decide(client, proposal_id, data):
    url = f"/agents/instruction/propositions/{proposal_id}"
    return client.post(url, data={**data, "csrf_token": csrf_token(client, url)})


def test_staff_verifies_organisation_and_members_are_told(client, app, staff):
    url = f"/agents/structures/{staff['unverified']}"
    response = client.post(url + "/verifier", data={"csrf_token": csrf_token(client, url)})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Organization, staff["unverified"]).verified_at is not None
        assert db.session.scalar(sa.select(AuditEvent.id).where(
            AuditEvent.action == "organization.verify")) is not None
        assert db.session.scalar(sa.select(OutboxMessage.id).where(
            OutboxMessage.kind == "organization_verified")) is not None


def test_refusal_without_reason_shows_message_and_changes_nothing(client, app, staff):
    response = _decide(client, staff["proposal"], {"decision": "not_eligible", "message": ""})
    assert "Expliquez la raison" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Proposal, staff["proposal"]).status is ProposalStatus.SUBMITTED


def test_revision_needs_future_deadline(client, app, staff):
    response = _decide(client, staff["proposal"], {
        "decision": "revision_requested", "message": "Précisez.", "deadline": "2001-01-01"})
    assert "date limite de révision dans le futur" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Proposal, staff["proposal"]).status is ProposalStatus.SUBMITTED


def test_refusal_reason_is_visible_to_operator(client, app, staff, auth):
    _decide(client, staff["proposal"], {"decision": "not_eligible",
                                        "message": "Action d'investissement."})
    auth.logout()
    auth.login("op@asso.example.org")
    page = client.get(f"/structures/propositions/{staff['proposal']}")
    assert "Action d&#39;investissement." in page.get_data(as_text=True)


def test_board_lists_proposals_by_need_and_shows_conflicts(client, app, staff):
    with app.app_context():
        db.session.add(CommitteeMember(round_id=staff["round"], user_id=staff["operator"],
                                       college="Conseil citoyen"))
        db.session.commit()
    page = client.get(f"/agents/instruction/{staff['round']}").get_data(as_text=True)
    assert "Accompagner nos lycéens vers les grandes écoles" in page
    assert "Tutorat prépa" in page
    assert "Conflits d&#39;intérêts" in page or "Conflits d'intérêts" in page


def test_decision_outside_review_is_refused(client, app, staff):
    with app.app_context():
        db.session.get(Proposal, staff["proposal"]).round.phase = Phase.VOTE
        db.session.commit()
    _decide(client, staff["proposal"], {"decision": "eligible", "message": ""})
    with app.app_context():
        assert db.session.get(Proposal, staff["proposal"]).status is ProposalStatus.SUBMITTED


def test_public_cannot_see_proposals_during_review(client, world):
    assert client.get(f"/propositions/{world['proposal']}").status_code == 404
    assert client.get(f"/editions/{world['round']}/propositions").status_code == 404


def test_public_sees_eligible_proposal_without_personal_data(client, app, world):
    with app.app_context():
        proposal = db.session.get(Proposal, world["proposal"])
        proposal.status = ProposalStatus.ELIGIBLE
        proposal.round.phase = Phase.VOTE
        db.session.commit()
    page = client.get(f"/propositions/{world['proposal']}").get_data(as_text=True)
    assert "Tutorat prépa" in page
    assert "6\u202f000,00" in page or "6\xa0000,00" in page
    for private in ("Nadia Kacem", "op@asso.example.org", "@asso.example.org", "rue de la Paix"):
        assert private not in page


def test_not_eligible_proposal_is_not_public(client, app, world):
    with app.app_context():
        proposal = db.session.get(Proposal, world["proposal"])
        proposal.status = ProposalStatus.NOT_ELIGIBLE
        proposal.round.phase = Phase.VOTE
        db.session.commit()
    assert client.get(f"/propositions/{world['proposal']}").status_code == 404
