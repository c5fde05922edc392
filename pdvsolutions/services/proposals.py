"""Proposals: drafts, budget, indicators, submission with a sworn statement, conflicts."""

import json

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload, selectinload

from ..errors import DomainError
from ..extensions import db
from ..models import (
    BudgetLine,
    CommitteeMember,
    FunderStatus,
    Indicator,
    Need,
    NeedStatus,
    Organization,
    OrganizationMember,
    Proposal,
    ProposalStatus,
    ProposalVersion,
    ProposalYear,
    Round,
    User,
)
from ..rules import budget
from ..rules.phases import ORDER, Phase
from ..timeutil import as_utc, utcnow
from . import audit

PROBLEM_MESSAGES = {
    "no_charges": _l("Le budget n'a aucune charge (comptes 60 à 68)."),
    "income_covers_charges": _l(
        "Budget déséquilibré : les autres recettes couvrent déjà toutes les charges, il n'y a "
        "rien à demander à l'appel à solutions."),
    "over_envelope": _l("Le montant demandé dépasse l'enveloppe de l'appel à solutions."),
    "contributions_unbalanced": _l(
        "Budget déséquilibré : les contributions volontaires en nature doivent être égales "
        "en charges (86) et en produits (87)."),
    "dates_missing": _l("Indiquez les dates de début et de fin de l'action."),
    "dates_order": _l("La date de fin doit suivre la date de début."),
    "too_long": _l("L'action dure plus longtemps que ce que l'appel finance."),
    "split_missing": _l("Répartissez le montant demandé par année (l'action dure plus d'un an)."),
    "split_sum": _l("La répartition par année doit être égale au montant demandé."),
    "no_need": _l("Choisissez au moins une solution attendue à laquelle l'action répond."),
    "sheet_incomplete": _l("Complétez la fiche action : objectifs, description et public visé."),
    "no_indicator": _l("Ajoutez au moins un indicateur d'évaluation."),
}
#: Phases in which eligible proposals are public (after the review).
PUBLIC_PHASES = ORDER[ORDER.index(Phase.VOTE):]


# --- reading -------------------------------------------------------------------------------

def open_rounds() -> list[Round]:
    """Rounds whose call is open now (phase ``call`` and deadline not passed)."""
    now = utcnow()
    rounds = db.session.scalars(sa.select(Round).where(Round.phase == Phase.CALL)
                                .order_by(Round.call_deadline)).all()
    return [r for r in rounds if r.call_deadline is None or as_utc(r.call_deadline) > now]


def retained_needs(round_: Round) -> list[Need]:
    return list(db.session.scalars(sa.select(Need).where(
        Need.round_id == round_.id, Need.status == NeedStatus.RETAINED).order_by(Need.title)))


def proposals_of(user: User) -> list[Proposal]:
    """Proposals of every organisation the user belongs to, newest first."""
    return list(db.session.scalars(
        sa.select(Proposal).join(OrganizationMember,
                                 OrganizationMember.organization_id == Proposal.organization_id)
        .where(OrganizationMember.user_id == user.id).order_by(Proposal.id.desc())))


def is_member(user: User, proposal: Proposal) -> bool:
    return db.session.scalar(sa.select(OrganizationMember.id).where(
        OrganizationMember.organization_id == proposal.organization_id,
        OrganizationMember.user_id == user.id)) is not None


def lines_of(owner) -> list[budget.Line]:
    """The budget lines of a proposal (or of a sprint) as plain values for ``rules.budget``."""
    return [budget.Line(line.account, line.amount_cents) for line in owner.budget_lines]


def summary(proposal: Proposal) -> budget.Summary:
    return budget.summarize(lines_of(proposal))


def year_count(proposal: Proposal) -> int:
    if proposal.start_on and proposal.end_on and proposal.end_on >= proposal.start_on:
        return budget.year_count(proposal.start_on, proposal.end_on)
    return 1


def submission_problems(proposal: Proposal) -> list[str]:
    """Every code that prevents submission (budget, dates, split, sheet), in display order."""
    problems = []
    if not proposal.needs:
        problems.append("no_need")
    if not (proposal.objectives and proposal.description and proposal.target_public):
        problems.append("sheet_incomplete")
    problems += budget.dates_problems(proposal.start_on, proposal.end_on,
                                      proposal.round.max_duration_months)
    problems += budget.budget_problems(lines_of(proposal), proposal.round.envelope_cents)
    if not problems:
        problems += budget.split_problems([y.amount_cents for y in proposal.years],
                                          proposal.requested_cents, year_count(proposal))
    if not proposal.indicators:
        problems.append("no_indicator")
    return problems


def edit_refusal(proposal: Proposal) -> str | None:
    """Why the operator may not edit now (a readable message), or None when editing is open."""
    now = utcnow()
    if proposal.status is ProposalStatus.REVISION_REQUESTED:
        if proposal.revision_deadline and as_utc(proposal.revision_deadline) <= now:
            return _("Le délai de révision est dépassé.")
        return None
    if proposal.status is not ProposalStatus.DRAFT:
        return _("Une proposition déposée ne peut plus être modifiée.")
    round_ = proposal.round
    if round_.phase is not Phase.CALL:
        return _("L'appel à solutions n'est pas ouvert.")
    if round_.call_deadline and as_utc(round_.call_deadline) <= now:
        return _("La date limite de dépôt est passée.")
    return None


def can_edit(proposal: Proposal) -> bool:
    return edit_refusal(proposal) is None


def _require_editable(proposal: Proposal) -> None:
    refusal = edit_refusal(proposal)
    if refusal:
        raise DomainError(refusal)


# --- writing -------------------------------------------------------------------------------

def _check_needs(round_: Round, need_ids: list[int]) -> list[Need]:
    needs = [n for n in retained_needs(round_) if n.id in set(need_ids)]
    if not needs or len(needs) != len(set(need_ids)):
        raise DomainError(PROBLEM_MESSAGES["no_need"], field="need_ids")
    return needs


def _check_qpvs(round_: Round, codes: list[str]) -> str:
    for code in codes:
        if not round_.territory.includes(code):
            raise DomainError(_("Ce quartier n'appartient pas au territoire de l'appel."),
                              field="qpv_codes")
    return " ".join(sorted(set(codes)))


def create_proposal(user: User, organization: Organization, round_: Round, *, title: str,
                    need_ids: list[int]) -> Proposal:
    """Start a draft for an organisation the user belongs to, in a round whose call is open."""
    if round_ not in open_rounds():
        raise DomainError(_("Cet appel à solutions n'accepte pas de proposition."),
                          field="round_id")
    proposal = Proposal(round=round_, organization=organization, title=title.strip(),
                        needs=_check_needs(round_, need_ids), created_by_id=user.id)
    db.session.add(proposal)
    db.session.flush()
    audit.record("proposal.create", proposal, details={"organization": organization.id})
    return proposal


def update_sheet(proposal: Proposal, user: User, *, need_ids: list[int], qpv_codes: list[str],
                 **fields) -> Proposal:
    """Save the project sheet of a draft (or of a proposal under revision)."""
    _require_editable(proposal)
    problems = budget.dates_problems(fields["start_on"], fields["end_on"],
                                     proposal.round.max_duration_months)
    if problems:
        raise DomainError(PROBLEM_MESSAGES[problems[0]], field="end_on")
    proposal.needs = _check_needs(proposal.round, need_ids)
    proposal.qpv_codes = _check_qpvs(proposal.round, qpv_codes)
    for key, value in fields.items():
        setattr(proposal, key, value.strip() if isinstance(value, str) else value)
    if year_count(proposal) < len(proposal.years):
        proposal.years = proposal.years[:year_count(proposal)]
    proposal.updated_at = utcnow()
    audit.record("proposal.update", proposal)
    return proposal


def _recompute(proposal: Proposal) -> None:
    db.session.flush()
    db.session.refresh(proposal, ["budget_lines"])
    proposal.requested_cents = budget.requested_cents(lines_of(proposal))
    proposal.updated_at = utcnow()


def budget_line_fields(*, account: str, label: str, amount_cents: int, funder: str | None,
                       funder_status: FunderStatus | None) -> dict:
    """The columns of a valid budget line, of a proposal or of a sprint's deliverables.

    74 lines need a co-funder and its status, others have none; DomainError otherwise.
    """
    if account not in budget.ALL_ACCOUNTS:
        raise DomainError(_("Choisissez un compte dans la liste."), field="account")
    if not 0 < amount_cents <= budget.MAX_LINE_CENTS:
        raise DomainError(_("Indiquez un montant positif d'au plus 10 millions d'euros."),
                          field="amount")
    if account == budget.COFUNDING_ACCOUNT:
        if not funder or funder_status is None:
            raise DomainError(_("Pour une subvention (74), indiquez le financeur et si elle "
                                "est demandée ou obtenue."), field="funder")
    else:
        funder = funder_status = None
    return {"account": account, "label": label.strip(), "amount_cents": amount_cents,
            "funder": funder, "funder_status": funder_status}


def add_budget_line(proposal: Proposal, user: User, *, account: str, label: str,
                    amount_cents: int, funder: str | None = None,
                    funder_status: FunderStatus | None = None) -> BudgetLine:
    """Add a budget line; 74 lines need a co-funder and its status, others have none."""
    _require_editable(proposal)
    line = BudgetLine(proposal=proposal, **budget_line_fields(
        account=account, label=label, amount_cents=amount_cents, funder=funder,
        funder_status=funder_status))
    db.session.add(line)
    _recompute(proposal)
    audit.record("proposal.budget_line_add", proposal,
                 details={"account": account, "amount_cents": amount_cents})
    return line


def delete_budget_line(proposal: Proposal, user: User, line: BudgetLine) -> None:
    _require_editable(proposal)
    db.session.delete(line)
    _recompute(proposal)
    audit.record("proposal.budget_line_delete", proposal, details={"line": line.id})


def set_split(proposal: Proposal, user: User, amounts: list[int]) -> None:
    """Record the per-year split of the requested amount (checked again at submission)."""
    _require_editable(proposal)
    if year_count(proposal) <= 1:
        raise DomainError(_("L'action dure un an ou moins : pas de répartition par année."),
                          field="year_1")
    problems = budget.split_problems(amounts, proposal.requested_cents, year_count(proposal))
    if problems:
        raise DomainError(PROBLEM_MESSAGES[problems[0]], field="year_1")
    proposal.years = [ProposalYear(year_index=i, amount_cents=a)
                      for i, a in enumerate(amounts, start=1)]
    audit.record("proposal.split", proposal, details={"amounts": amounts})


def add_indicator(proposal: Proposal, user: User, *, label: str, target: int,
                  unit: str) -> Indicator:
    _require_editable(proposal)
    indicator = Indicator(proposal=proposal, label=label.strip(), target=target,
                          unit=unit.strip())
    db.session.add(indicator)
    db.session.flush()
    audit.record("proposal.indicator_add", proposal)
    return indicator


def delete_indicator(proposal: Proposal, user: User, indicator: Indicator) -> None:
    _require_editable(proposal)
    db.session.delete(indicator)
    db.session.flush()
    audit.record("proposal.indicator_delete", proposal)


def snapshot(proposal: Proposal) -> dict:
    """A plain copy of what the operator submitted (kept in the versions history)."""
    return {
        "title": proposal.title,
        "needs": [n.id for n in proposal.needs],
        "objectives": proposal.objectives,
        "description": proposal.description,
        "target_public": proposal.target_public,
        "beneficiaries": proposal.beneficiaries,
        "qpv_codes": proposal.qpv_codes,
        "start_on": proposal.start_on.isoformat() if proposal.start_on else None,
        "end_on": proposal.end_on.isoformat() if proposal.end_on else None,
        "human_means": proposal.human_means,
        "budget": [{"account": b.account, "label": b.label, "amount_cents": b.amount_cents,
                    "funder": b.funder,
                    "funder_status": b.funder_status.value if b.funder_status else None}
                   for b in proposal.budget_lines],
        "requested_cents": proposal.requested_cents,
        "years": [y.amount_cents for y in proposal.years],
        "indicators": [{"label": i.label, "target": i.target, "unit": i.unit}
                       for i in proposal.indicators],
        "signer": [proposal.signer_name, proposal.signer_role],
    }


def submit_proposal(proposal: Proposal, user: User, *, signer_name: str,
                    signer_role: str) -> Proposal:
    """Submit (or resubmit after a revision) with the sworn statement; a version is kept."""
    _require_editable(proposal)
    if proposal.organization.verified_at is None:
        raise DomainError(_("Votre structure doit être vérifiée par la métropole avant de "
                            "déposer une proposition."))
    problems = submission_problems(proposal)
    if problems:
        raise DomainError(" ".join(str(PROBLEM_MESSAGES[p]) for p in problems))
    resubmission = proposal.status is ProposalStatus.REVISION_REQUESTED
    proposal.signer_name, proposal.signer_role = signer_name.strip(), signer_role.strip()
    proposal.signed_at = proposal.submitted_at = utcnow()
    proposal.status = ProposalStatus.SUBMITTED
    proposal.revision_deadline = None
    number = len(proposal.versions) + 1
    proposal.versions.append(ProposalVersion(
        number=number, snapshot=json.dumps(snapshot(proposal), ensure_ascii=False),
        created_by_id=user.id))
    db.session.flush()
    audit.record("proposal.resubmit" if resubmission else "proposal.submit", proposal,
                 details={"version": number, "requested_cents": proposal.requested_cents})
    return proposal


# --- conflicts of interest -----------------------------------------------------------------

def conflicted_organization_ids(round_: Round, user: User) -> set[int]:
    """Organisations applying to ``round_`` (a non-draft proposal) of which ``user`` is a
    member, when ``user`` sits on the round's committee. Empty for anyone else."""
    if db.session.scalar(sa.select(CommitteeMember.id).where(
            CommitteeMember.round_id == round_.id, CommitteeMember.user_id == user.id)) is None:
        return set()
    return set(db.session.scalars(
        sa.select(Proposal.organization_id).distinct()
        .join(OrganizationMember, OrganizationMember.organization_id == Proposal.organization_id)
        .where(Proposal.round_id == round_.id, Proposal.status != ProposalStatus.DRAFT,
               OrganizationMember.user_id == user.id)))


def round_conflicts(round_: Round) -> list[tuple[User, Organization]]:
    """Every (committee member, applying organisation they belong to) pair of the round."""
    rows = db.session.execute(
        sa.select(User, Organization).distinct()
        .join(CommitteeMember, CommitteeMember.user_id == User.id)
        .join(OrganizationMember, OrganizationMember.user_id == User.id)
        .join(Organization, Organization.id == OrganizationMember.organization_id)
        .join(Proposal, Proposal.organization_id == Organization.id)
        .where(CommitteeMember.round_id == round_.id, Proposal.round_id == round_.id,
               Proposal.status != ProposalStatus.DRAFT)
        .order_by(Organization.name, User.id)).all()
    return [(user, organization) for user, organization in rows]


def conflicts_of(user: User) -> list[tuple[Round, Organization]]:
    """The rounds where ``user`` sits on the committee while one of their organisations applies."""
    rows = db.session.execute(
        sa.select(Round, Organization).distinct()
        .join(CommitteeMember, CommitteeMember.round_id == Round.id)
        .join(Proposal, Proposal.round_id == Round.id)
        .join(Organization, Organization.id == Proposal.organization_id)
        .join(OrganizationMember, OrganizationMember.organization_id == Organization.id)
        .where(CommitteeMember.user_id == user.id, OrganizationMember.user_id == user.id,
               Proposal.status != ProposalStatus.DRAFT)).all()
    return [(round_, organization) for round_, organization in rows]


# --- public --------------------------------------------------------------------------------

def public_proposals(round_: Round) -> list[Proposal]:
    """Eligible proposals of a round once the review is over; nothing before."""
    if round_.phase not in PUBLIC_PHASES:
        return []
    return list(db.session.scalars(sa.select(Proposal).where(
        Proposal.round_id == round_.id, Proposal.status == ProposalStatus.ELIGIBLE)
        .options(joinedload(Proposal.organization), selectinload(Proposal.needs))
        .order_by(Proposal.title)))


def is_public(proposal: Proposal) -> bool:
    return proposal.status is ProposalStatus.ELIGIBLE and proposal.round.phase in PUBLIC_PHASES
