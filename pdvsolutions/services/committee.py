"""The residents' committee of a round: designate members by college, flag conflicts."""

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from ..errors import DomainError
from ..extensions import db
from ..models import (
    CommitteeMember,
    Organization,
    OrganizationMember,
    Proposal,
    ProposalStatus,
    Role,
    Round,
    User,
)
from ..rules.phases import ORDER, Phase
from . import accounts, audit


def _check_editable(round_: Round) -> None:
    """The committee is set before the vote opens: the roll is frozen from then on."""
    if ORDER.index(round_.phase) >= ORDER.index(Phase.VOTE):
        raise DomainError(_("Le vote est ouvert : la liste des votants est arrêtée."))


def is_member(round_: Round, user: User) -> bool:
    """Whether ``user`` sits on the residents' committee of ``round_``."""
    return db.session.scalar(sa.select(CommitteeMember.id).where(
        CommitteeMember.round_id == round_.id, CommitteeMember.user_id == user.id)) is not None


def members(round_: Round) -> list[CommitteeMember]:
    return list(db.session.scalars(
        sa.select(CommitteeMember).where(CommitteeMember.round_id == round_.id)
        .options(joinedload(CommitteeMember.user))
        .order_by(CommitteeMember.college, CommitteeMember.id)))


def conflicts(round_: Round) -> dict[int, list[str]]:
    """Member user id → names of the applying organisations they belong to."""
    rows = db.session.execute(
        sa.select(OrganizationMember.user_id, Organization.name)
        .join(Organization, Organization.id == OrganizationMember.organization_id)
        .join(Proposal, Proposal.organization_id == Organization.id)
        .join(CommitteeMember, sa.and_(CommitteeMember.user_id == OrganizationMember.user_id,
                                       CommitteeMember.round_id == round_.id))
        .where(Proposal.round_id == round_.id, Proposal.status != ProposalStatus.DRAFT)
        .distinct())
    found: dict[int, list[str]] = {}
    for user_id, name in rows:
        found.setdefault(user_id, []).append(name)
    return found


def add_member(round_: Round, user: User, college: str, staff: User) -> CommitteeMember:
    """Designate a resident account as a member of the round's committee."""
    _check_editable(round_)
    if user.role is not Role.RESIDENT:
        raise DomainError(_("Seul un compte habitant peut siéger au comité."), field="login")
    if db.session.scalar(sa.select(CommitteeMember.id).where(
            CommitteeMember.round_id == round_.id, CommitteeMember.user_id == user.id)):
        raise DomainError(_("Cette personne est déjà membre du comité."), field="login")
    member = CommitteeMember(round_id=round_.id, user_id=user.id, college=college.strip())
    db.session.add(member)
    db.session.flush()
    audit.record("committee.member_added", round_, actor=staff,
                 details={"user": user.id, "college": member.college})
    return member


def create_member(round_: Round, staff: User, college: str, **account) -> tuple[User, str]:
    """Create a resident account with an invitation code and designate it."""
    _check_editable(round_)
    user, code = accounts.create_account(staff, role=Role.RESIDENT, **account)
    add_member(round_, user, college, staff)
    return user, code


def remove_member(round_: Round, member: CommitteeMember, staff: User) -> None:
    _check_editable(round_)
    db.session.delete(member)
    db.session.flush()
    audit.record("committee.member_removed", round_, actor=staff,
                 details={"user": member.user_id})


def set_open_vote(round_: Round, open_vote: bool, staff: User) -> None:
    """Open the vote to every resident of the territory, or back to the committee only."""
    _check_editable(round_)
    round_.open_vote = open_vote
    db.session.flush()
    audit.record("committee.open_vote_set", round_, actor=staff, details={"open": open_vote})
