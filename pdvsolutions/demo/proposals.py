"""Demo organisations and proposals: a round in review, and a round whose review is done."""

import json
from datetime import date, timedelta

import sqlalchemy as sa
from stdnum import luhn

from ..extensions import db
from ..models import (
    BudgetLine,
    Decision,
    FunderStatus,
    Indicator,
    Need,
    NeedStatus,
    Organization,
    OrganizationMember,
    Proposal,
    ProposalStatus,
    ProposalVersion,
    ProposalYear,
    ReviewDecision,
    Round,
    RoundField,
    Territory,
    User,
)
from ..rules import budget
from ..rules.phases import Phase
from ..services.proposals import snapshot
from ..timeutil import utcnow

TERRITORY = "Marseille – Grand Saint-Barthélemy et Malpassé"
OPERATOR_EMAIL = "operateur@demo.pdvsolutions.fr"


def valid_siret(siren_seed: int, nic_seed: int) -> str:
    """A SIRET whose SIREN and SIRET checksums hold (Luhn), built from two small numbers."""
    siren8 = f"{siren_seed:08d}"[-8:]
    siren = siren8 + luhn.calc_check_digit(siren8)
    body = siren + f"{nic_seed:04d}"[-4:]
    return body + luhn.calc_check_digit(body)


#: name, legal form, siren seed, RNA, address, representative, role
ORGANIZATIONS = [
    ("Association Réussite Nord", "association", 81234567, "W133012345",
     "12 avenue de Saint-Barthélemy, 13014 Marseille", "Karim Haddad", "Président"),
    ("Régie de quartier Malpassé Services", "regie", 42345678, None,
     "Bâtiment B, cité Malpassé, 13013 Marseille", "Sophie Garnier", "Directrice"),
    ("Les Jardins du Merlan", "association", 79876543, "W133098765",
     "3 traverse du Merlan, 13014 Marseille", "Ahmed Touati", "Président"),
    ("SCIC Santé Solidaire 13", "scic", 88765432, None,
     "45 boulevard Jourdan, 13014 Marseille", "Dr Claire Vidal", "Gérante"),
]

FIELDS = ["Éducation", "Emploi et insertion", "Cadre de vie", "Santé", "Culture"]
#: field index, title, description
NEEDS = [
    (0, "Nos lycéens aux portes des grandes écoles",
     "Que nos bacheliers aient les mêmes chances d'entrer en classe préparatoire, avec du tutorat "
     "de haut niveau."),
    (2, "Plus de cafards dans les immeubles",
     "Des interventions régulières et coordonnées contre les nuisibles dans les parties communes."),
    (1, "Des emplois pour les jeunes du quartier", "Accompagner les 16-25 ans vers un emploi."),
    (3, "Un accès aux soins de proximité", "Des permanences de santé au pied des immeubles."),
    (4, "La culture au pied des tours", "Des ateliers artistiques pour les enfants le mercredi."),
]


def _line(account, label, euros, funder=None, status=None):
    return BudgetLine(account=account, label=label, amount_cents=euros * 100, funder=funder,
                      funder_status=status)


#: org index, need index, title, target public, beneficiaries, budget lines, outcome
PROPOSALS_REVIEW = [
    (0, 0, "Prépa Ambition : tutorat vers les classes préparatoires",
     "Lycéens de 1re et terminale", 30,
     [("64", "Coordinatrice pédagogique (0,5 ETP)", 18000), ("62", "Transports vers les écoles",
                                                             2500),
      ("60", "Fournitures et annales", 1500), ("75", "Cotisations des familles", 1000)],
     "submitted"),
    (0, 2, "Premier emploi : coaching et parrainage d'entreprise", "Jeunes de 16 à 25 ans", 40,
     [("64", "Conseiller en insertion (0,6 ETP)", 21000), ("61", "Location de salle", 3000),
      ("74", "CAF des Bouches-du-Rhône", 4000, "caf", FunderStatus.OBTAINED),
      ("74", "Région Sud", 5000, "region", FunderStatus.REQUESTED),
      ("86", "Mise à disposition de bureaux", 2400), ("87", "Bénévolat des parrains", 2400)],
     "eligible"),
    (1, 1, "Brigade anti-nuisibles des parties communes", "Locataires de 6 bâtiments", 900,
     [("61", "Désinsectisation par une entreprise agréée", 14000),
      ("64", "Agents de la régie formés", 9000), ("60", "Produits et matériel", 2000),
      ("70", "Participation du bailleur", 6000)], "revision"),
    (1, 2, "Chantier d'insertion propreté", "Demandeurs d'emploi du quartier", 12,
     [("64", "Salaires en insertion", 30000), ("62", "Encadrement technique", 8000),
      ("74", "État (DDETS)", 15000, "etat", FunderStatus.OBTAINED)], "submitted"),
    (2, 4, "Mercredis au jardin : ateliers nature et peinture", "Enfants de 6 à 12 ans", 60,
     [("60", "Graines, outils, peinture", 3000), ("64", "Animatrice (0,3 ETP)", 9000),
      ("87", "Bénévolat des jardiniers", 3000), ("86", "Emploi du bénévolat", 3000)],
     "submitted"),
    (2, 1, "Composteurs collectifs contre les nuisibles", "Habitants de Font-Vert", 300,
     [("60", "Composteurs fermés", 4000), ("62", "Formation des référents", 1500)],
     "not_eligible"),
    (3, 3, "Permanence santé au pied des tours", "Habitants sans médecin traitant", 500,
     [("64", "Infirmière coordinatrice (0,5 ETP)", 22000), ("61", "Local mobile", 6000),
      ("74", "Agence régionale de santé", 10000, "etat", FunderStatus.REQUESTED)], "eligible"),
    (3, 0, "Soutien scolaire et bilan de santé visuelle", "Collégiens", 80,
     [("64", "Orthoptiste vacataire", 5000), ("60", "Matériel de dépistage", 2000)], "submitted"),
    (0, 4, "Orchestre des quartiers nord", "Enfants de 8 à 14 ans", 25,
     [("64", "Professeurs de musique", 16000), ("60", "Instruments", 6000),
      ("75", "Dons", 2000)], "submitted"),
    (2, 2, "Jardiniers en insertion", "Jeunes sans qualification", 8,
     [("64", "Encadrant maraîcher", 20000), ("60", "Semences et outils", 3000),
      ("70", "Vente de paniers", 4000)], "submitted"),
]

NOT_ELIGIBLE_REASON = ("Action d'investissement (achat de composteurs) : l'appel à solutions ne "
                       "finance que du fonctionnement.")
REVISION_MESSAGE = ("Merci de préciser le calendrier des interventions par bâtiment et de joindre "
                    "l'accord du bailleur pour sa participation de 6 000 €.")


def _ensure_round(territory: Territory, title: str, envelope_euros: int) -> tuple[Round, bool]:
    round_ = db.session.scalar(sa.select(Round).where(Round.title == title))
    if round_ is not None:
        return round_, False
    round_ = Round(territory=territory, title=title, phase=Phase.REVIEW,
                   envelope_cents=envelope_euros * 100, max_duration_months=36,
                   call_deadline=utcnow() - timedelta(days=5),
                   presentation="Appel à solutions de fonctionnement pour les quartiers nord.")
    round_.fields = [RoundField(label=label, position=i) for i, label in enumerate(FIELDS)]
    db.session.add(round_)
    db.session.flush()
    return round_, True


def _organizations() -> list[Organization]:
    operator = db.session.scalar(sa.select(User).where(User.email == OPERATOR_EMAIL))
    result = []
    for i, (name, form, seed, rna, address, rep, role) in enumerate(ORGANIZATIONS):
        siret = valid_siret(seed, 10 + i)
        organization = db.session.scalar(sa.select(Organization).where(Organization.siret == siret))
        if organization is None:
            organization = Organization(
                name=name, legal_form=form, siret=siret, rna=rna, address=address,
                legal_rep_name=rep, legal_rep_role=role,
                contact_email=f"contact{i + 1}@demo.pdvsolutions.fr", verified_at=utcnow())
            db.session.add(organization)
            db.session.flush()
            if i == 0 and operator is not None:
                db.session.add(OrganizationMember(organization_id=organization.id,
                                                  user_id=operator.id, is_admin=True))
        result.append(organization)
    return result


def _fill(round_: Round, organizations, specs, all_decided: bool) -> None:
    needs = []
    for field_index, title, description in NEEDS:
        need = Need(round_id=round_.id, field_id=round_.fields[field_index].id, title=title,
                    description=description, status=NeedStatus.RETAINED)
        db.session.add(need)
        needs.append(need)
    db.session.flush()
    now = utcnow()
    for org_i, need_i, title, public, count, lines, outcome in specs:
        if all_decided and outcome in ("submitted", "revision"):
            outcome = "eligible"
        proposal = Proposal(
            round=round_, organization=organizations[org_i], title=title, needs=[needs[need_i]],
            objectives=f"Répondre à la demande des habitants : « {needs[need_i].title} ».",
            description=f"{title}. L'action se déroule dans les quartiers de {round_.territory.name}, "
                        "en lien avec le centre social et le conseil citoyen.",
            target_public=public, beneficiaries=count,
            qpv_codes=" ".join(q.code for q in round_.territory.qpvs[:2]),
            start_on=date(2027, 1, 1), end_on=date(2027, 12, 31),
            human_means="Une équipe salariée et des bénévoles du quartier.",
            budget_lines=[_line(*spec) for spec in lines],
            indicators=[Indicator(label="Personnes accompagnées", target=count,
                                  unit="personnes")],
            signer_name=ORGANIZATIONS[org_i][5], signer_role=ORGANIZATIONS[org_i][6],
            signed_at=now, submitted_at=now, status=ProposalStatus.SUBMITTED)
        proposal.requested_cents = budget.requested_cents(
            [budget.Line(b.account, b.amount_cents) for b in proposal.budget_lines])
        db.session.add(proposal)
        db.session.flush()
        proposal.versions.append(ProposalVersion(number=1, snapshot=json.dumps(
            snapshot(proposal), ensure_ascii=False)))
        if outcome == "eligible":
            proposal.status = ProposalStatus.ELIGIBLE
            proposal.decisions.append(ReviewDecision(decision=Decision.ELIGIBLE))
        elif outcome == "not_eligible":
            proposal.status = ProposalStatus.NOT_ELIGIBLE
            proposal.decisions.append(ReviewDecision(decision=Decision.NOT_ELIGIBLE,
                                                     message=NOT_ELIGIBLE_REASON))
        elif outcome == "revision":
            deadline = now + timedelta(days=10)
            proposal.status = ProposalStatus.REVISION_REQUESTED
            proposal.revisions_requested, proposal.revision_deadline = 1, deadline
            proposal.decisions.append(ReviewDecision(decision=Decision.REVISION_REQUESTED,
                                                     message=REVISION_MESSAGE,
                                                     deadline=deadline))
    db.session.flush()


def load() -> str:
    territory = db.session.scalar(sa.select(Territory).where(Territory.name == TERRITORY))
    if territory is None:
        return "demo proposals: territory missing, skipped"
    organizations = _organizations()
    current, created = _ensure_round(
        territory, "Appel à solutions 2027 – Grand Saint-Barthélemy et Malpassé", 150_000)
    if created:
        _fill(current, organizations, PROPOSALS_REVIEW, all_decided=False)
        # A multi-year action: split of the requested amount over two years.
        multi = current and db.session.scalar(sa.select(Proposal).where(
            Proposal.round_id == current.id, Proposal.title.startswith("Chantier")))
        multi.end_on = date(2028, 12, 31)
        half = multi.requested_cents // 2
        multi.years = [ProposalYear(year_index=1, amount_cents=half),
                       ProposalYear(year_index=2, amount_cents=multi.requested_cents - half)]
    past, created = _ensure_round(
        territory, "Appel à solutions 2026 – Grand Saint-Barthélemy et Malpassé (instruit)",
        90_000)
    if created:
        _fill(past, organizations, PROPOSALS_REVIEW[:6], all_decided=True)
    db.session.flush()
    return "demo: organisations and proposals ready (one round in review, one fully decided)"
