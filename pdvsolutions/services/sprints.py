"""Prototyping sprints: start, checkpoints, the shared journal and the deliverables."""

from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload, selectinload

from ..errors import DomainError
from ..extensions import db
from ..models import (
    FunderStatus,
    OrganizationMember,
    Prospect,
    Sprint,
    SprintBudgetLine,
    SprintCheckpoint,
    SprintJournalEntry,
    User,
)
from ..rules import budget
from ..rules.pipeline import ProspectStatus
from ..rules.sprints import MAX_LENGTH_DAYS, CheckpointKind, checkpoint_dates, sprint_state
from ..timeutil import today, utcnow
from . import audit, proposals
from .sourcing import move_prospect

#: The proposals' budget rules (rules.budget), worded for a prototype funded by a fund.
BUDGET_MESSAGES = {
    "no_charges": _l("Le budget du prototype n'a aucune charge (comptes 60 à 68)."),
    "income_covers_charges": _l(
        "Budget déséquilibré : les autres recettes couvrent déjà toutes les charges, il n'y a "
        "rien à demander au fonds."),
    "contributions_unbalanced": _l(
        "Budget déséquilibré : les contributions volontaires en nature doivent être égales "
        "en charges (86) et en produits (87)."),
}
#: Once the structure is funded, declined or has dropped out, the deliverables are frozen.
CLOSED_STATUSES = (ProspectStatus.FUNDED, ProspectStatus.DECLINED, ProspectStatus.DROPPED)


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


def budget_summary(sprint: Sprint) -> budget.Summary:
    """The prototype's budget added up as the proposals' one; ``requested_cents`` is what the
    fund is asked for."""
    return budget.summarize(proposals.lines_of(sprint))


def budget_problems(sprint: Sprint) -> list[str]:
    """Codes of what is wrong with the prototype's budget (no envelope: the fund decides)."""
    return budget.budget_problems(proposals.lines_of(sprint), 0)


def _require_open(sprint: Sprint) -> None:
    if sprint.prospect.status in CLOSED_STATUSES:
        raise DomainError(_l("La décision est prise : les livrables ne sont plus modifiables."))


def add_budget_line(sprint: Sprint, author: User, *, account: str, label: str,
                    amount_cents: int, funder: str | None = None,
                    funder_status: FunderStatus | None = None) -> SprintBudgetLine:
    """Add a line to the prototype's budget: the proposals' form, accounts and checks."""
    _require_open(sprint)
    line = SprintBudgetLine(sprint=sprint, **proposals.budget_line_fields(
        account=account, label=label, amount_cents=amount_cents, funder=funder,
        funder_status=funder_status))
    db.session.add(line)
    db.session.flush()
    audit.record("sprint.budget_line_add", sprint, actor=author,
                 details={"account": account, "amount_cents": amount_cents})
    return line


def delete_budget_line(sprint: Sprint, author: User, line: SprintBudgetLine) -> None:
    _require_open(sprint)
    line_id = line.id
    sprint.budget_lines.remove(line)
    db.session.flush()
    audit.record("sprint.budget_line_delete", sprint, actor=author, details={"line": line_id})


def save_deliverables(sprint: Sprint, author: User, *, prototype: str, indicators: str) -> None:
    """Record the prototype and its indicators; its budget must pass the proposals' rules."""
    _require_open(sprint)
    problems = budget_problems(sprint)
    if problems:
        raise DomainError(BUDGET_MESSAGES[problems[0]])
    sprint.prototype = prototype
    sprint.indicators = indicators
    sprint.deliverables_at = utcnow()
    db.session.flush()
    audit.record("sprint.deliverables_saved", sprint, actor=author,
                 details={"requested_cents": budget_summary(sprint).requested_cents})


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
