"""Anti-appel à projets and CPO in a real browser, at desktop and phone sizes, with axe-core."""

from datetime import timedelta

import pytest

from pdvsolutions.extensions import db
from pdvsolutions.models import Role
from pdvsolutions.timeutil import today

from .. import factories
from ..factories_funds import evaluated_action, make_agreement, make_org, make_sprint
from .conftest import check_a11y, login

pytestmark = pytest.mark.browser


def _submit(page, form_selector: str = "main form") -> None:
    page.click(f"{form_selector} button[type=submit]")
    page.wait_for_load_state()


def test_fund_sprint_and_decision_journey(page, live_server, browser):
    with live_server.app.app_context():
        factories.make_user(Role.STAFF, email="agent@example.org")
        operator = factories.make_user(Role.OPERATOR, email="op@example.org")
        make_org("Cuisine du Monde", member=operator)
        rival = make_sprint(make_org("Autre structure"), starts_on=today(), pitched=True)
        db.session.commit()
        rival_prospect = rival.prospect_id
    login(page, live_server, "agent@example.org")

    page.goto(live_server("/agents/fonds/nouveau"))
    check_a11y(page)
    page.fill("#name", "Fonds Fondation")
    page.fill("#funder", "Fondation de France")
    page.fill("#total", "200 000")
    page.fill("#starts_on", f"{today().year}-01-01")
    page.fill("#ends_on", f"{today().year + 1}-12-31")
    _submit(page)
    assert "200\u202f000,00\u00a0€" in page.locator(".fund-balance").inner_text()
    check_a11y(page)

    page.goto(live_server("/agents/defis/nouveau"))
    check_a11y(page)
    page.fill("#title", "Repas solidaires")
    page.fill("#description", "Des familles sautent des repas.")
    page.fill("#field", "santé")
    page.select_option("#partner_kind", "landlord")
    page.fill("#partner_name", "13 Habitat")
    _submit(page)
    check_a11y(page)
    page.select_option("#organization_id", label="Cuisine du Monde")
    page.fill("#notes", "Cantine de quartier à tester")
    _submit(page)
    check_a11y(page)
    page.select_option("#status", "contacted")
    _submit(page, "form[action$='/statut']")
    assert "Contactée" in page.locator(".prospect-status").inner_text()
    page.click("text=Lancer le sprint de prototypage")
    check_a11y(page)
    page.fill("#starts_on", (today() - timedelta(days=14)).isoformat())
    page.fill("#coach", "Nora")
    _submit(page)
    assert "1 jour restant" in page.locator(".days-left").inner_text()
    check_a11y(page)
    sprint_url = page.url

    # The operator posts a journal entry and the deliverables from their own session.
    context = browser.new_context(viewport=page.viewport_size, locale="fr-FR")
    op = context.new_page()
    login(op, live_server, "op@example.org")
    op.click("header >> text=Mes sprints et conventions")
    check_a11y(op)
    op.click("main >> text=Cuisine du Monde")
    op.fill("#body", "Premier service : 25 repas.")
    _submit(op, "main form[action$='/journal']")
    assert "Premier service : 25 repas." in op.content()
    check_a11y(op)
    op.click("text=Déposer ou modifier les livrables")
    check_a11y(op)
    # The proposals' budget form: one line at a time, on the associations' chart of accounts.
    op.fill("#prototype", "Cantine solidaire deux midis par semaine")
    op.fill("#indicators", "50 repas par semaine")
    _submit(op, "main form:has(#prototype)")
    assert "a aucune charge" in op.locator("#error-summary").inner_text()
    check_a11y(op)
    op.select_option("#line-account", "60")
    op.fill("#line-label", "Denrées")
    op.fill("#line-amount", "-1 500")
    _submit(op, "main form:has(#line-account)")
    assert "Écrivez un montant en euros" in op.locator("#error-summary").inner_text()
    check_a11y(op)
    op.fill("#line-amount", "1 500")
    _submit(op, "main form:has(#line-account)")
    op.select_option("#line-account", "74")
    op.fill("#line-label", "Subvention")
    op.fill("#line-amount", "300")
    op.select_option("#line-funder", "caf")
    op.select_option("#line-funder_status", "obtained")
    _submit(op, "main form:has(#line-account)")
    budget = op.locator("table:has(caption:text('Budget du prototype'))").inner_text()
    assert "60 – Achats" in budget and "1\u202f200,00\u00a0€" in budget, budget
    check_a11y(op)
    op.fill("#prototype", "Cantine solidaire deux midis par semaine")
    op.fill("#indicators", "50 repas par semaine")
    _submit(op, "main form:has(#prototype)")
    assert "Livrables enregistrés" in op.content()
    context.close()

    page.goto(sprint_url)
    assert "Cantine solidaire deux midis par semaine" in page.content()
    for name in ("Lancement", "Point d'étape", "Pitch"):
        page.click(f'button:has-text("Marquer « {name} » comme fait")')
        page.wait_for_load_state()
    check_a11y(page)
    page.click("text=← Fiche de la structure")
    page.click("text=Enregistrer la décision de financement")
    # The amount asked from the fund in the prototype's budget is proposed.
    assert page.input_value("#amount") == "1200,00"
    check_a11y(page)
    page.check("#outcome-0")
    page.fill("#amount", "150 000")
    page.fill("#committee", "Comité de la Fondation")
    page.fill("#decided_on", today().isoformat())
    page.fill("#reason", "Pitch convaincant")
    _submit(page, "main form")
    assert "Financée" in page.locator(".prospect-status").inner_text()
    page.goto(live_server("/agents/fonds"))
    assert "50\u202f000,00\u00a0€" in page.locator("main table").inner_text(), page.locator("main table").inner_text()

    # The payment of the grant is recorded from its page; the ledger shows it.
    page.click("main table >> text=Fonds Fondation")
    check_a11y(page)
    page.click("main table >> a:text-matches('^FONDS-')")
    assert "50\u202f000,00\u00a0€" in page.locator(".fund-balance").inner_text()
    check_a11y(page)
    page.fill("input[name=paid_on]", (today() + timedelta(days=2)).isoformat())
    page.click("main form button:text('Enregistrer le versement')")
    page.wait_for_load_state()
    assert "dans le futur" in page.content()
    check_a11y(page)
    page.fill("input[name=paid_on]", today().isoformat())
    page.click("main form button:text('Enregistrer le versement')")
    page.wait_for_load_state()
    assert "enregistré comme effectué" in page.content()
    page.click("text=← Grand livre du fonds")
    assert "150\u202f000,00\u00a0€" in page.locator(".fund-paid").inner_text()
    assert "Paiement" in page.locator("table.fund-ledger").inner_text()
    check_a11y(page)

    # A second decision above what is left is refused with the balance.
    page.goto(live_server(f"/agents/reperage/{rival_prospect}/decision"))
    page.check("#outcome-0")
    page.fill("#amount", "60 000")
    page.fill("#committee", "Comité de la Fondation")
    page.fill("#decided_on", today().isoformat())
    page.fill("#reason", "Pitch")
    _submit(page, "main form")
    assert "Solde insuffisant" in page.locator("#error-summary").inner_text()
    check_a11y(page)
    page.goto(live_server("/agents/reperage"))
    assert "Cuisine du Monde" in page.locator("#col-funded").locator("..").inner_text()
    check_a11y(page)


def test_annual_review_releases_a_tranche(page, live_server):
    with live_server.app.app_context():
        factories.make_user(Role.STAFF, email="agent@example.org")
        agreement = make_agreement(first_year=today().year - 1,
                                   reference=f"CPO-{page.viewport_name}")
        evaluated_action(agreement.organization, [(5, 4, 4, 5, "yes"), (3, 4, 2, 2, "no")],
                         voters=4, title="Soutien scolaire du soir")
        db.session.commit()
        agreement_id = agreement.id
    login(page, live_server, "agent@example.org")
    page.goto(live_server("/agents/cpo"))
    assert "100 %" in page.locator(".cpo-share").inner_text()
    check_a11y(page)
    page.goto(live_server(f"/agents/cpo/{agreement_id}"))
    assert "Après la revue annuelle" in page.locator(".tranche-payment").nth(1).inner_text()
    check_a11y(page)
    page.click(f"text=Revue annuelle pour {today().year}")
    evaluation = page.locator(".residents-evaluation").inner_text()
    assert "Soutien scolaire du soir" in evaluation and "taux de réponse : 50 %" in evaluation
    assert "Oui : 1, non : 1" in evaluation
    check_a11y(page)
    page.fill("#reviewed_on", today().isoformat())
    page.fill("#indicators_achieved", "118 élèves")
    page.fill("#assessment", "Objectifs tenus")
    page.check("#decision-0")
    page.check("#residents_evaluation_used-0")
    _submit(page, "main form")
    assert page.locator(".tranche-status").nth(1).inner_text() == "Débloquée"
    assert "prise en compte" in page.locator("main table").inner_text()
    check_a11y(page)
    # The released tranche is paid through its grant page.
    page.click(f"text=Versements de la tranche {today().year}")
    page.fill("input[name=paid_on]", today().isoformat())
    page.click("main form button:text('Enregistrer le versement')")
    page.wait_for_load_state()
    page.click("text=← Convention pluriannuelle")
    assert "30\u202f000,00\u00a0€ versés" in page.locator(".tranche-payment").nth(1).inner_text()
    check_a11y(page)


def test_sourcing_board_works_without_javascript(no_js_page, live_server):
    with live_server.app.app_context():
        factories.make_user(Role.STAFF, email="agent@example.org")
        make_sprint(make_org("Tremplin Sciences"))
        db.session.commit()
    login(no_js_page, live_server, "agent@example.org")
    no_js_page.goto(live_server("/agents/reperage"))
    assert "Tremplin Sciences" in no_js_page.locator("#col-sprint").locator("..").inner_text()
