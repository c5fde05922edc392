"""Two simultaneous evaluations of one action by the same voter: the database keeps one
(PostgreSQL, the unique constraint uq_evaluations_proposal_user)."""

import pytest
import sqlalchemy as sa

from pdvsolutions.extensions import db
from pdvsolutions.models import AuditEvent, Evaluation
from pdvsolutions.rules.phases import Phase
from pdvsolutions.services import evaluation

from .. import factories_followup as ff
from ..conftest import Auth, csrf_token
from .helpers import check_then_wait, post_together

pytestmark = pytest.mark.postgres

FORM = {"answers_need": "4", "quality": "4", "reach": "3", "relation": "5", "renew": "yes",
        "comment": "Les enfants ont progressé."}


def test_evaluation_twice_concurrently_is_refused_by_the_constraint(pg_app, monkeypatch):
    with pg_app.app_context():
        w = ff.follow_up_world(Phase.EVALUATION)
        voter = ff.make_voter(w["round"])
        db.session.commit()
        url = f"/evaluation/{w['round'].id}/actions/{w['funded'].id}"
        email = voter.email
    clients = [pg_app.test_client() for _ in range(2)]
    tokens = []
    for client in clients:
        Auth(client).login(email)
        tokens.append(csrf_token(client, url))
    # Both requests pass every "already evaluated?" check (the view's, then the service's)
    # before either inserts: only the unique constraint can then refuse the second one.
    check_then_wait(monkeypatch, evaluation, "evaluated_ids")
    responses = post_together([(client, url, {**FORM, "csrf_token": token})
                               for client, token in zip(clients, tokens, strict=True)])
    monkeypatch.undo()
    assert [r.status_code for r in responses] == [302, 302]
    with pg_app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Evaluation.id))) == 1
        assert db.session.scalar(sa.select(sa.func.count(AuditEvent.id)).where(
            AuditEvent.action == "evaluation.submit")) == 1
    messages = [clients[i].get(responses[i].headers["Location"]).get_data(as_text=True)
                for i in range(2)]
    assert sum("votre évaluation est enregistrée" in m for m in messages) == 1
    assert sum("Vous avez déjà évalué cette action" in m for m in messages) == 1
