"""Issue 4 in a real browser (desktop and phone), with axe-core on every page visited:
register an organisation, staff verify it, draft with a budget, see the balance error, fix it,
submit; staff ask for a revision; resubmit; staff declare it eligible; the public sees it."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from pdvsolutions.extensions import db
from pdvsolutions.models import Proposal, Role, Round
from pdvsolutions.rules.phases import Phase
from pdvsolutions.timeutil import today

from .. import factories
from .. import factories_proposals as fp
from .conftest import check_a11y, login

pytestmark = pytest.mark.browser


def _submit(page):
    page.click("main form button[type=submit] >> nth=-1")
    page.wait_for_load_state()


def _logout(page):
    page.click("header button:has-text('Se déconnecter')")
    page.wait_for_load_state()


def _set_phase(live_server, phase: Phase) -> int:
    with live_server.app.app_context():
        round_ = db.session.scalar(sa.select(Round))
        round_.phase = phase
        db.session.commit()
        return round_.id


def _add_line(page, account, label, amount, funder=None, status=None):
    page.select_option("#account", account)
    page.fill("#label", label)
    page.fill("#amount", amount)
    if funder:
        page.select_option("#funder", funder)
        page.select_option("#funder_status", status)
    page.click("button:has-text('Ajouter la ligne')")
    page.wait_for_load_state()


def _decide(page, live_server, proposal_id, choice, message="", deadline=None):
    page.goto(live_server(f"/agents/instruction/propositions/{proposal_id}"))
    page.check(f"input[name=decision][value={choice}]")
    if message:
        page.fill("#message", message)
    if deadline:
        page.fill("#deadline", deadline)
    page.click("button:has-text('Enregistrer la décision')")
    page.wait_for_load_state()


def test_operator_proposal_from_registration_to_public(page, live_server):
    with live_server.app.app_context():
        factories.make_user(Role.OPERATOR, email="op@asso.example.org")
        factories.make_user(Role.STAFF, email="agent@example.org")
        fp.make_round(Phase.CALL)
        db.session.commit()

    # The operator registers the organisation with a real-format SIRET.
    login(page, live_server, "op@asso.example.org")
    page.goto(live_server("/structures/organisations/nouvelle"))
    check_a11y(page)
    page.fill("#name", "Réussite Nord")
    page.select_option("#legal_form", "association")
    page.fill("#siret", "732 829 320 00075")
    page.fill("#address", "12 avenue de Saint-Barthélemy, 13014 Marseille")
    page.fill("#legal_rep_name", "Nadia Kacem")
    page.fill("#legal_rep_role", "Présidente")
    page.fill("#contact_email", "contact@reussite-nord.example.org")
    _submit(page)
    assert "SIRET n'est pas valide" in page.locator("#error-summary").inner_text()
    check_a11y(page)
    page.fill("#siret", "732 829 320 00074")
    _submit(page)
    assert "En attente de vérification" in page.content()
    check_a11y(page)
    org_path = page.url.removeprefix(live_server(""))
    _logout(page)

    # Staff verify it.
    login(page, live_server, "agent@example.org")
    page.goto(live_server("/agents/structures"))
    check_a11y(page)
    page.goto(live_server(org_path.replace("/structures/organisations", "/agents/structures")))
    check_a11y(page)
    page.click("button:has-text('Marquer la structure comme vérifiée')")
    page.wait_for_load_state()
    assert "Structure vérifiée" in page.content()
    _logout(page)

    # The operator drafts a proposal.
    login(page, live_server, "op@asso.example.org")
    page.goto(live_server("/structures/"))
    check_a11y(page)
    page.click("a:has-text('Répondre à l')")
    page.wait_for_load_state()
    check_a11y(page)
    page.fill("#title", "Prépa Ambition")
    page.check("#need_ids-0")
    _submit(page)
    check_a11y(page)
    page.fill("#objectives", "Préparer 20 lycéens aux concours des grandes écoles.")
    page.fill("#description", "Deux séances de tutorat par semaine avec des étudiants.")
    page.fill("#target_public", "Lycéens de terminale")
    page.fill("#beneficiaries", "20")
    page.check("#qpv_codes-0")
    page.fill("#start_on", "2027-01-01")
    page.fill("#end_on", "2027-12-31")
    page.fill("#human_means", "Une coordinatrice à mi-temps et dix bénévoles.")
    _submit(page)
    assert "Budget et indicateurs" in page.locator("h1").inner_text()

    # Budget lines: a co-funding that covers everything is an unbalanced budget.
    _add_line(page, "64", "Coordinatrice (0,5 ETP)", "8 000")
    _add_line(page, "74", "Région Sud", "9000,00", "region", "requested")
    assert "Budget déséquilibré" in page.locator("#budget-problems").inner_text()
    check_a11y(page)
    page.click("tr:has-text('Région Sud') button:has-text('Supprimer')")
    page.wait_for_load_state()
    _add_line(page, "74", "Région Sud", "2 000,50", "region", "requested")
    assert page.locator("#budget-problems").count() == 0
    assert "5 999,50" in page.content().replace("\u202f", " ").replace("\xa0", " ")
    page.fill("#indicator-label", "Lycéens suivis")
    page.fill("#indicator-target", "20")
    page.fill("#indicator-unit", "personnes")
    page.click("button:has-text('Ajouter l\\'indicateur')")
    page.wait_for_load_state()
    check_a11y(page)
    page.click("a:has-text('Étape 3')")
    page.wait_for_load_state()
    check_a11y(page)
    page.check("#sworn")
    _submit(page)
    assert "Proposition déposée" in page.content()
    check_a11y(page)
    with live_server.app.app_context():
        proposal_id = db.session.scalar(sa.select(Proposal.id))
    _logout(page)

    # Review: staff ask for a revision.
    round_id = _set_phase(live_server, Phase.REVIEW)
    login(page, live_server, "agent@example.org")
    page.goto(live_server(f"/agents/instruction/{round_id}"))
    check_a11y(page)
    page.goto(live_server(f"/agents/instruction/propositions/{proposal_id}"))
    check_a11y(page)
    _decide(page, live_server, proposal_id, "revision_requested",
            "Précisez le calendrier des séances.", (today() + timedelta(days=7)).isoformat())
    assert "Décision enregistrée" in page.content()
    _logout(page)

    # The operator revises and resubmits.
    login(page, live_server, "op@asso.example.org")
    page.goto(live_server(f"/structures/propositions/{proposal_id}"))
    assert "Précisez le calendrier des séances." in page.content()
    check_a11y(page)
    page.click("a:has-text('Modifier la fiche action')")
    page.wait_for_load_state()
    page.fill("#description", "Deux séances par semaine, de septembre à juin.")
    _submit(page)
    page.click("a:has-text('Étape 3')")
    page.wait_for_load_state()
    page.check("#sworn")
    _submit(page)
    assert "Version 2" in page.content()
    _logout(page)

    # Staff declare it eligible; after the review the public sees it.
    login(page, live_server, "agent@example.org")
    _decide(page, live_server, proposal_id, "eligible")
    _logout(page)
    _set_phase(live_server, Phase.VOTE)
    page.goto(live_server(f"/editions/{round_id}/propositions"))
    check_a11y(page)
    page.click("a:has-text('Prépa Ambition')")
    page.wait_for_load_state()
    assert "Réussite Nord" in page.content()
    assert "Nadia Kacem" not in page.content()
    check_a11y(page)
