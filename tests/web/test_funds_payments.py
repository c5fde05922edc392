"""Staff pages: a fund's grant or a CPO tranche is paid through the follow-up's grant page,
the fund's ledger shows commitments and payments, and the annual review shows the residents'
evaluation beside the staff form."""

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from pdvsolutions.extensions import db
from pdvsolutions.models import (
    AgreementTranche,
    Fund,
    FundEntry,
    FundEntryKind,
    FundingDecision,
    Grant,
)
from pdvsolutions.services import funds
from pdvsolutions.timeutil import today
from tests.factories_funds import (
    evaluated_action,
    fund_grant,
    make_agreement,
    make_fund,
    make_sprint,
)

from ..conftest import count


@pytest.fixture
def funded(app, staff_client):
    with app.app_context():
        fund = make_fund(10_000_000)
        decision, grant = fund_grant(fund, amount_cents=2_500_000)
        db.session.commit()
        return {"fund": fund.id, "grant": grant.id, "payment": grant.payments[0].id,
                "prospect": decision.prospect_id}


def test_fund_grant_payment_is_recorded_from_its_grant_page(app, client, post, funded):
    fund_page = client.get(f"/agents/fonds/{funded['fund']}").get_data(as_text=True)
    assert f"/agents/conventions/{funded['grant']}" in fund_page
    grant_page = client.get(f"/agents/conventions/{funded['grant']}").get_data(as_text=True)
    assert "Solde disponible du fonds" in grant_page and "75\u202f000,00\u00a0€" in grant_page
    response = post(f"/agents/versements/{funded['payment']}/effectue",
                    {"paid_on": today().isoformat()})
    assert response.status_code == 302
    html = client.get(f"/agents/fonds/{funded['fund']}").get_data(as_text=True)
    assert "Paiement" in html
    paid = html.split('class="fund-paid">')[1].split("<")[0]
    assert paid == "25\u202f000,00\u00a0€"
    with app.app_context():
        assert db.session.scalar(sa.select(FundEntry.payment_id).where(
            FundEntry.kind == FundEntryKind.PAYMENT)) == funded["payment"]


@pytest.mark.parametrize("paid_on", ["", "2026-02-30", "<b>hier</b>", "1999-01-01",
                                     "future"])
def test_fund_payment_bad_date_is_refused_in_french_and_changes_nothing(
        app, client, post, funded, paid_on):
    if paid_on == "future":
        paid_on = (today() + timedelta(days=3)).isoformat()
    response = post(f"/agents/versements/{funded['payment']}/effectue", {"paid_on": paid_on})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'aria-invalid="true"' in html and "Not a valid" not in html
    with app.app_context():
        assert count(FundEntry) == 1  # the commitment only
        assert db.session.scalar(sa.select(Grant).where(Grant.id == funded["grant"])) \
            .paid_cents == 0


def test_prospect_page_links_the_decision_to_its_grant(client, funded):
    html = client.get(f"/agents/reperage/{funded['prospect']}").get_data(as_text=True)
    assert f"/agents/conventions/{funded['grant']}" in html


def test_tranche_is_paid_from_the_agreement_page_after_its_review(app, client, post, staff_client):
    with app.app_context():
        agreement = make_agreement(first_year=today().year - 1)
        db.session.commit()
        agreement_id, second_id = agreement.id, agreement.tranches[1].id
    html = client.get(f"/agents/cpo/{agreement_id}").get_data(as_text=True)
    assert "Après la revue annuelle" in html
    response = post(f"/agents/cpo/tranches/{second_id}/revue", {
        "reviewed_on": today().isoformat(), "indicators_achieved": "118 élèves",
        "assessment": "Objectifs tenus", "decision": "released"})
    assert response.status_code == 302
    with app.app_context():
        tranche = db.session.get(AgreementTranche, second_id)
        grant_id, payment_id = tranche.grant_id, tranche.grant.payments[0].id
    html = client.get(f"/agents/cpo/{agreement_id}").get_data(as_text=True)
    assert f"/agents/conventions/{grant_id}" in html
    grant_page = client.get(f"/agents/conventions/{grant_id}").get_data(as_text=True)
    assert "Tranche de CPO" in grant_page
    assert post(f"/agents/versements/{payment_id}/effectue",
                {"paid_on": today().isoformat()}).status_code == 302
    html = client.get(f"/agents/cpo/{agreement_id}").get_data(as_text=True)
    assert "30\u202f000,00\u00a0€ versés sur 30\u202f000,00\u00a0€" in html


def test_review_page_shows_the_residents_evaluation_beside_the_form(app, client, staff_client):
    with app.app_context():
        agreement = make_agreement(first_year=today().year - 1)
        evaluated_action(agreement.organization, [(5, 4, 4, 5, "yes"), (3, 4, 2, 2, "no")],
                         voters=4, title="Soutien scolaire du soir")
        db.session.commit()
        tranche_id = agreement.tranches[1].id
    html = client.get(f"/agents/cpo/tranches/{tranche_id}/revue").get_data(as_text=True)
    assert "Soutien scolaire du soir" in html
    assert "2 réponse(s) sur 4 votant(s)" in html and "taux de réponse : 50 %" in html
    assert "<td>4,0</td>" in html and "<td>3,0</td>" in html  # answers_need, reach
    assert "Oui : 1, non : 1, ne sait pas : 0" in html
    assert 'name="residents_evaluation_used"' in html


def test_review_without_residents_evaluation_does_not_ask_about_it(app, client, staff_client):
    with app.app_context():
        tranche_id = make_agreement(first_year=today().year - 1).tranches[1].id
        db.session.commit()
    html = client.get(f"/agents/cpo/tranches/{tranche_id}/revue").get_data(as_text=True)
    assert "n'a encore été évaluée par les habitants" in html.replace("&#39;", "'")
    assert 'name="residents_evaluation_used"' not in html


def test_review_records_whether_the_evaluation_was_used(app, client, post, staff_client):
    with app.app_context():
        agreement = make_agreement(first_year=today().year - 1)
        evaluated_action(agreement.organization, [(4, 4, 4, 4, "yes")])
        db.session.commit()
        agreement_id, tranche_id = agreement.id, agreement.tranches[1].id
    data = {"reviewed_on": today().isoformat(), "indicators_achieved": "118 élèves",
            "assessment": "Objectifs tenus", "decision": "released"}
    response = post(f"/agents/cpo/tranches/{tranche_id}/revue",
                    {**data, "residents_evaluation_used": "peut-être"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Choisissez une valeur de la liste." in html
    with app.app_context():
        assert db.session.get(AgreementTranche, tranche_id).review is None
    response = post(f"/agents/cpo/tranches/{tranche_id}/revue",
                    {**data, "residents_evaluation_used": "yes"})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(AgreementTranche, tranche_id).review.residents_evaluation_used
    html = client.get(f"/agents/cpo/{agreement_id}").get_data(as_text=True)
    assert "Évaluation des habitants prise en compte" in html


def _refused_in_french(response, message: str) -> None:
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and message in html, html[html.find("<main"):][:1500]
    assert 'id="error-summary"' in html and "Not a valid" not in html
    assert "<script>alert" not in html and "<img src=x onerror" not in html


@pytest.mark.parametrize(("change", "message"), [
    ({"amount": "-5"}, "Saisissez un montant en euros"),
    ({"amount": "0"}, "Indiquez un montant positif"),
    ({"amount": "99 999 999 999"}, "Saisissez un montant en euros"),
    ({"amount": "20 000 000"}, "au plus 10 000 000"),
    ({"outcome": "peut-etre"}, "pas un choix valide"),
    ({"decided_on": "2026-02-01"}, "précéder le début du sprint"),
    ({"decided_on": "31/31/2026"}, "Saisissez une date valide"),
    ({"reason": "<script>alert(1)</script>"}, "balises HTML"),
])
def test_funding_decision_bad_input_is_refused_in_french_and_changes_nothing(
        app, client, post, staff_client, change, message):
    with app.app_context():
        fund = make_fund(10_000_000)
        prospect_id = make_sprint(starts_on=date(2026, 3, 2), pitched=True).prospect_id
        db.session.commit()
        fund_id = fund.id
    data = {"outcome": "funded", "fund_id": fund_id, "amount": "1 000", "committee": "Comité",
            "decided_on": "2026-03-20", "reason": "Pitch", **change}
    _refused_in_french(post(f"/agents/reperage/{prospect_id}/decision", data), message)
    with app.app_context():
        assert count(FundingDecision) == 0 and count(Grant) == 0
        assert funds.balance_cents(db.session.get(Fund, fund_id)) == 10_000_000


@pytest.mark.parametrize(("change", "message"), [
    ({"decision": "approved"}, "pas un choix valide"),
    ({"decision": "reduced", "amount": "-1", "reason": "Baisse"}, "Saisissez un montant"),
    ({"decision": "reduced", "amount": "40 000", "reason": "Baisse"}, "inférieur au montant prévu"),
    ({"reviewed_on": "2020-01-01"}, "suivre la signature"),
    ({"reviewed_on": "2099-01-01"}, "ne pas être future"),
    ({"assessment": "<img src=x onerror=alert(1)>"}, "balises HTML"),
])
def test_annual_review_bad_input_is_refused_in_french_and_changes_nothing(
        app, client, post, staff_client, change, message):
    with app.app_context():
        tranche_id = make_agreement(first_year=today().year - 1).tranches[1].id
        db.session.commit()
    data = {"reviewed_on": today().isoformat(), "indicators_achieved": "118 élèves",
            "assessment": "Objectifs tenus", "decision": "released", **change}
    _refused_in_french(post(f"/agents/cpo/tranches/{tranche_id}/revue", data), message)
    with app.app_context():
        tranche = db.session.get(AgreementTranche, tranche_id)
        assert tranche.review is None and tranche.grant_id is None
