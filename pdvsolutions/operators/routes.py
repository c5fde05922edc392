"""Views of the operators blueprint: organisations, documents, members, proposals."""

from urllib.parse import quote

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from ..auth.forms import EmptyForm
from ..auth.routes import _start_session as start_session
from ..errors import DomainError
from ..extensions import db
from ..models import (
    BudgetLine,
    DocumentKind,
    FunderStatus,
    Indicator,
    LegalForm,
    Organization,
    OrganizationDocument,
    Proposal,
    Role,
    Round,
    User,
)
from ..rules import budget
from ..services import organizations as orgs
from ..services import proposals as props
from ..timeutil import utcnow
from . import bp
from .forms import (
    ACCOUNT_LABELS,
    DOCUMENT_LABELS,
    FUNDER_STATUS_LABELS,
    FUNDERS,
    LEGAL_FORM_LABELS,
    BudgetLineForm,
    DocumentForm,
    IndicatorForm,
    InviteForm,
    OperatorSignupForm,
    OrganizationForm,
    ProposalNewForm,
    ProposalSheetForm,
    SplitForm,
    SubmitForm,
)


def _user() -> User:
    return current_user._get_current_object()


def _fail(form, error: DomainError, default: str) -> None:
    """Roll back and show the service's message on its field (or on ``default``)."""
    db.session.rollback()
    field = getattr(form, error.field, None) if error.field else None
    (field or getattr(form, default)).errors.append(error.message)


def _member_org(org_id: int, admin: bool = False) -> Organization:
    """Load an organisation of the current user: 404 when missing or not theirs."""
    organization = db.get_or_404(Organization, org_id)
    membership = orgs.membership(_user(), organization.id)
    if membership is None:
        abort(404)
    if admin and not membership.is_admin:
        abort(403)
    return organization


def _own_proposal(proposal_id: int) -> Proposal:
    """Load a proposal of one of the user's organisations: 404 otherwise (no leak)."""
    proposal = db.get_or_404(Proposal, proposal_id)
    if not props.is_member(_user(), proposal):
        abort(404)
    return proposal


@bp.route("/inscription", methods=["GET", "POST"])
def signup():
    if current_user.is_authenticated:
        return redirect(url_for("operators.home") if current_user.role is Role.OPERATOR
                        else url_for("public.home"))
    form = OperatorSignupForm()
    if form.validate_on_submit():
        try:
            user = orgs.sign_up_operator(form.email.data, form.password.data,
                                         form.first_name.data, form.last_name.data)
        except DomainError as error:
            _fail(form, error, "email")
        else:
            start_session(user)
            db.session.commit()
            flash(_("Votre compte opérateur est créé. Inscrivez maintenant votre structure."),
                  "success")
            return redirect(url_for("operators.organization_new"))
    return render_template("operators/signup.html", form=form)


@bp.get("/")
def home():
    user = _user()
    return render_template("operators/home.html", organizations=orgs.organizations_of(user),
                           proposals=props.proposals_of(user), rounds=props.open_rounds(),
                           conflicts=props.conflicts_of(user))


# --- organisations -------------------------------------------------------------------------

def _org_values(form) -> dict:
    return {"legal_form": LegalForm(form.legal_form.data), "siret": form.siret.data,
            "rna": form.rna.data or None,
            **{key: form[key].data or "" for key in orgs.PROFILE_FIELDS}}


@bp.route("/organisations/nouvelle", methods=["GET", "POST"])
def organization_new():
    form = OrganizationForm()
    if form.validate_on_submit():
        try:
            organization = orgs.register_organization(_user(), **_org_values(form))
            db.session.commit()
        except DomainError as error:
            _fail(form, error, "siret")
        except IntegrityError:
            _fail(form, DomainError(_("Une structure est déjà inscrite avec ce numéro SIRET."),
                                    field="siret"), "siret")
        else:
            flash(_("Structure inscrite. Déposez ses documents : la métropole la vérifiera."),
                  "success")
            return redirect(url_for("operators.organization_detail", org_id=organization.id))
    return render_template("operators/organization_form.html", form=form, organization=None)


@bp.get("/organisations/<int:org_id>")
def organization_detail(org_id: int):
    organization = _member_org(org_id)
    is_admin = orgs.membership(_user(), org_id).is_admin
    return render_template("operators/organization_detail.html", organization=organization,
                           is_admin=is_admin, document_form=DocumentForm(),
                           invite_form=InviteForm(), legal_forms=LEGAL_FORM_LABELS,
                           document_labels=DOCUMENT_LABELS)


@bp.route("/organisations/<int:org_id>/modifier", methods=["GET", "POST"])
def organization_edit(org_id: int):
    organization = _member_org(org_id, admin=True)
    form = OrganizationForm(obj=organization)
    if request.method == "GET":
        form.legal_form.data = organization.legal_form.value
    if form.validate_on_submit():
        try:
            orgs.update_organization(organization, _user(), **_org_values(form))
            db.session.commit()
        except DomainError as error:
            _fail(form, error, "siret")
        else:
            flash(_("Structure mise à jour."), "success")
            return redirect(url_for("operators.organization_detail", org_id=org_id))
    return render_template("operators/organization_form.html", form=form,
                           organization=organization)


@bp.post("/organisations/<int:org_id>/documents")
def document_upload(org_id: int):
    organization = _member_org(org_id, admin=True)
    form = DocumentForm()
    if form.validate_on_submit():
        upload = form.file.data
        try:
            orgs.store_document(organization, _user(), DocumentKind(form.kind.data),
                                upload.filename, upload.stream)
            db.session.commit()
        except DomainError as error:
            _fail(form, error, "file")
        else:
            flash(_("Document déposé."), "success")
            return redirect(url_for("operators.organization_detail", org_id=org_id))
    return render_template("operators/organization_detail.html", organization=organization,
                           is_admin=True, document_form=form, invite_form=InviteForm(),
                           legal_forms=LEGAL_FORM_LABELS, document_labels=DOCUMENT_LABELS), 400


def content_disposition(filename: str) -> str:
    """An attachment header with an ASCII fallback and the UTF-8 name (RFC 6266)."""
    ascii_name = filename.encode("ascii", "replace").decode().replace('"', "_")
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"


def send_document(organization: Organization, doc_id: int):
    """Send a stored PDF as a download (shared with the staff view)."""
    document = db.get_or_404(OrganizationDocument, doc_id)
    if document.organization_id != organization.id:
        abort(404)
    path = orgs.document_file(document)
    if not path.is_file():
        abort(404)
    # Read at once (5 MB at most) so no file handle outlives the request.
    response = Response(path.read_bytes(), mimetype="application/pdf")
    response.headers["Content-Disposition"] = content_disposition(document.filename)
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/organisations/<int:org_id>/documents/<int:doc_id>")
def document_download(org_id: int, doc_id: int):
    return send_document(_member_org(org_id), doc_id)


@bp.post("/organisations/<int:org_id>/membres")
def member_invite(org_id: int):
    organization = _member_org(org_id, admin=True)
    form = InviteForm()
    if form.validate_on_submit():
        try:
            _member, code = orgs.invite_member(organization, _user(), email=form.email.data,
                                               first_name=form.first_name.data,
                                               last_name=form.last_name.data or "")
            db.session.commit()
        except DomainError as error:
            _fail(form, error, "email")
        else:
            flash(_("Invitation envoyée par e-mail.") if code
                  else _("Membre ajouté à la structure."), "success")
            return redirect(url_for("operators.organization_detail", org_id=org_id))
    return render_template("operators/organization_detail.html", organization=organization,
                           is_admin=True, document_form=DocumentForm(), invite_form=form,
                           legal_forms=LEGAL_FORM_LABELS, document_labels=DOCUMENT_LABELS), 400


# --- proposals -----------------------------------------------------------------------------

@bp.route("/appels/<int:round_id>/propositions/nouvelle", methods=["GET", "POST"])
def proposal_new(round_id: int):
    round_ = db.get_or_404(Round, round_id)
    if round_ not in props.open_rounds():
        abort(404)
    user = _user()
    organizations = orgs.organizations_of(user)
    form = ProposalNewForm()
    form.organization_id.choices = [(o.id, o.name) for o in organizations]
    form.need_ids.choices = [(n.id, n.title) for n in props.retained_needs(round_)]
    if not organizations:
        flash(_("Inscrivez d'abord votre structure."), "info")
        return redirect(url_for("operators.organization_new"))
    if form.validate_on_submit():
        organization = _member_org(form.organization_id.data)
        try:
            proposal = props.create_proposal(user, organization, round_, title=form.title.data,
                                             need_ids=form.need_ids.data)
            db.session.commit()
        except DomainError as error:
            _fail(form, error, "title")
        else:
            flash(_("Brouillon créé. Complétez la fiche action et le budget."), "success")
            return redirect(url_for("operators.proposal_edit", proposal_id=proposal.id))
    return render_template("operators/proposal_new.html", form=form, round=round_)


@bp.get("/propositions/<int:proposal_id>")
def proposal_detail(proposal_id: int):
    proposal = _own_proposal(proposal_id)
    return render_template("operators/proposal_detail.html", proposal=proposal,
                           summary=props.summary(proposal),
                           problems=props.submission_problems(proposal),
                           messages=props.PROBLEM_MESSAGES,
                           refusal=props.edit_refusal(proposal), labels=ACCOUNT_LABELS,
                           funders=FUNDERS, funder_status=FUNDER_STATUS_LABELS)


@bp.route("/propositions/<int:proposal_id>/modifier", methods=["GET", "POST"])
def proposal_edit(proposal_id: int):
    proposal = _own_proposal(proposal_id)
    refusal = props.edit_refusal(proposal)
    if refusal:
        flash(refusal, "warning")
        return redirect(url_for("operators.proposal_detail", proposal_id=proposal_id))
    form = ProposalSheetForm(obj=proposal)
    form.need_ids.choices = [(n.id, n.title) for n in props.retained_needs(proposal.round)]
    form.qpv_codes.choices = [(q.code, q.label) for q in proposal.round.territory.qpvs]
    if request.method == "GET":
        form.need_ids.data = [n.id for n in proposal.needs]
        form.qpv_codes.data = proposal.qpv_codes.split()
        if not proposal.beneficiaries:
            form.beneficiaries.data = None
    if form.validate_on_submit():
        fields = {name: form[name].data for name in (
            "title", "objectives", "description", "target_public", "beneficiaries",
            "start_on", "end_on", "human_means")}
        try:
            props.update_sheet(proposal, _user(), need_ids=form.need_ids.data,
                               qpv_codes=form.qpv_codes.data, **fields)
            db.session.commit()
        except DomainError as error:
            _fail(form, error, "title")
        else:
            flash(_("Fiche action enregistrée."), "success")
            return redirect(url_for("operators.proposal_budget", proposal_id=proposal_id))
    return render_template("operators/proposal_edit.html", form=form, proposal=proposal)


def _budget_page(proposal: Proposal, line_form=None, split_form=None, indicator_form=None,
                 status: int = 200):
    years = props.year_count(proposal)
    summary = props.summary(proposal)
    if split_form is None:
        split_form = SplitForm(formdata=None, prefix="split")
        for year in proposal.years:
            split_form[f"year_{year.year_index}"].raw = f"{year.amount_cents / 100:.2f}"
    return render_template(
        "operators/proposal_budget.html", proposal=proposal, summary=summary,
        share=budget.share_percent(proposal.requested_cents, summary.total_cents),
        line_form=line_form or BudgetLineForm(formdata=None), split_form=split_form,
        indicator_form=indicator_form or IndicatorForm(formdata=None, prefix="indicator"), years=years,
        labels=ACCOUNT_LABELS, funders=FUNDERS, funder_status=FUNDER_STATUS_LABELS,
        problems=props.submission_problems(proposal), messages=props.PROBLEM_MESSAGES), status


def _editable(proposal_id: int) -> Proposal | None:
    proposal = _own_proposal(proposal_id)
    refusal = props.edit_refusal(proposal)
    if refusal:
        flash(refusal, "warning")
        return None
    return proposal


@bp.get("/propositions/<int:proposal_id>/budget")
def proposal_budget(proposal_id: int):
    proposal = _editable(proposal_id)
    if proposal is None:
        return redirect(url_for("operators.proposal_detail", proposal_id=proposal_id))
    return _budget_page(proposal)


@bp.post("/propositions/<int:proposal_id>/budget/lignes")
def budget_line_add(proposal_id: int):
    proposal = _editable(proposal_id)
    if proposal is None:
        return redirect(url_for("operators.proposal_detail", proposal_id=proposal_id))
    form = BudgetLineForm()
    if form.validate_on_submit():
        try:
            props.add_budget_line(
                proposal, _user(), account=form.account.data, label=form.label.data,
                amount_cents=form.amount.data, funder=form.funder.data or None,
                funder_status=FunderStatus(form.funder_status.data)
                if form.funder_status.data else None)
            db.session.commit()
        except DomainError as error:
            _fail(form, error, "amount")
            proposal = _own_proposal(proposal_id)
        else:
            flash(_("Ligne ajoutée."), "success")
            return redirect(url_for("operators.proposal_budget", proposal_id=proposal_id))
    return _budget_page(proposal, line_form=form, status=400)


@bp.post("/propositions/<int:proposal_id>/budget/lignes/<int:line_id>/supprimer")
def budget_line_delete(proposal_id: int, line_id: int):
    proposal = _editable(proposal_id)
    if proposal is None:
        return redirect(url_for("operators.proposal_detail", proposal_id=proposal_id))
    line = db.get_or_404(BudgetLine, line_id)
    if line.proposal_id != proposal.id or not EmptyForm().validate_on_submit():
        abort(404)
    props.delete_budget_line(proposal, _user(), line)
    db.session.commit()
    flash(_("Ligne supprimée."), "success")
    return redirect(url_for("operators.proposal_budget", proposal_id=proposal_id))


@bp.post("/propositions/<int:proposal_id>/repartition")
def proposal_split(proposal_id: int):
    proposal = _editable(proposal_id)
    if proposal is None:
        return redirect(url_for("operators.proposal_detail", proposal_id=proposal_id))
    form = SplitForm(prefix="split")
    years = props.year_count(proposal)
    if form.validate_on_submit():
        amounts = [form[f"year_{i}"].data for i in range(1, years + 1)]
        try:
            props.set_split(proposal, _user(), [a if a is not None else -1 for a in amounts])
            db.session.commit()
        except DomainError as error:
            _fail(form, error, "year_1")
            proposal = _own_proposal(proposal_id)
        else:
            flash(_("Répartition par année enregistrée."), "success")
            return redirect(url_for("operators.proposal_budget", proposal_id=proposal_id))
    return _budget_page(proposal, split_form=form, status=400)


@bp.post("/propositions/<int:proposal_id>/indicateurs")
def indicator_add(proposal_id: int):
    proposal = _editable(proposal_id)
    if proposal is None:
        return redirect(url_for("operators.proposal_detail", proposal_id=proposal_id))
    form = IndicatorForm(prefix="indicator")
    if form.validate_on_submit():
        props.add_indicator(proposal, _user(), label=form.label.data, target=form.target.data,
                            unit=form.unit.data)
        db.session.commit()
        flash(_("Indicateur ajouté."), "success")
        return redirect(url_for("operators.proposal_budget", proposal_id=proposal_id))
    return _budget_page(proposal, indicator_form=form, status=400)


@bp.post("/propositions/<int:proposal_id>/indicateurs/<int:indicator_id>/supprimer")
def indicator_delete(proposal_id: int, indicator_id: int):
    proposal = _editable(proposal_id)
    if proposal is None:
        return redirect(url_for("operators.proposal_detail", proposal_id=proposal_id))
    indicator = db.get_or_404(Indicator, indicator_id)
    if indicator.proposal_id != proposal.id or not EmptyForm().validate_on_submit():
        abort(404)
    props.delete_indicator(proposal, _user(), indicator)
    db.session.commit()
    flash(_("Indicateur supprimé."), "success")
    return redirect(url_for("operators.proposal_budget", proposal_id=proposal_id))


@bp.route("/propositions/<int:proposal_id>/deposer", methods=["GET", "POST"])
def proposal_submit(proposal_id: int):
    proposal = _editable(proposal_id)
    if proposal is None:
        return redirect(url_for("operators.proposal_detail", proposal_id=proposal_id))
    form = SubmitForm()
    if request.method == "GET" and not form.signer_name.data:
        form.signer_name.data = proposal.organization.legal_rep_name
        form.signer_role.data = proposal.organization.legal_rep_role
    if form.validate_on_submit():
        try:
            props.submit_proposal(proposal, _user(), signer_name=form.signer_name.data,
                                  signer_role=form.signer_role.data)
            db.session.commit()
        except DomainError as error:
            _fail(form, error, "sworn")
            proposal = _own_proposal(proposal_id)
        else:
            flash(_("Proposition déposée. La métropole va l'instruire."), "success")
            return redirect(url_for("operators.proposal_detail", proposal_id=proposal_id))
    return render_template("operators/proposal_submit.html", form=form, proposal=proposal,
                           summary=props.summary(proposal), now=utcnow(),
                           problems=props.submission_problems(proposal),
                           messages=props.PROBLEM_MESSAGES)
