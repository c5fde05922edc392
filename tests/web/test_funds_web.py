"""Staff and operator pages of the anti-appel à projets and of the CPO, through the forms."""

from datetime import date

import pytest
import sqlalchemy as sa

from pdvsolutions.extensions import db
from pdvsolutions.models import (
    AgreementTranche,
    Challenge,
    Fund,
    Grant,
    Organization,
    Prospect,
    Role,
    Sprint,
    SprintBudgetLine,
    SprintJournalEntry,
    User,
)
from pdvsolutions.rules.pipeline import ProspectStatus
from pdvsolutions.services import sprints
from tests import factories
from tests.factories_funds import (
    add_budget,
    make_agreement,
    make_challenge,
    make_fund,
    make_org,
    make_sprint,
    valid_siret,
)

from ..conftest import count


@pytest.fixture
def staff(app, auth):
    with app.app_context():
        user = factories.make_user(Role.STAFF, email="agent@example.org")
        db.session.commit()
    auth.login("agent@example.org")
    return user


@pytest.fixture
def operator(app, auth):
    with app.app_context():
        user = factories.make_user(Role.OPERATOR, email="op@example.org")
        org = make_org("Cuisine du Monde", member=user)
        sprint = make_sprint(org, starts_on=date(2026, 3, 2))
        ids = {"sprint": sprint.id, "other": make_sprint(make_org("Autre")).id, "user": user.id}
        db.session.commit()
    auth.login("op@example.org")
    return ids


@pytest.mark.parametrize("total", ["-5", "0", "99999999999", "douze", "<script>1</script>"])
def test_fund_form_refuses_bad_amounts_in_french(app, client, staff, post, total):
    response = post("/agents/fonds/nouveau", {
        "name": "Fonds", "funder": "Fondation", "total": total,
        "starts_on": "2026-01-01", "ends_on": "2026-12-31"})
    assert response.status_code == 200
    assert "Le formulaire contient des erreurs" in response.get_data(as_text=True)
    with app.app_context():
        assert count(Fund) == 0


def test_fund_form_refuses_dates_out_of_order(app, client, staff, post):
    response = post("/agents/fonds/nouveau", {
        "name": "Fonds", "funder": "Fondation", "total": "200 000",
        "starts_on": "2026-12-31", "ends_on": "2026-01-01"})
    assert "La fin de la période doit suivre son début." in response.get_data(as_text=True)
    with app.app_context():
        assert count(Fund) == 0


def test_fund_form_creates_the_fund_in_cents(app, client, staff, post):
    response = post("/agents/fonds/nouveau", {
        "name": "Fonds FdF", "funder": "Fondation de France", "total": "200 000,00",
        "starts_on": "2026-01-01", "ends_on": "2027-12-31"})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(sa.select(Fund.total_cents)) == 20_000_000


def test_prospect_form_creates_a_structure_with_its_siret(app, client, staff, post):
    with app.app_context():
        challenge_id = make_challenge().id
        db.session.commit()
    siret = valid_siret(77)
    response = post(f"/agents/defis/{challenge_id}/structures/nouvelle", {
        "organization_id": "0", "name": "Les Jardins du Nord", "siret": siret,
        "legal_form": "association", "notes": "<b>piste</b>"})
    assert "ne doit pas contenir de balises HTML" in response.get_data(as_text=True)
    with app.app_context():
        assert count(Organization) == 0
    response = post(f"/agents/defis/{challenge_id}/structures/nouvelle", {
        "organization_id": "0", "name": "Les Jardins du Nord", "siret": siret,
        "legal_form": "association", "notes": "piste < 3 semaines"})
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "piste &lt; 3 semaines" in page
    with app.app_context():
        assert db.session.scalar(sa.select(Organization.siret)) == siret


def test_prospect_form_refuses_a_bad_siret(app, client, staff, post):
    with app.app_context():
        challenge_id = make_challenge().id
        db.session.commit()
    response = post(f"/agents/defis/{challenge_id}/structures/nouvelle", {
        "organization_id": "0", "name": "X", "siret": "123", "legal_form": "association"})
    assert "SIRET n'est pas valide" in response.get_data(as_text=True)
    with app.app_context():
        assert count(Prospect) == 0


def test_status_form_refuses_an_unknown_status(app, client, staff, post):
    with app.app_context():
        from tests.factories_funds import make_prospect

        prospect_id = make_prospect().id
        db.session.commit()
    response = post(f"/agents/reperage/{prospect_id}/statut", {"status": "funded"})
    assert response.status_code == 400
    with app.app_context():
        assert db.session.get(Prospect, prospect_id).status is ProspectStatus.SPOTTED


def test_challenge_form_refuses_an_unknown_territory(app, client, staff, post):
    response = post("/agents/defis/nouveau", {
        "title": "Cafards", "description": "Plus de cafards", "territory_id": "999",
        "field": "cadre de vie", "partner_kind": "landlord", "partner_name": "13 Habitat"})
    assert response.status_code == 200
    with app.app_context():
        assert count(Challenge) == 0


def test_decision_above_balance_shows_the_balance_message(app, client, staff, post):
    with app.app_context():
        fund = make_fund(100_000)
        prospect_id = make_sprint(pitched=True).prospect_id
        db.session.commit()
        fund_id = fund.id
    response = post(f"/agents/reperage/{prospect_id}/decision", {
        "outcome": "funded", "fund_id": fund_id, "amount": "1 500", "committee": "Comité",
        "decided_on": "2026-04-01", "reason": "Pitch"})
    html = response.get_data(as_text=True)
    assert "Solde insuffisant" in html and "1\u202f000,00\u00a0€" in html
    with app.app_context():
        assert count(Grant) == 0


def test_sprint_page_shows_days_left_with_a_frozen_clock(app, client, staff, monkeypatch):
    monkeypatch.setattr(sprints, "today", lambda: date(2026, 3, 10))
    with app.app_context():
        sprint_id = make_sprint(starts_on=date(2026, 3, 2)).id
        db.session.commit()
    html = client.get(f"/agents/sprints/{sprint_id}").get_data(as_text=True)
    assert "7 jours restants" in html


def test_sprint_page_flags_a_sprint_ended_without_pitch(app, client, staff, monkeypatch):
    monkeypatch.setattr(sprints, "today", lambda: date(2026, 3, 20))
    with app.app_context():
        sprint_id = make_sprint(starts_on=date(2026, 3, 2)).id
        db.session.commit()
    html = client.get(f"/agents/sprints/{sprint_id}").get_data(as_text=True)
    assert "Sprint terminé sans pitch" in html


def test_operator_posts_a_journal_entry(app, client, operator, post):
    response = post(f"/structures/sprints/{operator['sprint']}/journal",
                    {"body": "Premier atelier avec 12 jeunes"})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(sa.select(SprintJournalEntry.body)) == \
            "Premier atelier avec 12 jeunes"


def test_operator_cannot_post_to_another_organisations_sprint(app, client, operator, post):
    response = post(f"/structures/sprints/{operator['other']}/journal", {"body": "Intrus"})
    assert response.status_code == 404
    with app.app_context():
        assert count(SprintJournalEntry) == 0


def _line(account, label, amount, funder="", status=""):
    return {"line-account": account, "line-label": label, "line-amount": amount,
            "line-funder": funder, "line-funder_status": status}


def test_operator_budget_uses_the_proposals_accounts_and_computes_the_request(
        app, client, operator, post):
    base = f"/structures/sprints/{operator['sprint']}/livrables"
    assert post(f"{base}/budget/lignes", _line("64", "Animatrice", "1 200,50")).status_code == 302
    assert post(f"{base}/budget/lignes",
                _line("74", "CAF", "200", "caf", "obtained")).status_code == 302
    html = client.get(base).get_data(as_text=True)
    assert "64 – Charges de personnel" in html
    assert "anti-appel à projets (montant demandé, calculé)" in html
    assert "1\u202f000,50\u00a0€" in html
    with app.app_context():
        sprint = db.session.get(Sprint, operator["sprint"])
        assert [(line.account, line.amount_cents, line.funder) for line in sprint.budget_lines] \
            == [("64", 120050, None), ("74", 20000, "caf")]


@pytest.mark.parametrize(("line", "message"), [
    (_line("64", "Animatrice", "-5"), "Écrivez un montant en euros"),
    (_line("64", "Animatrice", "0"), "Indiquez un montant positif"),
    (_line("64", "Animatrice", "99 999 999 999"), "Écrivez un montant en euros"),
    (_line("64", "Animatrice", "20 000 000"), "au plus 10 millions"),
    (_line("606", "Achats", "100"), "pas un choix valide"),
    (_line("64", "<script>alert(1)</script>", "100"), "ne sont pas acceptés"),
    (_line("74", "Subvention", "100"), "indiquez le financeur"),
])
def test_operator_budget_line_bad_input_is_refused_in_french(app, client, operator, post,
                                                             line, message):
    response = post(f"/structures/sprints/{operator['sprint']}/livrables/budget/lignes", line)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert message in html and 'id="error-summary"' in html
    assert "Not a valid" not in html and "<script>alert" not in html
    with app.app_context():
        assert count(SprintBudgetLine) == 0


def test_operator_deliverables_need_a_budget_that_passes_the_proposals_rules(
        app, client, operator, post):
    deliverables = {"prototype": "Cantine solidaire",
                    "indicators": "30 repas par jour"}
    response = post(f"/structures/sprints/{operator['sprint']}/livrables", deliverables)
    assert "a aucune charge (comptes 60 à 68)" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Sprint, operator["sprint"]).deliverables_at is None
        add_budget(db.session.get(Sprint, operator["sprint"]),
                   db.session.get(User, operator["user"]))
        db.session.commit()
    response = post(f"/structures/sprints/{operator['sprint']}/livrables", deliverables)
    assert response.status_code == 302
    with app.app_context():
        sprint = db.session.get(Sprint, operator["sprint"])
        assert sprint.prototype == "Cantine solidaire" and sprint.deliverables_at is not None


def test_operator_cannot_touch_another_organisations_sprint_budget(app, client, operator, post):
    with app.app_context():
        other = db.session.get(Sprint, operator["other"])
        add_budget(other, factories.make_user(Role.STAFF))
        db.session.commit()
        line_id = other.budget_lines[0].id
    assert post(f"/structures/sprints/{operator['other']}/livrables/budget/lignes",
                _line("64", "Intrus", "10")).status_code == 404
    # Another sprint's line, through the operator's own sprint: still 404.
    assert post(f"/structures/sprints/{operator['sprint']}/livrables/budget/lignes/{line_id}"
                "/supprimer").status_code == 404
    assert post(f"/structures/sprints/{operator['other']}/livrables/budget/lignes/{line_id}"
                "/supprimer").status_code == 404
    with app.app_context():
        assert count(SprintBudgetLine) == 2


def test_operator_deletes_a_budget_line_of_their_sprint(app, client, operator, post):
    with app.app_context():
        sprint = db.session.get(Sprint, operator["sprint"])
        add_budget(sprint, db.session.get(User, operator["user"]))
        db.session.commit()
        line_id = sprint.budget_lines[0].id
    response = post(f"/structures/sprints/{operator['sprint']}/livrables/budget/lignes/"
                    f"{line_id}/supprimer")
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(SprintBudgetLine, line_id) is None


def test_review_form_reduced_without_reason_changes_nothing(app, client, staff, post):
    with app.app_context():
        tranche_id = make_agreement().tranches[1].id
        db.session.commit()
    response = post(f"/agents/cpo/tranches/{tranche_id}/revue", {
        "reviewed_on": date.today().isoformat(), "indicators_achieved": "80 élèves",
        "assessment": "Correct", "decision": "reduced", "amount": "10 000", "reason": ""})
    assert "Indiquez la raison de cette décision." in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(AgreementTranche, tranche_id).review is None


def test_pipeline_csv_has_no_notes_nor_contact_history(app, client, staff, post):
    with app.app_context():
        from tests.factories_funds import make_prospect

        prospect = make_prospect()
        prospect.notes = "Contact : Mme Durand 06 12 34 56 78"
        db.session.commit()
        prospect_id = prospect.id
    post(f"/agents/reperage/{prospect_id}/contacts", {
        "contacted_on": "2026-01-05", "channel": "telephone", "summary": "Appel à Mme Durand"})
    body = client.get("/agents/reperage.csv").get_data(as_text=True)
    assert "Les Petits Débrouillards" in body
    assert "Durand" not in body and "06 12" not in body
