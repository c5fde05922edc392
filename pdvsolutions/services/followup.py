"""Progress reports of funded actions: operators submit, staff acknowledge or ask for more."""

from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from ..errors import DomainError, NotAllowed
from ..extensions import db
from ..models import (
    Grant,
    OrganizationMember,
    ProgressReport,
    Proposal,
    ReportBudgetLine,
    ReportIndicator,
    ReportKind,
    ReportStatus,
    Role,
    Round,
    User,
)
from ..rules.phases import Phase
from ..timeutil import utcnow
from . import audit, committee

#: Phases during which operators report on their funded actions.
REPORT_PHASES = (Phase.FOLLOW_UP, Phase.EVALUATION)
#: Phases in which a round's funded actions are followed: their follow-up pages exist.
FOLLOWED_PHASES = (Phase.FOLLOW_UP, Phase.EVALUATION, Phase.CLOSED)


@dataclass(frozen=True)
class IndicatorInput:
    label: str
    target: int
    achieved: int
    unit: str = ""


@dataclass(frozen=True)
class BudgetLineInput:
    account_code: str
    label: str
    planned_cents: int
    actual_cents: int


def member_organization_ids(user: User) -> set[int]:
    """Ids of the organisations ``user`` belongs to."""
    return set(db.session.scalars(
        sa.select(OrganizationMember.organization_id).where(OrganizationMember.user_id == user.id)))


def can_report_on(user: User, proposal: Proposal) -> bool:
    """An operator reports only on funded actions of an organisation they belong to."""
    return proposal.funded_at is not None and \
        proposal.organization_id in member_organization_ids(user)


def funded_proposals_of(user: User) -> list[Proposal]:
    """Funded proposals of every organisation the operator belongs to."""
    org_ids = member_organization_ids(user)
    if not org_ids:
        return []
    return list(db.session.scalars(
        sa.select(Proposal).where(Proposal.organization_id.in_(org_ids),
                                  Proposal.funded_at.is_not(None))
        .order_by(Proposal.id.desc())))


def reports_of(proposal: Proposal, *, acknowledged_only: bool = False) -> list[ProgressReport]:
    return reports_by_proposal([proposal], acknowledged_only=acknowledged_only)[proposal.id]


def reports_by_proposal(proposals: list[Proposal], *, acknowledged_only: bool = False
                        ) -> dict[int, list[ProgressReport]]:
    """The reports of each proposal, oldest first, with their indicators and budget lines:
    three queries whatever the number of proposals."""
    query = (sa.select(ProgressReport)
             .where(ProgressReport.proposal_id.in_([p.id for p in proposals]))
             .options(selectinload(ProgressReport.indicators),
                      selectinload(ProgressReport.budget_lines)))
    if acknowledged_only:
        query = query.where(ProgressReport.status == ReportStatus.ACKNOWLEDGED)
    found: dict[int, list[ProgressReport]] = {p.id: [] for p in proposals}
    for report in db.session.scalars(query.order_by(ProgressReport.submitted_at,
                                                    ProgressReport.id)):
        found[report.proposal_id].append(report)
    return found


def can_read_all_reports(user: User, round_: Round) -> bool:
    """The round's committee reads every report of its funded actions, acknowledged or not;
    everyone else reads only the acknowledged ones (on the public pages)."""
    return bool(user.is_authenticated and user.role is Role.RESIDENT
                and round_.phase in FOLLOWED_PHASES and committee.is_member(round_, user))


@dataclass(frozen=True)
class FollowedAction:
    """A funded action with its grant (if recorded yet) and the reports one may read."""

    proposal: Proposal
    grant: Grant | None
    reports: list[ProgressReport]


def followed_actions(round_: Round, *, acknowledged_only: bool,
                     proposal: Proposal | None = None) -> list[FollowedAction]:
    """The funded actions of ``round_`` (or only ``proposal``) with their grant and reports.

    ``acknowledged_only`` is the public view: reports staff have not acknowledged are left out.
    A fixed number of queries, whatever the number of actions.
    """
    query = sa.select(Proposal).where(Proposal.round_id == round_.id,
                                      Proposal.funded_at.is_not(None))
    if proposal is not None:
        query = query.where(Proposal.id == proposal.id)
    proposals = list(db.session.scalars(
        query.options(selectinload(Proposal.organization)).order_by(Proposal.title)))
    reports = reports_by_proposal(proposals, acknowledged_only=acknowledged_only)
    grants = {g.proposal_id: g for g in db.session.scalars(
        sa.select(Grant).where(Grant.proposal_id.in_([p.id for p in proposals]))
        .options(selectinload(Grant.payments)))}
    return [FollowedAction(p, grants.get(p.id), reports[p.id]) for p in proposals]


def submit_report(proposal: Proposal, actor: User, *, kind: ReportKind, done: str,
                  people_reached: int, indicators: list[IndicatorInput],
                  budget_lines: list[BudgetLineInput]) -> ProgressReport:
    """Record an interim or final report; one final report stands at a time."""
    if not can_report_on(actor, proposal):
        raise NotAllowed(_l("Vous ne pouvez pas rendre compte de cette action."))
    if proposal.round.phase not in REPORT_PHASES:
        raise DomainError(_l("Les bilans se déposent pendant le suivi ou l'évaluation."))
    if people_reached < 0:
        raise DomainError(_l("Le nombre de personnes doit être positif."), field="people_reached")
    if not budget_lines:
        raise DomainError(_l("Indiquez au moins une ligne du compte rendu financier."),
                          field="budget_lines")
    if kind is ReportKind.FINAL:
        standing = db.session.scalar(sa.select(ProgressReport.id).where(
            ProgressReport.proposal_id == proposal.id, ProgressReport.kind == ReportKind.FINAL,
            ProgressReport.status != ReportStatus.MORE_REQUESTED))
        if standing is not None:
            raise DomainError(_l("Le bilan final de cette action est déjà déposé."), field="kind")
    report = ProgressReport(
        proposal_id=proposal.id, kind=kind, done=done.strip(), people_reached=people_reached,
        submitted_by_id=actor.id,
        indicators=[ReportIndicator(label=i.label, target=i.target, achieved=i.achieved,
                                    unit=i.unit) for i in indicators],
        budget_lines=[ReportBudgetLine(account_code=b.account_code, label=b.label,
                                       planned_cents=b.planned_cents,
                                       actual_cents=b.actual_cents) for b in budget_lines],
    )
    db.session.add(report)
    db.session.flush()
    audit.record("report.submit", report, actor=actor,
                 details={"proposal": proposal.id, "kind": kind.value})
    return report


def review_report(report: ProgressReport, actor: User, status: ReportStatus,
                  comment: str = "") -> ProgressReport:
    """Staff acknowledge a submitted report, or ask for more with a message."""
    if report.status is not ReportStatus.SUBMITTED:
        raise DomainError(_l("Ce bilan a déjà été traité."))
    if status is ReportStatus.MORE_REQUESTED and not comment.strip():
        raise DomainError(_l("Expliquez ce qui manque."), field="comment")
    report.status = status
    report.staff_comment = comment.strip() or None
    report.reviewed_by_id = actor.id
    report.reviewed_at = utcnow()
    db.session.flush()
    audit.record("report.review", report, actor=actor,
                 details={"status": status.value, "comment": report.staff_comment})
    return report
