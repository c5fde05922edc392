"""Test data of the follow-up: a round after its vote, funded proposals, voters, grants."""

from datetime import date

from pdvsolutions.extensions import db
from pdvsolutions.models import (
    CommitteeMember,
    Need,
    NeedStatus,
    Organization,
    OrganizationMember,
    Proposal,
    ProposalStatus,
    Role,
    Round,
    RoundField,
    SignIn,
)
from pdvsolutions.rules.phases import ORDER, Phase
from pdvsolutions.timeutil import utcnow

from . import factories

_n = {"org": 0}
#: Valid SIRET numbers (Luhn) for test organisations.
SIRETS = ["73282932000074", "35600000000048", "44306184100047", "55203253400646",
          "38347481400100", "78925024300014"]


def make_organization(name: str = "Association Horizon", operator=None) -> Organization:
    siret = SIRETS[_n["org"] % len(SIRETS)]
    _n["org"] += 1
    org = Organization(name=name, legal_form="association", siret=siret,
                       rna=f"W13{_n['org']:07d}", verified_at=utcnow())
    db.session.add(org)
    db.session.flush()
    if operator is not None:
        db.session.add(OrganizationMember(organization_id=org.id, user_id=operator.id,
                                          is_admin=True))
        db.session.flush()
    return org


def make_round(phase: Phase = Phase.FOLLOW_UP, *, envelope_cents: int = 5_000_000,
               title: str = "Appel à solutions 2026", territory_name: str = "Marseille Nord",
               open_vote: bool = False) -> Round:
    round_ = Round(territory_id=factories.territory(territory_name).id, title=title,
                   phase=phase, envelope_cents=envelope_cents, open_vote=open_vote,
                   results_published_at=utcnow() if ORDER.index(phase) >= ORDER.index(Phase.RESULTS) else None,
                   fields=[RoundField(label="Éducation", position=0)])
    db.session.add(round_)
    db.session.flush()
    return round_


def make_need(round_: Round, title: str = "Soutien scolaire au collège") -> Need:
    need = Need(round_id=round_.id, field_id=round_.fields[0].id, title=title,
                description="Des cours du soir pour les collégiens.",
                status=NeedStatus.RETAINED)
    db.session.add(need)
    db.session.flush()
    return need


def make_proposal(round_: Round, org: Organization, *, title: str = "Cours du soir",
                  requested_cents: int = 1_200_000, funded: bool = True,
                  need: Need | None = None) -> Proposal:
    proposal = Proposal(round_id=round_.id, organization_id=org.id, title=title,
                        status=ProposalStatus.ELIGIBLE, requested_cents=requested_cents,
                        submitted_at=utcnow(), funded_at=utcnow() if funded else None,
                        needs=[need] if need is not None else [])
    db.session.add(proposal)
    db.session.flush()
    return proposal


def make_voter(round_: Round, *, signed: bool = True, committee: bool = True, **user_fields):
    """A resident of the committee who signed in to vote (émargement), unless told otherwise."""
    user = factories.make_user(Role.RESIDENT, **user_fields)
    if committee:
        db.session.add(CommitteeMember(round_id=round_.id, user_id=user.id,
                                       college="Conseil citoyen"))
    if signed:
        db.session.add(SignIn(round_id=round_.id, user_id=user.id))
    db.session.flush()
    return user


def follow_up_world(phase: Phase = Phase.FOLLOW_UP):
    """A round in ``phase`` with one funded and one unfunded proposal and an operator."""
    operator = factories.make_user(Role.OPERATOR)
    org = make_organization(operator=operator)
    round_ = make_round(phase)
    need = make_need(round_)
    funded = make_proposal(round_, org, need=need)
    other = make_proposal(round_, org, title="Atelier théâtre", funded=False)
    return {"round": round_, "operator": operator, "org": org, "funded": funded,
            "unfunded": other, "need": need}


GRANT_DATE = date(2026, 3, 2)
