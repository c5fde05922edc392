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
from .needs import Need, NeedRevision, NeedStatus, Support
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
from .rounds import BallotType, Round, RoundField, RoundMilestone, RoundYearSplit, TallyRule
from .security import RecoveryCode, TotpCredential
from .territories import Qpv, Territory, territory_qpvs
from .users import InvitationCode, PasswordResetToken, Role, User
from .voting import Ballot, BallotLine, RoundResult, VoterRoll, VoterRollEntry

__all__ = [
    "ActionOutcome",
    "Ballot",
    "BallotLine",
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
    "RoundResult",
    "VoterRoll",
    "VoterRollEntry",
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
    "RecoveryCode",
    "Role",
    "Round",
    "RoundField",
    "RoundMilestone",
    "RoundYearSplit",
    "SignIn",
    "Support",
    "TallyRule",
    "Territory",
    "TotpCredential",
    "User",
    "proposal_needs",
    "territory_qpvs",
]
