"""Prototyping sprints: start, checkpoints, the shared journal and the deliverables."""

from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload, selectinload

from ..errors import DomainError
from ..extensions import db
from ..models import (
    OrganizationMember,
    Prospect,
    Sprint,
    SprintBudgetLine,
    SprintCheckpoint,
    SprintJournalEntry,
    User,
)
from ..rules import sprint_budget
from ..rules.pipeline import ProspectStatus
from ..rules.sprints import MAX_LENGTH_DAYS, CheckpointKind, checkpoint_dates, sprint_state
from ..timeutil import today, utcnow
from . import audit
from .sourcing import move_prospect

BUDGET_MESSAGES = {
    "empty": _l("Indiquez au moins une ligne de charges et une ligne de produits."),
    "bad_account": _l("Un compte de charges commence par 6 (ou 86), un compte de produits par 7 "
                      "(ou 87)."),
    "bad_amount": _l("Chaque montant doit être positif et au plus 10 000 000 €."),
    "unbalanced": _l("Le budget doit être équilibré : total des charges = total des produits."),
}


def start_sprint(prospect: Prospect, *, starts_on: date, length_days: int, coach: str) -> Sprint:
    """Start the sprint of a contacted structure, with its three checkpoints."""
    if prospect.sprint is not None:
        raise DomainError(_l("Cette structure a déjà un sprint."))
    if not 1 <= length_days <= MAX_LENGTH_DAYS:
        raise DomainError(_l("La durée doit être comprise entre 1 et 90 jours."),
                          field="length_days")
    if starts_on.year < 2000 or starts_on.year > today().year + 2:
        raise DomainError(_l("Cette date de début n'est pas plausible."), field="starts_on")
    move_prospect(prospect, ProspectStatus.SPRINT)
    sprint = Sprint(prospect=prospect, starts_on=starts_on, length_days=length_days, coach=coach)
    for kind, due_on in checkpoint_dates(starts_on, length_days).items():
        sprint.checkpoints.append(SprintCheckpoint(kind=kind, due_on=due_on))
    db.session.add(sprint)
    db.session.flush()
    audit.record("sprint.started", sprint, details={"starts_on": starts_on.isoformat(),
                                                    "length_days": length_days})
    return sprint


def state(sprint: Sprint, on: date | None = None):
    """Days left and the late flag, for ``on`` (today by default)."""
    return sprint_state(sprint.starts_on, sprint.length_days, on or today(), sprint.pitched)


def mark_checkpoint_done(checkpoint: SprintCheckpoint) -> None:
    """Tick a checkpoint; ticking the pitch moves the structure to "pitched"."""
    if checkpoint.done_at is not None:
        raise DomainError(_l("Ce jalon est déjà validé."))
    if checkpoint.due_on > today() and checkpoint.kind is not CheckpointKind.KICKOFF:
        # A pitch cannot be recorded before it is held; early work is noted in the journal.
        raise DomainError(_l("Ce jalon n'est pas encore arrivé à échéance."))
    checkpoint.done_at = utcnow()
    if checkpoint.kind is CheckpointKind.PITCH:
        move_prospect(checkpoint.sprint.prospect, ProspectStatus.PITCHED)
    db.session.flush()
    audit.record("sprint.checkpoint_done", checkpoint.sprint,
                 details={"checkpoint": checkpoint.kind.value})


def add_journal_entry(sprint: Sprint, author: User, body: str) -> SprintJournalEntry:
    entry = SprintJournalEntry(sprint=sprint, author_id=author.id, body=body)
    db.session.add(entry)
    db.session.flush()
    audit.record("sprint.journal_entry", sprint, details={"entry": entry.id})
    return entry


def save_deliverables(sprint: Sprint, *, prototype: str, indicators: str,
                      lines: list[sprint_budget.Line]) -> None:
    """Replace the deliverables; the budget must pass the pure checks."""
    errors = sprint_budget.budget_errors(lines)
    if errors:
        raise DomainError(BUDGET_MESSAGES[errors[0]], field="lines")
    sprint.prototype = prototype
    sprint.indicators = indicators
    sprint.budget_lines = [
        SprintBudgetLine(side=line.side, account=line.account, label=line.label,
                         amount_cents=line.amount_cents) for line in lines]
    sprint.deliverables_at = utcnow()
    db.session.flush()
    charges, _income = sprint_budget.totals(lines)
    audit.record("sprint.deliverables_saved", sprint, details={"budget_cents": charges})


def operator_sprint_ids(user: User) -> sa.Select:
    """Ids of the sprints of the user's organisations (the operator's only window)."""
    return (sa.select(Sprint.id).join(Prospect)
            .join(OrganizationMember,
                  OrganizationMember.organization_id == Prospect.organization_id)
            .where(OrganizationMember.user_id == user.id))


def sprint_for_operator(user: User, sprint_id: int) -> Sprint | None:
    """The sprint if it belongs to one of the user's organisations, else None."""
    return db.session.scalar(
        sa.select(Sprint).where(Sprint.id == sprint_id, Sprint.id.in_(operator_sprint_ids(user))))


#: What a list of sprints shows: the structure, the challenge and the checkpoints (state).
SPRINT_ROW = (joinedload(Sprint.prospect).joinedload(Prospect.challenge),
              joinedload(Sprint.prospect).joinedload(Prospect.organization),
              selectinload(Sprint.checkpoints))


def operator_sprints(user: User) -> list[Sprint]:
    return list(db.session.scalars(
        sa.select(Sprint).where(Sprint.id.in_(operator_sprint_ids(user)))
        .options(*SPRINT_ROW).order_by(Sprint.starts_on.desc())))
