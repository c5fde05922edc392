"""All models, imported here so that Alembic and ``db.create_all`` see every table."""

from .agreements import AgreementTranche, AnnualReview, MultiYearAgreement
from .audit import AuditEvent
from .committee import CommitteeMember, SignIn
from .funds import (
    Challenge,
    ContactEntry,
    DecisionOutcome,
    Fund,
    FundEntry,
    FundEntryKind,
    FundingDecision,
    PartnerKind,
    Prospect,
    Sprint,
    SprintBudgetLine,
    SprintCheckpoint,
    SprintJournalEntry,
)
from .grants import Grant, Instrument, Payment
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
from .security import RecoveryCode, TotpCredential
from .territories import Qpv, Territory, territory_qpvs
from .users import InvitationCode, PasswordResetToken, Role, User

__all__ = [
    "AgreementTranche", "AnnualReview", "Challenge", "ContactEntry", "DecisionOutcome", "Fund",
    "FundEntry", "FundEntryKind", "FundingDecision", "MultiYearAgreement", "PartnerKind",
    "Prospect", "Sprint", "SprintBudgetLine", "SprintCheckpoint", "SprintJournalEntry",
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
    "RecoveryCode",
    "Role",
    "Round",
    "RoundField",
    "RoundMilestone",
    "SignIn",
    "Support",
    "TallyRule",
    "Territory",
    "TotpCredential",
    "User",
    "proposal_needs",
    "territory_qpvs",
]
