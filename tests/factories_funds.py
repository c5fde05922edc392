"""Test data of the anti-appel à projets and of the CPO: plain functions."""

from datetime import date

from pdvsolutions.demo.funds import demo_siret
from pdvsolutions.extensions import db
from pdvsolutions.models import (
    Challenge,
    DecisionOutcome,
    Fund,
    FunderStatus,
    LegalForm,
    MultiYearAgreement,
    Organization,
    OrganizationMember,
    PartnerKind,
    Prospect,
    Role,
    Sprint,
    User,
)
from pdvsolutions.rules.phases import Phase
from pdvsolutions.rules.pipeline import ProspectStatus
from pdvsolutions.services import agreements, evaluation, funds, sprints

from . import factories, factories_followup

_serial = {"n": 0}


def valid_siret(seed: int | None = None) -> str:
    """A 14-digit SIRET whose SIREN and SIRET Luhn keys are both right."""
    if seed is None:
        _serial["n"] += 1
        seed = _serial["n"]
    return demo_siret(seed)


def make_org(name: str = "Les Petits Débrouillards", member: User | None = None,
             legal_form: LegalForm = LegalForm.ASSOCIATION) -> Organization:
    organization = Organization(name=name, siret=valid_siret(), legal_form=legal_form)
    db.session.add(organization)
    db.session.flush()
    if member is not None:
        db.session.add(OrganizationMember(organization=organization, user_id=member.id))
        db.session.flush()
    return organization


def make_fund(total_cents: int = 20_000_000, name: str = "Fonds Fondation") -> Fund:
    fund = Fund(name=name, funder="Fondation de France", total_cents=total_cents,
                starts_on=date(2026, 1, 1), ends_on=date(2027, 12, 31))
    db.session.add(fund)
    db.session.flush()
    return fund


def make_challenge(title: str = "Réussite scolaire") -> Challenge:
    challenge = Challenge(title=title, description="Accès aux grandes écoles",
                          territory_id=factories.territory().id, field="éducation",
                          partner_kind=PartnerKind.METROPOLE, partner_name="Métropole")
    db.session.add(challenge)
    db.session.flush()
    return challenge


def make_prospect(organization: Organization | None = None,
                  status: ProspectStatus = ProspectStatus.SPOTTED,
                  challenge: Challenge | None = None) -> Prospect:
    prospect = Prospect(challenge=challenge or make_challenge(),
                        organization=organization or make_org(), status=status)
    db.session.add(prospect)
    db.session.flush()
    return prospect


def make_sprint(organization: Organization | None = None, starts_on: date = date(2026, 3, 2),
                length_days: int = 15, pitched: bool = False) -> Sprint:
    """A sprint (prospect contacted → sprint); pitched moves it to "pitched"."""
    prospect = make_prospect(organization, ProspectStatus.CONTACTED)
    sprint = sprints.start_sprint(prospect, starts_on=starts_on, length_days=length_days,
                                  coach="Nora L.")
    if pitched:
        from pdvsolutions.timeutil import utcnow

        sprint.checkpoints[-1].done_at = utcnow()
        prospect.status = ProspectStatus.PITCHED
        db.session.flush()
    return sprint


def make_agreement(organization: Organization | None = None, years: int = 3,
                   yearly_cents: int = 3_000_000, first_year: int = 2025,
                   reference: str = "CPO-2025-001") -> MultiYearAgreement:
    return agreements.create_agreement(
        organization or make_org(), reference=reference, title="Accompagnement scolaire",
        first_year=first_year, years=years, yearly_cents=yearly_cents,
        objectives="Soutien scolaire", indicators="120 élèves", signed_on=date(first_year, 1, 10))


def fund_grant(fund: Fund, organization: Organization | None = None,
               amount_cents: int = 2_500_000, decided_on: date = date(2026, 3, 20)):
    """A pitched sprint funded from ``fund`` through the real decision: (decision, grant)."""
    prospect = make_sprint(organization, starts_on=date(2026, 3, 2), pitched=True).prospect
    staff = factories.make_user(Role.STAFF)
    decision = funds.decide_funding(
        prospect, staff, fund_id=fund.id, outcome=DecisionOutcome.FUNDED,
        committee="Comité de la Fondation", decided_on=decided_on, amount_cents=amount_cents,
        reason="Pitch convaincant")
    return decision, decision.grant


def add_budget(sprint: Sprint, author: User, charges_cents: int = 300_000,
               other_income_cents: int = 100_000) -> None:
    """A prototype budget on the proposals' accounts: salaries (64), the CAF (74) and what is
    left asked from the fund."""
    sprints.add_budget_line(sprint, author, account="64", label="Animatrice",
                            amount_cents=charges_cents)
    if other_income_cents:
        sprints.add_budget_line(sprint, author, account="74", label="Subvention CAF",
                                amount_cents=other_income_cents, funder="caf",
                                funder_status=FunderStatus.OBTAINED)


def evaluated_action(organization: Organization, ratings: list[tuple[int, int, int, int, str]],
                     voters: int | None = None, title: str = "Cours du soir"):
    """An action of ``organization`` funded by a round in evaluation, evaluated by its voters
    (one rating per voter: answers_need, quality, reach, relation, renew), with extra voters
    who did not answer up to ``voters``."""
    round_ = factories_followup.make_round(Phase.EVALUATION, title="Appel à solutions Nord")
    proposal = factories_followup.make_proposal(round_, organization, title=title)
    for index in range(voters or len(ratings)):
        voter = factories_followup.make_voter(round_)
        if index < len(ratings):
            need, quality, reach, relation, renew = ratings[index]
            evaluation.submit_evaluation(proposal, voter, evaluation.Answers(
                answers_need=need, quality=quality, reach=reach, relation=relation,
                comment="Très utile" if index == 0 else "", renew=renew))
    return proposal
