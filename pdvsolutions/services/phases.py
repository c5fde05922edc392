"""Move a round to its next phase: check the pure rules, run the phase hooks, audit."""

from collections import defaultdict
from collections.abc import Callable

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from ..errors import DomainError
from ..extensions import db
from ..models import Need, NeedStatus, Proposal, ProposalStatus, Round, SignIn, User
from ..rules.phases import Phase, RoundFacts, blockers
from . import audit

BLOCKER_MESSAGES = {
    "backwards": _l("Une phase ne peut pas revenir en arrière."),
    "skip": _l("On ne peut passer qu'à la phase suivante."),
    "envelope_missing": _l("L'enveloppe doit être supérieure à zéro."),
    "no_retained_need": _l("Retenez au moins une solution attendue pour l'appel."),
    "undecided_proposals": _l("Toutes les propositions doivent être instruites."),
    "no_eligible_proposal": _l("Au moins une proposition doit être recevable."),
    "results_not_published": _l("Publiez les résultats avant de passer au suivi."),
}

#: Phase → functions called with (round, actor) when a round enters that phase, inside the
#: same transaction (e.g. the vote freezes its voter roll). Features register with on_enter.
_HOOKS: dict[Phase, list[Callable[[Round, User], None]]] = defaultdict(list)


def on_enter(phase: Phase):
    """Decorator registering a hook run when a round enters ``phase``."""

    def register(func):
        _HOOKS[phase].append(func)
        return func

    return register


def round_facts(round_: Round) -> RoundFacts:
    """Gather what the transition rules need, in a few aggregate queries."""

    def count(query) -> int:
        return db.session.scalar(sa.select(sa.func.count()).select_from(query.subquery()))

    proposals = sa.select(Proposal.id).where(
        Proposal.round_id == round_.id, Proposal.status != ProposalStatus.DRAFT
    )
    return RoundFacts(
        phase=round_.phase,
        envelope_cents=round_.envelope_cents,
        retained_needs=count(sa.select(Need.id).where(
            Need.round_id == round_.id, Need.status == NeedStatus.RETAINED)),
        undecided_proposals=count(proposals.where(Proposal.status.in_(
            [ProposalStatus.SUBMITTED, ProposalStatus.REVISION_REQUESTED]))),
        eligible_proposals=count(proposals.where(Proposal.status == ProposalStatus.ELIGIBLE)),
        ballots=count(sa.select(SignIn.id).where(SignIn.round_id == round_.id)),
        results_published=round_.results_published_at is not None,
    )


def change_phase(round_: Round, target: Phase, actor: User) -> Round:
    """Move ``round_`` to ``target`` or raise DomainError with every reason it cannot."""
    # Lock the round row so two staff members cannot move it twice at once (PostgreSQL).
    # FOR NO KEY UPDATE, not FOR UPDATE: rows that point to the round (a ballot, a sign-in)
    # stay insertable meanwhile, otherwise closing the vote while a ballot holds the voter
    # roll deadlocks (tests/concurrency/test_vote_close_race_pg.py).
    db.session.execute(sa.select(Round.id).where(Round.id == round_.id)
                       .with_for_update(key_share=True))
    db.session.refresh(round_)
    reasons = blockers(round_facts(round_), target)
    if reasons:
        audit.record("round.phase_change", round_, outcome="failure",
                     details={"from": round_.phase.value, "to": target.value, "reasons": reasons})
        raise DomainError(" ".join(str(BLOCKER_MESSAGES[r]) for r in reasons))
    previous = round_.phase
    round_.phase = target
    for hook in _HOOKS[target]:
        hook(round_, actor)
    db.session.flush()
    audit.record("round.phase_change", round_,
                 details={"from": previous.value, "to": target.value})
    return round_
