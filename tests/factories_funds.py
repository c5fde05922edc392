"""Test data of the anti-appel à projets and of the CPO: plain functions."""

from datetime import date

from pdvsolutions.demo.funds import demo_siret
from pdvsolutions.extensions import db
from pdvsolutions.models import (
    Challenge,
    Fund,
    LegalForm,
    MultiYearAgreement,
    Organization,
    OrganizationMember,
    PartnerKind,
    Prospect,
    Sprint,
    User,
)
from pdvsolutions.rules.pipeline import ProspectStatus
from pdvsolutions.services import agreements, sprints

from . import factories

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
