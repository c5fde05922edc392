"""Pabulib interoperability of the vote: export a round's anonymous ballots, import an election.

An imported election becomes a demo round whose vote is already closed:

* each Pabulib project is an eligible proposal of one demo organisation (cost in cents);
* the roll has one entry per Pabulib voter, with no account (``user_id`` is null) and the
  pseudonym ``sha256("pabulib:" + voter_id)[:32]``, so its fingerprint is reproducible from the
  file; a voter who did not vote cannot be represented (Pabulib lists only ballots);
* each ballot comes with an on-paper, anonymous sign-in (``user_id`` null), so that the board's
  ballots = sign-ins check holds; the urn is sealed at once (the vote is closed);
* a META rule ``equalshares/add1`` or ``equalshares/add1-comparison`` sets the round's
  completion of equal shares.
"""

import hashlib
from fractions import Fraction

import sqlalchemy as sa
from flask_babel import gettext as _

from ..errors import DomainError
from ..extensions import db
from ..models import (
    BallotType,
    Completion,
    LegalForm,
    Organization,
    Proposal,
    ProposalStatus,
    Round,
    SignIn,
    TallyRule,
    Territory,
    User,
    VoterRoll,
    VoterRollEntry,
)
from ..rules import board as board_rules
from ..rules.pabulib import Election, PbProject, PbVoter, format_number, write_pb
from ..rules.phases import Phase
from ..timeutil import utcnow
from . import audit, board, voting

#: SIRET of the demo organisation carrying imported projects (passes the Luhn check).
IMPORT_SIRET = "00000000000000"


def _cents(value) -> int:
    return int(Fraction(value) * 100)


def export_round(round_: Round) -> str:
    """The round's anonymous ballots as a .pb file (costs and budget in euros)."""
    data = voting.tally_input(round_)
    cumulative = data.vote_type == "cumulative"
    meta = {
        "description": round_.title, "country": "France", "unit": round_.territory.name,
        "instance": str(round_.created_at.year), "num_projects": str(len(data.projects)),
        "num_votes": str(len(data.ballots)), "budget": _euros(round_.envelope_cents),
        "vote_type": data.vote_type, "currency": "EUR",
        "rule": _meta_rule(round_),
    }
    titles = {str(p.id): p.title for p in voting.ballot_proposals(round_)}
    projects = [PbProject(p.id, Fraction(p.cost, 100), {"name": titles[p.id]})
                for p in data.projects]
    voters = []
    for number, ballot in enumerate(data.ballots, start=1):
        ids = sorted(ballot, key=int)
        voters.append(PbVoter(str(number), ids, [ballot[i] for i in ids] if cumulative else None))
    election = Election(meta, projects, voters, ["project_id", "cost", "name"],
                        ["voter_id", "vote", "points"] if cumulative else ["voter_id", "vote"])
    return write_pb(election)


def _meta_rule(round_: Round) -> str:
    """The Pabulib META rule of the round: greedy, equalshares or equalshares/<completion>."""
    if round_.tally_rule is not TallyRule.EQUAL_SHARES:
        return "greedy"
    completion = board.round_completion(round_)
    return "equalshares" if completion == Completion.NONE.value else f"equalshares/{completion}"


def _euros(cents: int) -> str:
    return format_number(Fraction(cents, 100))


def _organization() -> Organization:
    organization = db.session.scalar(
        sa.select(Organization).where(Organization.siret == IMPORT_SIRET))
    if organization is None:
        organization = Organization(name="Données Pabulib (démonstration)",
                                    legal_form=LegalForm.OTHER, siret=IMPORT_SIRET)
        db.session.add(organization)
        db.session.flush()
    return organization


def import_election(election: Election, territory: Territory, actor: User | None,
                    title: str | None = None) -> Round:
    """Create a round from a real election, close its vote and store its ballots."""
    if election.vote_type not in ("approval", "choose-1", "cumulative", "ordinal"):
        raise DomainError(_("Type de vote Pabulib non pris en charge."))
    if any(Fraction(p.cost) * 100 != _cents(p.cost) for p in election.projects):
        raise DomainError(_("Un coût a plus de deux décimales."))
    points = election.vote_type in ("cumulative", "ordinal")
    meta = election.meta
    round_ = Round(
        title=title or f"{meta.get('description', 'Pabulib')} ({meta.get('unit', '')} "
                       f"{meta.get('instance', '')})".strip(),
        territory_id=territory.id, envelope_cents=_cents(election.budget), phase=Phase.RESULTS,
        presentation=_("Élection réelle importée de Pabulib (pabulib.org)."),
        ballot_type=BallotType.CUMULATIVE if points else BallotType.APPROVAL,
        tally_rule=TallyRule.EQUAL_SHARES if election.rule.startswith("equalshares")
        else TallyRule.GREEDY,
        completion=Completion(election.completion),
    )
    db.session.add(round_)
    db.session.flush()
    organization = _organization()
    proposals = {}
    for project in election.projects:
        proposal = Proposal(round_id=round_.id, organization_id=organization.id,
                            title=(project.fields.get("name") or project.id)[:160],
                            requested_cents=_cents(project.cost),
                            status=ProposalStatus.ELIGIBLE, submitted_at=utcnow())
        db.session.add(proposal)
        proposals[project.id] = proposal
    db.session.flush()
    entries = [VoterRollEntry(user_id=None, pseudonym=hashlib.sha256(
        f"pabulib:{voter.id}".encode()).hexdigest()[:32]) for voter in election.voters]
    roll = VoterRoll(round_id=round_.id, size=len(entries), entries=entries,
                     fingerprint=board_rules.voter_roll_fingerprint(e.pseudonym for e in entries),
                     head_hash=board_rules.GENESIS, frozen_at=utcnow())
    db.session.add(roll)
    db.session.flush()
    for ballot in election.ballots():
        choices = {proposals[pid].id: int(value) for pid, value in ballot.items() if value}
        db.session.add(SignIn(round_id=round_.id, user_id=None, on_paper=True))
        voting.drop_in_urn(round_, choices)
    roll.closed_at = utcnow()
    voting.seal_urn(round_, roll)
    audit.record("vote.pabulib_imported", round_, actor=actor,
                 details={"voters": len(entries), "projects": len(proposals)})
    return round_
