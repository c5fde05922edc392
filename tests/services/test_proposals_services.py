"""Services of issue 4: organisations, documents, submission, review, conflicts."""

import io
import json
from datetime import timedelta

import pytest
import sqlalchemy as sa

from pdvsolutions.errors import DomainError
from pdvsolutions.extensions import db
from pdvsolutions.models import (
    AuditEvent,
    BudgetLine,
    CommitteeMember,
    Decision,
    DocumentKind,
    LegalForm,
    OutboxMessage,
    ProposalStatus,
    Role,
    User,
)
from pdvsolutions.rules.phases import Phase
from pdvsolutions.services import organizations as orgs
from pdvsolutions.services import proposals as props
from pdvsolutions.services import review
from pdvsolutions.timeutil import utcnow

from .. import factories
from .. import factories_proposals as fp

PROFILE = {"name": "Asso", "address": "1 rue A", "legal_rep_name": "N. K.",
           "legal_rep_role": "Présidente", "contact_email": "a@b.fr", "contact_phone": ""}


def _actions(action: str) -> int:
    return db.session.scalar(sa.select(sa.func.count()).where(AuditEvent.action == action))


def _submit(proposal, user):
    return props.submit_proposal(proposal, user, signer_name="Nadia Kacem",
                                 signer_role="Présidente")


def test_register_refuses_bad_siret_in_french(app_ctx):
    user = factories.make_user(Role.OPERATOR)
    with pytest.raises(DomainError) as error:
        orgs.register_organization(user, legal_form=LegalForm.ASSOCIATION,
                                   siret="73282932000075", rna=None, **PROFILE)
    assert error.value.field == "siret"
    assert "SIRET n'est pas valide" in str(error.value.message)


def test_register_refuses_bad_rna(app_ctx):
    user = factories.make_user(Role.OPERATOR)
    with pytest.raises(DomainError) as error:
        orgs.register_organization(user, legal_form=LegalForm.ASSOCIATION,
                                   siret="73282932000074", rna="X12", **PROFILE)
    assert error.value.field == "rna"


def test_register_makes_founder_admin_and_audits(app_ctx):
    user = factories.make_user(Role.OPERATOR)
    organization = orgs.register_organization(
        user, legal_form=LegalForm.ASSOCIATION, siret="732 829 320 00074", rna="w133012345",
        **PROFILE)
    assert organization.siret == "73282932000074" and organization.rna == "W133012345"
    assert organization.members[0].user_id == user.id and organization.members[0].is_admin
    assert organization.verified_at is None
    assert _actions("organization.register") == 1


def test_document_must_be_pdf(app_ctx):
    user, organization = fp.operator_with_org()
    with pytest.raises(DomainError, match="PDF"):
        orgs.store_document(organization, user, DocumentKind.STATUTES, "x.pdf",
                            io.BytesIO(b"MZ\x90\x00 not a pdf"))


def test_document_too_large_is_refused(app_ctx):
    user, organization = fp.operator_with_org()
    data = b"%PDF-" + b"0" * orgs.MAX_DOCUMENT_BYTES
    with pytest.raises(DomainError, match="5 Mo"):
        orgs.store_document(organization, user, DocumentKind.STATUTES, "x.pdf", io.BytesIO(data))


def test_document_stored_outside_static_with_hash(app_ctx):
    user, organization = fp.operator_with_org()
    document = orgs.store_document(organization, user, DocumentKind.ACCOUNTS,
                                   "../../etc/comptes 2025.pdf", io.BytesIO(b"%PDF-1.7 x"))
    path = orgs.document_file(document)
    assert path.read_bytes() == b"%PDF-1.7 x"
    assert "static" not in str(path)
    assert document.filename == "comptes 2025.pdf"
    assert len(document.sha256) == 64


def test_invite_creates_operator_account_and_mails_code(app_ctx):
    admin, organization = fp.operator_with_org()
    with app_ctx.test_request_context():  # the mail holds a link to the activation page
        member, code = orgs.invite_member(organization, admin, email="Nouveau@Asso.fr",
                                          first_name="Léa", last_name="Roux")
    user = db.session.get(User, member.user_id)
    assert user.role is Role.OPERATOR and user.password_hash is None
    message = db.session.scalar(sa.select(OutboxMessage).where(
        OutboxMessage.kind == "organization_invitation"))
    assert message.to_address == "nouveau@asso.fr" and code in message.body


def test_invite_refuses_resident_account(app_ctx):
    admin, organization = fp.operator_with_org()
    resident = factories.make_user(Role.RESIDENT)
    with pytest.raises(DomainError):
        orgs.invite_member(organization, admin, email=resident.email, first_name="A",
                           last_name="")


def test_submit_balanced_proposal_keeps_version_and_audits(app_ctx):
    user, organization = fp.operator_with_org()
    proposal = fp.make_proposal(organization, fp.make_round())
    _submit(proposal, user)
    assert proposal.status is ProposalStatus.SUBMITTED
    assert json.loads(proposal.versions[0].snapshot)["requested_cents"] == 6_000_00
    assert _actions("proposal.submit") == 1


def test_unbalanced_budget_cannot_be_submitted(app_ctx):
    user, organization = fp.operator_with_org()
    proposal = fp.make_proposal(organization, fp.make_round())
    props.add_budget_line(proposal, user, account="74", label="Région", amount_cents=7_000_00,
                          funder="region", funder_status=props.FunderStatus.REQUESTED)
    with pytest.raises(DomainError, match="déséquilibré"):
        _submit(proposal, user)
    assert proposal.status is ProposalStatus.DRAFT


def test_unverified_organization_cannot_submit(app_ctx):
    user, organization = fp.operator_with_org(verified=False)
    proposal = fp.make_proposal(organization, fp.make_round())
    with pytest.raises(DomainError, match="vérifiée"):
        _submit(proposal, user)


def test_no_submission_after_deadline(app_ctx):
    user, organization = fp.operator_with_org()
    round_ = fp.make_round()
    proposal = fp.make_proposal(organization, round_)
    round_.call_deadline = utcnow() - timedelta(minutes=1)
    with pytest.raises(DomainError, match="date limite"):
        _submit(proposal, user)


def test_budget_line_updates_requested_amount(app_ctx):
    user, organization = fp.operator_with_org()
    proposal = fp.make_proposal(organization, fp.make_round())
    props.add_budget_line(proposal, user, account="60", label="Fournitures",
                          amount_cents=1_234_56)
    assert proposal.requested_cents == 6_000_00 + 1_234_56


def test_cofunding_line_needs_funder(app_ctx):
    user, organization = fp.operator_with_org()
    proposal = fp.make_proposal(organization, fp.make_round())
    with pytest.raises(DomainError):
        props.add_budget_line(proposal, user, account="74", label="Sub", amount_cents=100)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(BudgetLine)) == 2


def _in_review(user, organization):
    round_ = fp.make_round()
    proposal = fp.make_proposal(organization, round_)
    _submit(proposal, user)
    round_.phase = Phase.REVIEW
    return proposal


def test_refusal_needs_reason(app_ctx):
    user, organization = fp.operator_with_org()
    proposal = _in_review(user, organization)
    staff = factories.make_user(Role.STAFF)
    with pytest.raises(DomainError) as error:
        review.decide(proposal, staff, Decision.NOT_ELIGIBLE, "  ")
    assert error.value.field == "message"


def test_decision_is_audited_and_notified(app_ctx):
    user, organization = fp.operator_with_org()
    proposal = _in_review(user, organization)
    review.decide(proposal, factories.make_user(Role.STAFF), Decision.NOT_ELIGIBLE,
                  "Investissement, pas fonctionnement.")
    assert proposal.status is ProposalStatus.NOT_ELIGIBLE
    assert _actions("proposal.review") == 1
    message = db.session.scalar(sa.select(OutboxMessage).where(
        OutboxMessage.kind == "proposal_review"))
    assert message.to_address == user.email and "Investissement" in message.body


def test_revision_then_resubmission_keeps_two_versions(app_ctx):
    user, organization = fp.operator_with_org()
    proposal = _in_review(user, organization)
    staff = factories.make_user(Role.STAFF)
    review.decide(proposal, staff, Decision.REVISION_REQUESTED, "Précisez le calendrier.",
                  utcnow() + timedelta(days=5))
    assert props.can_edit(proposal)
    proposal.description += " Calendrier : septembre à juin."
    _submit(proposal, user)
    assert [v.number for v in proposal.versions] == [1, 2]
    assert _actions("proposal.resubmit") == 1


def test_revision_can_be_requested_once(app_ctx):
    user, organization = fp.operator_with_org()
    proposal = _in_review(user, organization)
    staff = factories.make_user(Role.STAFF)
    deadline = utcnow() + timedelta(days=5)
    review.decide(proposal, staff, Decision.REVISION_REQUESTED, "Précisez.", deadline)
    _submit(proposal, user)
    with pytest.raises(DomainError, match="seule révision"):
        review.decide(proposal, staff, Decision.REVISION_REQUESTED, "Encore.", deadline)


def test_submitted_proposal_is_read_only(app_ctx):
    user, organization = fp.operator_with_org()
    proposal = fp.make_proposal(organization, fp.make_round())
    _submit(proposal, user)
    with pytest.raises(DomainError):
        props.add_indicator(proposal, user, label="x", target=1, unit="u")


def test_conflicted_organization_ids_for_committee_member(app_ctx):
    user, organization = fp.operator_with_org()
    proposal = _in_review(user, organization)
    assert props.conflicted_organization_ids(proposal.round, user) == set()
    db.session.add(CommitteeMember(round_id=proposal.round_id, user_id=user.id,
                                   college="Conseil citoyen"))
    db.session.flush()
    assert props.conflicted_organization_ids(proposal.round, user) == {organization.id}
    assert props.round_conflicts(proposal.round) == [(user, organization)]
