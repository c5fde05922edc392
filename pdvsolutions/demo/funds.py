"""Demo of the anti-appel à projets and of the CPO: a 200,000 € foundation fund, ten sourced
structures at every stage (three sprints running, two funded, one declined) and three CPOs
(one in its first year, one with a reduced tranche)."""

from datetime import date, timedelta

import sqlalchemy as sa
from stdnum import luhn

from ..extensions import db
from ..models import (
    DecisionOutcome,
    Fund,
    FunderStatus,
    LegalForm,
    Organization,
    OrganizationMember,
    PartnerKind,
    Territory,
    User,
)
from ..rules.agreements import ReviewDecision
from ..rules.pipeline import ProspectStatus
from ..services import agreements, funds, grants, sourcing, sprints
from ..timeutil import today

FUND_NAME = "Fonds Fondation de France – anti-appel à projets"
OPERATOR_EMAIL = "operateur@demo.pdvsolutions.fr"

CHALLENGES = [
    ("Réussite scolaire et grandes écoles", "éducation", PartnerKind.STATE, "Préfecture – délégué du préfet",
     "Nos bacheliers doivent avoir les mêmes chances d'accéder aux grandes écoles, avec un accompagnement de haut niveau."),
    ("Plus de cafards dans les halls", "cadre de vie", PartnerKind.LANDLORD, "13 Habitat",
     "Les habitants ne veulent plus de cafards : prévention, entretien et mobilisation des locataires."),
    ("Premiers emplois des 16-25 ans", "insertion", PartnerKind.METROPOLE, "Métropole Aix-Marseille-Provence",
     "Des jeunes sans diplôme ni réseau cherchent une première expérience professionnelle."),
]

#: (name, legal form, challenge index, stage)
STRUCTURES = [
    ("Cap Prépa Nord", LegalForm.ASSOCIATION, 0, "funded"),
    ("Régie de quartier Saint-Barthélemy", LegalForm.REGIE, 1, "funded"),
    ("Les Ateliers du Jas", LegalForm.ASSOCIATION, 2, "declined"),
    ("Cuisine du Monde 13", LegalForm.ASSOCIATION, 2, "sprint"),
    ("Hygiène Solidaire", LegalForm.SCIC, 1, "sprint"),
    ("Tremplin Sciences", LegalForm.ASSOCIATION, 0, "sprint"),
    ("Coding Malpassé", LegalForm.ASSOCIATION, 0, "pitched"),
    ("Jardins d'Encagnane", LegalForm.ASSOCIATION, 1, "contacted"),
    ("Bus de l'emploi", LegalForm.COMPANY, 2, "contacted"),
    ("Mères actrices", LegalForm.ASSOCIATION, 0, "spotted"),
]

#: (organisation, reference, years, yearly euros, years since start, decision on this year's
#: tranche: None leaves it planned, awaiting its annual review)
AGREEMENTS = [
    ("Centre social Saint-Just", "CPO-{year}-01", 3, 45_000, 0, None),
    ("Maison pour tous Encagnane", "CPO-{year}-02", 4, 60_000, 1, ReviewDecision.REDUCED),
    # Its funded actions of the appel à solutions are evaluated: the review shows it.
    ("Association Réussite 13-14", "CPO-{year}-03", 5, 30_000, 2, None),
]


def demo_siret(seed: int) -> str:
    """A fictitious but valid SIRET: SIREN and SIRET Luhn keys both right."""
    siren = f"9{seed:07d}"
    siren += luhn.calc_check_digit(siren)
    body = siren + "0001"
    return body + luhn.calc_check_digit(body)


def _organization(name: str, legal_form: LegalForm) -> Organization:
    organization = db.session.scalar(sa.select(Organization).where(Organization.name == name))
    if organization is None:
        seed = db.session.scalar(sa.select(sa.func.count()).select_from(Organization)) + 1
        organization = sourcing.find_or_create_organization(
            organization_id=None, name=name, siret=demo_siret(seed), legal_form=legal_form)
    return organization


def _advance(prospect, stage: str, staff: User, fund: Fund, now: date) -> None:
    if stage == "spotted":
        return
    sourcing.set_status_by_hand(prospect, ProspectStatus.CONTACTED)
    sourcing.add_contact(prospect, staff, contacted_on=now - timedelta(days=70),
                         channel="rencontre", summary="Présentation du défi et de la démarche.")
    if stage == "contacted":
        return
    running = stage == "sprint"
    start = now - timedelta(days=5 if running else 45)
    sprint = sprints.start_sprint(prospect, starts_on=start, length_days=15,
                                  coach="Nora Lefèvre (le Lab)")
    sprints.mark_checkpoint_done(sprint.checkpoints[0])
    sprints.add_journal_entry(sprint, staff, "Lancement : cible, hypothèses, premier test.")
    if running:
        return
    _deliverables(sprint, staff)
    sprints.mark_checkpoint_done(sprint.checkpoints[1])
    sprints.mark_checkpoint_done(sprint.checkpoints[2])
    if stage == "pitched":
        return
    outcome = DecisionOutcome.FUNDED if stage == "funded" else DecisionOutcome.DECLINED
    decision = funds.decide_funding(prospect, staff, fund_id=fund.id, outcome=outcome,
                         committee="Comité de la Fondation de France",
                         decided_on=now - timedelta(days=20),
                         amount_cents=2_500_000 if outcome is DecisionOutcome.FUNDED else 0,
                         reason="Prototype testé avec des habitants ; budget réaliste."
                         if outcome is DecisionOutcome.FUNDED else
                         "Besoin déjà couvert par une action financée sur le quartier.")
    if decision.grant is not None and prospect.organization.name == STRUCTURES[0][0]:
        # The first funded structure has been paid: the ledger shows the payment.
        grants.record_paid(decision.grant.payments[0], staff, now - timedelta(days=5))


def _deliverables(sprint, staff: User) -> None:
    """A prototype's budget on the proposals' accounts, and its deliverables."""
    sprints.add_budget_line(sprint, staff, account="64", label="Animation (0,3 ETP)",
                            amount_cents=2_200_000)
    sprints.add_budget_line(sprint, staff, account="60", label="Petit matériel",
                            amount_cents=500_000)
    sprints.add_budget_line(sprint, staff, account="74", label="Contrat de ville",
                            amount_cents=200_000, funder="etat",
                            funder_status=FunderStatus.REQUESTED)
    sprints.save_deliverables(sprint, staff, prototype="Prototype testé avec vingt habitants.",
                              indicators="Participants par semaine : 20\nAteliers tenus : 6")


def _agreements(staff: User, now: date) -> None:
    for name, reference, years, yearly, since, decision in AGREEMENTS:
        first_year = now.year - since
        reference = reference.format(year=first_year)
        organization = _organization(name, LegalForm.ASSOCIATION)
        agreement = agreements.create_agreement(
            organization, reference=reference, title=f"Projet social de {name}",
            first_year=first_year, years=years, yearly_cents=yearly * 100,
            objectives="Accueil des familles, accompagnement scolaire, animation de la vie du quartier.",
            indicators="Familles accueillies par an ; enfants accompagnés ; ateliers tenus.",
            signed_on=date(first_year, 1, 15))
        for tranche in agreement.tranches[1:since + 1]:
            chosen = decision if tranche.year == now.year else ReviewDecision.RELEASED
            if chosen is None:
                continue
            agreements.review_tranche(
                tranche, staff, reviewed_on=min(now, date(tranche.year, 1, 20)),
                indicators_achieved="Objectifs atteints à 80 %.", assessment="Action solide.",
                decision=chosen,
                amount_cents=tranche.planned_cents * 3 // 4
                if chosen is ReviewDecision.REDUCED else None,
                reason="Fréquentation en baisse : l'atelier du soir n'a pas ouvert."
                if chosen is ReviewDecision.REDUCED else "")
        for tranche in agreement.tranches:
            # Past years' tranches have been paid.
            if tranche.grant is not None and tranche.year < now.year:
                grants.record_paid(tranche.grant.payments[0], staff,
                                   min(now, date(tranche.year, 3, 1)))


def load() -> str:
    if db.session.scalar(sa.select(Fund.id).where(Fund.name == FUND_NAME)) is not None:
        return "demo: funds, sprints and CPO already loaded"
    now = today()
    staff = db.session.scalar(sa.select(User).where(User.email == "agent@demo.pdvsolutions.fr"))
    territory = db.session.scalar(sa.select(Territory).order_by(Territory.id))
    fund = funds.create_fund(FUND_NAME, "Fondation de France", 20_000_000,
                             date(now.year, 1, 1), date(now.year + 1, 12, 31))
    challenges = [
        sourcing.create_challenge(title=title, description=description,
                                  territory_id=territory.id, field=field, partner_kind=kind,
                                  partner_name=partner)
        for title, field, kind, partner, description in CHALLENGES]
    operator = db.session.scalar(sa.select(User).where(User.email == OPERATOR_EMAIL))
    for name, legal_form, index, stage in STRUCTURES:
        organization = _organization(name, legal_form)
        prospect = sourcing.spot_structure(challenges[index], organization,
                                           "Piste repérée lors d'un atelier du Lab.")
        _advance(prospect, stage, staff, fund, now)
        if name == "Cuisine du Monde 13" and operator is not None:
            db.session.add(OrganizationMember(organization=organization, user_id=operator.id,
                                              is_admin=True))
    _agreements(staff, now)
    db.session.flush()
    return "demo: 200 000 € fund, 10 sourced structures, 3 CPO"
