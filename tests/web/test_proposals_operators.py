"""Operators' web pages: registration, documents, proposals, ownership (404 on tampering)."""

import io

import pytest
import sqlalchemy as sa

from pdvsolutions.extensions import db
from pdvsolutions.models import (
    AuditEvent,
    BudgetLine,
    Organization,
    OrganizationDocument,
    Proposal,
    ProposalStatus,
    Role,
    User,
)

from .. import factories
from .. import factories_proposals as fp
from ..conftest import count, csrf_token

ORG_FORM = {"name": "Les Amis du Merlan", "legal_form": "association", "siret": "73282932000074",
            "rna": "", "address": "3 traverse du Merlan, 13014 Marseille",
            "legal_rep_name": "Ahmed Touati", "legal_rep_role": "Président",
            "contact_email": "contact@merlan.example.org", "contact_phone": ""}


@pytest.fixture
def world(app):
    """An operator with a verified organisation and a draft; another operator with theirs."""
    with app.app_context():
        user, organization = fp.operator_with_org(email="op@asso.example.org")
        other, other_org = fp.operator_with_org(email="other@asso.example.org")
        round_ = fp.make_round()
        mine = fp.make_proposal(organization, round_)
        theirs = fp.make_proposal(other_org, round_, title="Leur action")
        db.session.commit()
        return {"org": organization.id, "other_org": other_org.id, "round": round_.id,
                "mine": mine.id, "theirs": theirs.id}


@pytest.fixture
def operator(auth, world):
    auth.login("op@asso.example.org")
    return world


def _post(client, url, data, token_from=None):
    payload = dict(data)
    payload["csrf_token"] = csrf_token(client, token_from or "/structures/")
    return client.post(url, data=payload)


def test_signup_creates_operator_account(client, app):
    token = csrf_token(client, "/structures/inscription")
    response = client.post("/structures/inscription", data={
        "csrf_token": token, "first_name": "Nadia", "last_name": "Kacem",
        "email": "nadia@asso.example.org", "password": "Un-jardin-partage-au-pied-du-bloc",
        "password_confirm": "Un-jardin-partage-au-pied-du-bloc", "accept_privacy": "y"})
    assert response.status_code == 302
    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.email == "nadia@asso.example.org"))
        assert user.role is Role.OPERATOR


def test_register_with_valid_siret(client, app, auth):
    with app.app_context():
        factories.make_user(Role.OPERATOR, email="new@asso.example.org")
        db.session.commit()
    auth.login("new@asso.example.org")
    response = _post(client, "/structures/organisations/nouvelle", ORG_FORM)
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(sa.select(Organization.name)) == "Les Amis du Merlan"


@pytest.mark.parametrize(("field", "value", "message"), [
    ("siret", "73282932000075", "SIRET n&#39;est pas valide"),
    ("siret", "", "Ce champ est obligatoire"),
    ("rna", "W12", "W suivi de 9 chiffres"),
    ("name", "<script>alert(1)</script>", "ne sont pas acceptés"),
    ("name", "x" * 500, "200 caractères au maximum"),
])
def test_register_bad_input_is_refused_with_message(client, app, operator, field, value,
                                                    message):
    before = None
    with app.app_context():
        before = count(Organization)
    response = _post(client, "/structures/organisations/nouvelle", {**ORG_FORM, field: value})
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    with app.app_context():
        assert count(Organization) == before


def test_upload_non_pdf_is_refused(client, app, operator):
    response = _post(client, f"/structures/organisations/{operator['org']}/documents",
                     {"kind": "statutes", "file": (io.BytesIO(b"GIF89a..."), "statuts.pdf")})
    assert response.status_code == 400
    assert "Seuls les fichiers PDF" in response.get_data(as_text=True)
    with app.app_context():
        assert count(OrganizationDocument) == 0


def test_upload_pdf_then_download_by_member_only(client, app, operator, auth):
    response = _post(client, f"/structures/organisations/{operator['org']}/documents",
                     {"kind": "statutes", "file": (io.BytesIO(b"%PDF-1.4 statuts"), "st.pdf")})
    assert response.status_code == 302
    with app.app_context():
        doc_id = db.session.scalar(sa.select(OrganizationDocument.id))
    url = f"/structures/organisations/{operator['org']}/documents/{doc_id}"
    download = client.get(url)
    assert download.data == b"%PDF-1.4 statuts"
    assert download.headers["Content-Type"] == "application/pdf"
    auth.logout()
    auth.login("other@asso.example.org")
    assert client.get(url).status_code == 404


def test_other_organisation_proposal_is_404(client, operator):
    assert client.get(f"/structures/propositions/{operator['theirs']}").status_code == 404
    assert client.get(f"/structures/propositions/{operator['theirs']}/budget").status_code == 404


def test_budget_line_posted_to_other_proposal_is_404(client, app, operator):
    response = _post(client, f"/structures/propositions/{operator['theirs']}/budget/lignes",
                     {"account": "60", "label": "x", "amount": "10"})
    assert response.status_code == 404
    with app.app_context():
        assert count(BudgetLine) == 4


def test_deleting_other_proposal_line_through_own_url_is_404(client, app, operator):
    with app.app_context():
        line_id = db.session.scalar(sa.select(BudgetLine.id).where(
            BudgetLine.proposal_id == operator["theirs"]))
    response = _post(client, f"/structures/propositions/{operator['mine']}/budget/lignes/"
                             f"{line_id}/supprimer", {})
    assert response.status_code == 404
    with app.app_context():
        assert db.session.get(BudgetLine, line_id) is not None


def test_new_proposal_for_other_organisation_is_404(client, app, operator):
    with app.app_context():
        need_id = db.session.get(Proposal, operator["mine"]).needs[0].id
        before = count(Proposal)
    url = f"/structures/appels/{operator['round']}/propositions/nouvelle"
    response = _post(client, url, {"organization_id": operator["other_org"], "title": "Pirate",
                                   "need_ids": need_id}, token_from=url)
    # The tampered id is not among the choices: the form refuses it, nothing is created.
    assert response.status_code in (200, 404)
    with app.app_context():
        assert count(Proposal) == before


@pytest.mark.parametrize("amount", ["-50", "abc", "<b>1</b>", "99999999999", "1,234", ""])
def test_bad_amount_is_refused_without_change(client, app, operator, amount):
    response = _post(client, f"/structures/propositions/{operator['mine']}/budget/lignes",
                     {"account": "60", "label": "Fournitures", "amount": amount})
    assert response.status_code == 400
    assert 'class="field-error"' in response.get_data(as_text=True)
    with app.app_context():
        assert count(BudgetLine) == 4


def test_amount_typed_in_french_is_stored_in_exact_cents(client, app, operator):
    response = _post(client, f"/structures/propositions/{operator['mine']}/budget/lignes",
                     {"account": "60", "label": "Fournitures", "amount": "1 234,56"})
    assert response.status_code == 302
    with app.app_context():
        proposal = db.session.get(Proposal, operator["mine"])
        assert proposal.requested_cents == 6_000_00 + 1_234_56


def test_unbalanced_budget_shows_message_on_budget_page(client, operator):
    _post(client, f"/structures/propositions/{operator['mine']}/budget/lignes",
          {"account": "74", "label": "Région", "amount": "9000", "funder": "region",
           "funder_status": "requested"})
    page = client.get(f"/structures/propositions/{operator['mine']}/budget")
    assert "Budget déséquilibré" in page.get_data(as_text=True)


def test_sheet_dates_in_wrong_order_are_refused(client, app, operator):
    with app.app_context():
        need_id = db.session.get(Proposal, operator["mine"]).needs[0].id
    url = f"/structures/propositions/{operator['mine']}/modifier"
    response = _post(client, url, {
        "title": "Tutorat", "need_ids": need_id, "objectives": "o", "description": "d",
        "target_public": "p", "beneficiaries": "10", "qpv_codes": factories.QPV_HOME,
        "start_on": "2027-06-01", "end_on": "2027-01-01", "human_means": "h"}, token_from=url)
    assert response.status_code == 200
    assert "La date de fin doit suivre" in response.get_data(as_text=True)


def test_submit_through_form_with_sworn_statement(client, app, operator):
    url = f"/structures/propositions/{operator['mine']}/deposer"
    response = _post(client, url, {"signer_name": "Nadia Kacem", "signer_role": "Présidente",
                                   "sworn": "y"}, token_from=url)
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Proposal, operator["mine"]).status is ProposalStatus.SUBMITTED
        assert db.session.scalar(sa.select(AuditEvent.id).where(
            AuditEvent.action == "proposal.submit")) is not None


def test_submit_without_sworn_statement_is_refused(client, app, operator):
    url = f"/structures/propositions/{operator['mine']}/deposer"
    response = _post(client, url, {"signer_name": "Nadia Kacem", "signer_role": "Présidente"},
                     token_from=url)
    assert "honneur est obligatoire" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Proposal, operator["mine"]).status is ProposalStatus.DRAFT
