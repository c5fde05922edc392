"""Test data for the vote: a round with eligible proposals and a committee."""

from pdvsolutions.extensions import db
from pdvsolutions.models import (
    BallotType,
    CommitteeMember,
    LegalForm,
    Organization,
    OrganizationMember,
    Proposal,
    ProposalStatus,
    Role,
    Round,
)
from pdvsolutions.rules.phases import Phase
from pdvsolutions.services import phases

from . import factories

_sirets = {"n": 0}


def make_organization(name: str = "Association Les Jardins du Nord") -> Organization:
    _sirets["n"] += 1
    organization = Organization(name=name, legal_form=LegalForm.ASSOCIATION,
                                siret=f"{_sirets['n']:014d}")
    db.session.add(organization)
    db.session.flush()
    return organization


def make_round(title: str = "Appel à solutions 2026", *, envelope_cents: int = 100_000_00,
               phase: Phase = Phase.REVIEW, territory: str = "Marseille Nord",
               **settings) -> Round:
    round_ = Round(title=title, territory=factories.territory(territory),
                   envelope_cents=envelope_cents, phase=phase, **settings)
    db.session.add(round_)
    db.session.flush()
    return round_


def make_proposal(round_: Round, title: str, cost_cents: int, organization=None,
                  status: ProposalStatus = ProposalStatus.ELIGIBLE) -> Proposal:
    proposal = Proposal(round_id=round_.id, title=title, requested_cents=cost_cents,
                        organization_id=(organization or make_organization()).id, status=status)
    db.session.add(proposal)
    db.session.flush()
    return proposal


def add_member(round_: Round, user=None, college: str = "Conseil citoyen"):
    user = user or factories.make_user(Role.RESIDENT)
    db.session.add(CommitteeMember(round_id=round_.id, user_id=user.id, college=college))
    db.session.flush()
    return user


def vote_world(members: int = 3, *, open_vote: bool = True, ballot_type=BallotType.APPROVAL,
               envelope_cents: int = 100_000_00, **settings) -> dict:
    """A round with three eligible proposals (60 000, 50 000 and 30 000 €) and a committee;
    the vote is opened through the real phase change when ``open_vote`` is true."""
    round_ = make_round(envelope_cents=envelope_cents, ballot_type=ballot_type, **settings)
    staff = factories.make_user(Role.STAFF)
    organization = make_organization()
    proposals = [
        make_proposal(round_, "Soutien scolaire", 60_000_00, organization),
        make_proposal(round_, "Jardin partagé", 50_000_00),
        make_proposal(round_, "Fête de quartier", 30_000_00),
    ]
    users = [add_member(round_, college="Conseil citoyen" if i % 2 else "Parents d'élèves")
             for i in range(members)]
    if open_vote:
        phases.change_phase(round_, Phase.VOTE, staff)
    return {"round": round_, "staff": staff, "members": users, "proposals": proposals,
            "organization": organization}


def make_org_member(organization: Organization, user) -> OrganizationMember:
    link = OrganizationMember(organization_id=organization.id, user_id=user.id)
    db.session.add(link)
    db.session.flush()
    return link
