"""All models, imported here so that Alembic and ``db.create_all`` see every table."""

from .audit import AuditEvent
from .committee import CommitteeMember, SignIn
from .followup import (
    ActionOutcome,
    CommentStatus,
    Evaluation,
    NeedOrigin,
    ProgressReport,
    Renew,
    ReportBudgetLine,
    ReportIndicator,
    ReportKind,
    ReportStatus,
)
from .grants import Grant, GrantYear, Instrument, Payment
from .needs import Need, NeedStatus, Support
from .organizations import (
    DocumentKind,
    LegalForm,
    Organization,
    OrganizationDocument,
    OrganizationMember,
)
from .outbox import OutboxMessage
from .proposals import (
    BudgetLine,
    Decision,
    FunderStatus,
    Indicator,
    Proposal,
    ProposalStatus,
    ProposalVersion,
    ProposalYear,
    ReviewDecision,
    proposal_needs,
)
from .rounds import BallotType, Round, RoundField, RoundMilestone, TallyRule
from .territories import Qpv, Territory, territory_qpvs
from .users import InvitationCode, PasswordResetToken, Role, User

__all__ = [
    "ActionOutcome",
    "CommentStatus",
    "Evaluation",
    "GrantYear",
    "NeedOrigin",
    "ProgressReport",
    "Renew",
    "ReportBudgetLine",
    "ReportIndicator",
    "ReportKind",
    "ReportStatus",
    "AuditEvent",
    "BudgetLine",
    "Decision",
    "DocumentKind",
    "FunderStatus",
    "Indicator",
    "OrganizationDocument",
    "ProposalVersion",
    "ProposalYear",
    "ReviewDecision",
    "BallotType",
    "CommitteeMember",
    "Grant",
    "Instrument",
    "InvitationCode",
    "LegalForm",
    "Need",
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
    "SignIn",
    "Support",
    "TallyRule",
    "Territory",
    "User",
    "proposal_needs",
    "territory_qpvs",
]
