"""Staff review of proposals: decisions with reasons, revisions, the review board."""

from collections import defaultdict
from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload, selectinload

from ..errors import DomainError
from ..extensions import db
from ..models import Decision, Proposal, ProposalStatus, ReviewDecision, Round, User
from ..rules.phases import Phase
from ..timeutil import utcnow
from . import audit, outbox

STATUS_FOR = {
    Decision.ELIGIBLE: ProposalStatus.ELIGIBLE,
    Decision.NOT_ELIGIBLE: ProposalStatus.NOT_ELIGIBLE,
    Decision.REVISION_REQUESTED: ProposalStatus.REVISION_REQUESTED,
}


def decide(proposal: Proposal, staff: User, decision: Decision, message: str,
           deadline: datetime | None = None) -> ReviewDecision:
    """Record a decision during ``review``; the operator is told (outbox) and it is audited."""
    if proposal.round.phase is not Phase.REVIEW:
        raise DomainError(_("Les propositions ne s'instruisent que pendant la phase "
                            "d'instruction."))
    if proposal.status is ProposalStatus.DRAFT:
        raise DomainError(_("Un brouillon non déposé ne s'instruit pas."))
    message = (message or "").strip()
    if decision is not Decision.ELIGIBLE and not message:
        raise DomainError(_("Expliquez la raison à l'opérateur."), field="message")
    if decision is Decision.REVISION_REQUESTED:
        if proposal.revisions_requested >= 1:
            raise DomainError(_("Une seule révision peut être demandée par proposition."),
                              field="decision")
        if deadline is None or deadline <= utcnow():
            raise DomainError(_("Fixez une date limite de révision dans le futur."),
                              field="deadline")
        proposal.revisions_requested += 1
        proposal.revision_deadline = deadline
    else:
        deadline = None
    row = ReviewDecision(proposal=proposal, decision=decision, message=message,
                         deadline=deadline, decided_by_id=staff.id)
    db.session.add(row)
    proposal.status = STATUS_FOR[decision]
    db.session.flush()
    audit.record("proposal.review", proposal,
                 details={"decision": decision.value, "message": message[:200]})
    _notify(proposal, row)
    return row


def _notify(proposal: Proposal, row: ReviewDecision) -> None:
    subjects = {
        Decision.ELIGIBLE: _("Votre proposition est recevable"),
        Decision.NOT_ELIGIBLE: _("Votre proposition n'est pas recevable"),
        Decision.REVISION_REQUESTED: _("Une révision de votre proposition est demandée"),
    }
    for member in proposal.organization.members:
        body = _("Bonjour %(name)s,\n\nDécision de la métropole sur « %(title)s » : %(subject)s."
                 "\n\n%(message)s\n", name=member.user.first_name, title=proposal.title,
                 subject=subjects[row.decision], message=row.message)
        outbox.queue_for_user(member.user, "proposal_review", subjects[row.decision], body)


def rounds_with_proposals() -> list[Round]:
    """Rounds that received at least one submitted proposal, newest first."""
    return list(db.session.scalars(
        sa.select(Round).where(Round.id.in_(sa.select(Proposal.round_id).where(
            Proposal.status != ProposalStatus.DRAFT))).order_by(Round.id.desc())))


def board(round_: Round) -> dict:
    """Submitted proposals of the round grouped by need (a proposal may answer several)."""
    proposals = db.session.scalars(sa.select(Proposal).where(
        Proposal.round_id == round_.id, Proposal.status != ProposalStatus.DRAFT)
        .options(selectinload(Proposal.needs), joinedload(Proposal.organization))
        .order_by(Proposal.status, Proposal.title)).all()
    groups: dict = defaultdict(list)
    for proposal in proposals:
        for need in proposal.needs:
            groups[need].append(proposal)
    counts: dict = defaultdict(int)
    for proposal in proposals:
        counts[proposal.status] += 1
    return {"groups": sorted(groups.items(), key=lambda item: item[0].title),
            "counts": dict(counts), "total": len(proposals)}
