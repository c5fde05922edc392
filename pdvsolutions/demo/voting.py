"""Demo of the vote: a round in vote (three of twelve members have voted), a round with
published results, and a round imported from a real Pabulib election."""

import random
from importlib import resources

import sqlalchemy as sa

from ..extensions import db
from ..models import (
    BallotType,
    CommitteeMember,
    LegalForm,
    Organization,
    Proposal,
    ProposalStatus,
    Round,
    TallyRule,
    Territory,
    User,
)
from ..rules.pabulib import read_pb
from ..rules.phases import Phase
from ..services import phases, voting
from ..services.voting_pabulib import import_election
from .accounts import TERRITORIES

VOTE_TITLE = "Appel à solutions 2026 – Malpassé (vote en cours)"
RESULTS_TITLE = "Appel à solutions 2025 – Saint-Barthélemy (résultats publiés)"
PABULIB_FILE = "Netherlands_Assen_2024.pb"
PABULIB_TITLE = "Assen Top Idee 2024 (élection réelle, Pabulib)"
COLLEGES = ["Association de parents d'élèves", "Conseil citoyen", "Collectif d'habitants"]

#: (organisation, SIRET, proposal title, cost in euros)
PROPOSALS = [
    ("Association Réussite 13", "44306184100047", "Tutorat vers les grandes écoles", 38_000),
    ("Régie de quartier Nord Littoral", "44306184100054", "Brigade anti-nuisibles", 27_000),
    ("Les Jardins de Malpassé", "44306184100062", "Jardin partagé au pied des tours", 19_500),
    ("Sport Ensemble 14", "44306184100070", "Foot et aide aux devoirs le mercredi", 24_000),
]


def _organization(name: str, siret: str) -> Organization:
    organization = db.session.scalar(sa.select(Organization).where(Organization.siret == siret))
    if organization is None:
        organization = Organization(name=name, legal_form=LegalForm.ASSOCIATION, siret=siret)
        db.session.add(organization)
        db.session.flush()
    return organization


def _round(title: str, territory: Territory, members: list[User], **settings) -> Round:
    """A round in review with the demo proposals, eligible, and a committee."""
    round_ = Round(title=title, territory_id=territory.id, envelope_cents=80_000_00,
                   phase=Phase.REVIEW, presentation="Démonstration.", **settings)
    db.session.add(round_)
    db.session.flush()
    for name, siret, proposal_title, euros in PROPOSALS:
        db.session.add(Proposal(round_id=round_.id, title=proposal_title,
                                organization_id=_organization(name, siret).id,
                                requested_cents=euros * 100, status=ProposalStatus.ELIGIBLE))
    for number, user in enumerate(members):
        db.session.add(CommitteeMember(round_id=round_.id, user_id=user.id,
                                       college=COLLEGES[number % len(COLLEGES)]))
    db.session.flush()
    return round_


def _vote(round_: Round, members: list[User], rng: random.Random) -> None:
    proposals = voting.ballot_proposals(round_)
    for member in members:
        choices, total = {}, 0
        for proposal in rng.sample(proposals, rng.randint(1, 3)):
            if total + proposal.requested_cents <= round_.envelope_cents:
                choices[proposal.id] = 1
                total += proposal.requested_cents
        voting.cast_ballot(round_, member, choices)


def load() -> str:
    existing = set(db.session.scalars(sa.select(Round.title)))
    staff = db.session.scalar(sa.select(User).where(User.email == "agent@demo.pdvsolutions.fr"))
    territory = db.session.scalar(
        sa.select(Territory).where(Territory.name == next(iter(TERRITORIES))))
    members = [db.session.scalar(sa.select(User).where(User.username == f"membre{n}"))
               for n in range(1, 13)]
    rng = random.Random(2026)  # noqa: S311 - demo choices, not a secret
    if VOTE_TITLE not in existing:
        round_ = _round(VOTE_TITLE, territory, members, ballot_type=BallotType.KNAPSACK)
        phases.change_phase(round_, Phase.VOTE, staff)
        _vote(round_, members[:3], rng)
    if RESULTS_TITLE not in existing:
        round_ = _round(RESULTS_TITLE, territory, members[:9],
                        tally_rule=TallyRule.EQUAL_SHARES)
        phases.change_phase(round_, Phase.VOTE, staff)
        _vote(round_, members[:8], rng)
        phases.change_phase(round_, Phase.RESULTS, staff)
        voting.tally_round(round_, staff)
        voting.publish_results(round_, staff)
    if PABULIB_TITLE not in existing:
        text = resources.files("pdvsolutions").joinpath(
            f"data/pabulib/{PABULIB_FILE}").read_text(encoding="utf-8-sig")
        round_ = import_election(read_pb(text), territory, staff, title=PABULIB_TITLE)
        voting.tally_round(round_, staff)
        voting.publish_results(round_, staff)
    return "demo: vote rounds ready (in vote, published results, Pabulib import)"
