"""All models, imported here so that Alembic and ``db.create_all`` see every table."""

from .audit import AuditEvent
from .committee import CommitteeMember, SignIn
from .grants import Grant, Instrument, Payment
from .needs import Need, NeedRevision, NeedStatus, Support
from .organizations import LegalForm, Organization, OrganizationMember
from .outbox import OutboxMessage
from .proposals import Proposal, ProposalStatus, proposal_needs
from .rounds import BallotType, Round, RoundField, RoundMilestone, RoundYearSplit, TallyRule
from .territories import Qpv, Territory, territory_qpvs
from .users import InvitationCode, PasswordResetToken, Role, User

__all__ = [
    "AuditEvent",
    "BallotType",
    "CommitteeMember",
    "Grant",
    "Instrument",
    "InvitationCode",
    "LegalForm",
    "Need",
    "NeedRevision",
    "NeedStatus",
    "Organization",
    "OrganizationMember",
    "OutboxMessage",
    "PasswordResetToken",
    "Payment",
    "Proposal",
    "ProposalStatus",
    "Qpv",
    "Role",
    "Round",
    "RoundField",
    "RoundMilestone",
    "RoundYearSplit",
    "SignIn",
    "Support",
    "TallyRule",
    "Territory",
    "User",
    "proposal_needs",
    "territory_qpvs",
]
