"""Factories for organisations, rounds in the call and proposals (issue 4)."""

from datetime import date, timedelta

from pdvsolutions.demo.proposals import valid_siret
from pdvsolutions.extensions import db
from pdvsolutions.models import (
    BudgetLine,
    Indicator,
    Need,
    NeedStatus,
    Organization,
    OrganizationMember,
    Proposal,
    ProposalStatus,
    Role,
    Round,
    RoundField,
    User,
)
from pdvsolutions.rules.phases import Phase
from pdvsolutions.timeutil import utcnow

from . import factories

_counter = {"n": 0}


def make_round(phase: Phase = Phase.CALL, *, deadline_days: int = 10,
               territory: str = "Marseille Nord", envelope_cents: int = 100_000_00) -> Round:
    """A round with one field and one retained need (written by a resident)."""
    round_ = Round(territory=factories.territory(territory), title=f"Appel {territory}",
                   phase=phase, envelope_cents=envelope_cents,
                   call_deadline=utcnow() + timedelta(days=deadline_days))
    field = RoundField(round=round_, label="Éducation")
    author = factories.make_user(Role.RESIDENT)
    db.session.add_all([round_, field])
    db.session.flush()
    db.session.add(Need(round_id=round_.id, field_id=field.id, author_id=author.id,
                        title="Accompagner nos lycéens vers les grandes écoles",
                        description="Du tutorat de haut niveau.", status=NeedStatus.RETAINED))
    db.session.flush()
    return round_


def make_org(user: User | None = None, *, verified: bool = True, name: str | None = None,
             admin: bool = True) -> Organization:
    _counter["n"] += 1
    n = _counter["n"]
    organization = Organization(
        name=name or f"Association n°{n}", legal_form="association",
        siret=valid_siret(400_000 + n, n), rna=None, address="1 rue de la Paix, 13014 Marseille",
        legal_rep_name="Nadia Kacem", legal_rep_role="Présidente",
        contact_email=f"contact{n}@asso.example.org",
        verified_at=utcnow() if verified else None)
    db.session.add(organization)
    db.session.flush()
    if user is not None:
        db.session.add(OrganizationMember(organization_id=organization.id, user_id=user.id,
                                          is_admin=admin))
        db.session.flush()
    return organization


def make_proposal(organization: Organization, round_: Round, *,
                  status: ProposalStatus = ProposalStatus.DRAFT, complete: bool = True,
                  title: str = "Tutorat prépa") -> Proposal:
    """A proposal with a complete sheet, a balanced budget (requested 6 000 €), an indicator."""
    need = db.session.query(Need).filter_by(round_id=round_.id).first()
    proposal = Proposal(round=round_, organization=organization, title=title, status=status,
                        needs=[need])
    if complete:
        proposal.objectives = "Préparer 20 lycéens aux concours."
        proposal.description = "Deux séances par semaine avec des étudiants de prépa."
        proposal.target_public = "Lycéens de terminale"
        proposal.beneficiaries = 20
        proposal.qpv_codes = factories.QPV_HOME
        proposal.start_on = date(2027, 1, 1)
        proposal.end_on = date(2027, 12, 31)
        proposal.human_means = "Une coordinatrice à mi-temps, dix bénévoles."
        proposal.budget_lines = [
            BudgetLine(account="64", label="Salaire coordinatrice", amount_cents=8_000_00),
            BudgetLine(account="75", label="Cotisations", amount_cents=2_000_00),
        ]
        proposal.requested_cents = 6_000_00
        proposal.indicators = [Indicator(label="Lycéens suivis", target=20, unit="personnes")]
    if status is not ProposalStatus.DRAFT:
        proposal.submitted_at = utcnow()
        proposal.signer_name, proposal.signer_role = "Nadia Kacem", "Présidente"
    db.session.add(proposal)
    db.session.flush()
    return proposal


def operator_with_org(verified: bool = True, email: str | None = None):
    user = factories.make_user(Role.OPERATOR, email=email)
    return user, make_org(user, verified=verified)
