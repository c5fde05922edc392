"""Organisations: registration, documents (private PDF files), members, staff verification."""

import hashlib
import os
import re
import secrets
from pathlib import Path

import sqlalchemy as sa
from flask import current_app, url_for
from flask_babel import gettext as _

from ..errors import DomainError
from ..extensions import db
from ..models import (
    DocumentKind,
    LegalForm,
    Organization,
    OrganizationDocument,
    OrganizationMember,
    Role,
    User,
)
from ..rules.identifiers import normalise, rna_valid, siret_valid
from ..timeutil import utcnow
from . import accounts, audit, outbox

#: Documents above this size are refused (a scanned statute rarely exceeds 2 MB).
MAX_DOCUMENT_BYTES = 5 * 1024 * 1024
PDF_MAGIC = b"%PDF-"
#: Fields of the organisation form that services copy as they are (already validated).
PROFILE_FIELDS = ("name", "address", "legal_rep_name", "legal_rep_role", "contact_email",
                  "contact_phone")


def upload_root() -> Path:
    """Folder of uploaded files, outside ``static`` (``UPLOAD_FOLDER`` or instance/uploads)."""
    folder = current_app.config.get("UPLOAD_FOLDER") or os.path.join(
        current_app.instance_path, "uploads")
    return Path(folder)


def sign_up_operator(email: str, password: str, first_name: str, last_name: str) -> User:
    """Create an operator account (a person who will register or join an organisation)."""
    user = accounts.sign_up_resident(email, password, first_name, last_name, None, False)
    user.role = Role.OPERATOR
    audit.record("operators.signup", user, actor=user)
    return user


def membership(user: User, organization_id: int) -> OrganizationMember | None:
    """The user's membership of the organisation, or None."""
    return db.session.scalar(sa.select(OrganizationMember).where(
        OrganizationMember.organization_id == organization_id,
        OrganizationMember.user_id == user.id))


def organizations_of(user: User) -> list[Organization]:
    """Organisations the user belongs to, by name."""
    return list(db.session.scalars(
        sa.select(Organization).join(OrganizationMember)
        .where(OrganizationMember.user_id == user.id).order_by(Organization.name)))


def _check_identifiers(siret: str, rna: str | None, exclude_id: int | None = None) -> tuple:
    siret = normalise(siret)
    if not siret_valid(siret):
        raise DomainError(_("Ce numéro SIRET n'est pas valide : vérifiez les 14 chiffres."),
                          field="siret")
    query = sa.select(Organization.id).where(Organization.siret == siret)
    if exclude_id is not None:
        query = query.where(Organization.id != exclude_id)
    if db.session.scalar(query):
        raise DomainError(_("Une structure est déjà inscrite avec ce numéro SIRET."),
                          field="siret")
    rna = normalise(rna) if rna else None
    if rna and not rna_valid(rna):
        raise DomainError(_("Le numéro RNA commence par W suivi de 9 chiffres."), field="rna")
    return siret, rna


def register_organization(user: User, *, legal_form: LegalForm, siret: str, rna: str | None,
                          **profile) -> Organization:
    """Create an organisation with ``user`` as its first admin member (unverified)."""
    siret, rna = _check_identifiers(siret, rna)
    organization = Organization(legal_form=legal_form, siret=siret, rna=rna,
                                created_by_id=user.id,
                                **{key: profile[key].strip() for key in PROFILE_FIELDS})
    organization.members.append(OrganizationMember(user_id=user.id, is_admin=True))
    db.session.add(organization)
    db.session.flush()
    audit.record("organization.register", organization, details={"siret": siret})
    return organization


def update_organization(organization: Organization, user: User, *, legal_form: LegalForm,
                        siret: str, rna: str | None, **profile) -> Organization:
    """Change the profile; a changed SIRET or legal form needs a new staff verification."""
    siret, rna = _check_identifiers(siret, rna, exclude_id=organization.id)
    if organization.verified_at and (siret != organization.siret
                                     or legal_form != organization.legal_form):
        organization.verified_at = None
        organization.verified_by_id = None
    organization.legal_form, organization.siret, organization.rna = legal_form, siret, rna
    for key in PROFILE_FIELDS:
        setattr(organization, key, profile[key].strip())
    audit.record("organization.update", organization)
    return organization


def _clean_filename(name: str) -> str:
    base = os.path.basename((name or "").replace("\\", "/"))
    base = re.sub(r"[^\w.\- ]", "_", base).strip() or "document.pdf"
    return base[-120:]


def store_document(organization: Organization, user: User, kind: DocumentKind, filename: str,
                   stream) -> OrganizationDocument:
    """Check that the upload is a PDF of acceptable size, store it privately, record it."""
    data = stream.read(MAX_DOCUMENT_BYTES + 1)
    if not data:
        raise DomainError(_("Le fichier est vide."), field="file")
    if len(data) > MAX_DOCUMENT_BYTES:
        raise DomainError(_("Le fichier dépasse 5 Mo."), field="file")
    if not data.startswith(PDF_MAGIC):
        raise DomainError(_("Seuls les fichiers PDF sont acceptés."), field="file")
    relative = f"org-{organization.id}/{secrets.token_hex(16)}.pdf"
    target = upload_root() / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    document = OrganizationDocument(
        organization_id=organization.id, kind=kind, filename=_clean_filename(filename),
        size_bytes=len(data), sha256=hashlib.sha256(data).hexdigest(), stored_path=relative,
        uploaded_by_id=user.id)
    db.session.add(document)
    db.session.flush()
    audit.record("organization.document_upload", organization,
                 details={"document": document.id, "kind": kind.value, "sha256": document.sha256})
    return document


def document_file(document: OrganizationDocument) -> Path:
    """Absolute path of a stored document (404 in the view when it is missing on disk)."""
    return upload_root() / document.stored_path


def invite_member(organization: Organization, admin: User, *, email: str, first_name: str,
                  last_name: str) -> tuple[OrganizationMember, str | None]:
    """Add a member: an existing operator account joins; otherwise an account is created.

    Returns the membership and, for a new account, its one-time invitation code (also sent
    through the outbox with the activation link).
    """
    email = accounts.normalise_login(email)
    user = accounts.find_by_login(email)
    code = None
    if user is None:
        user, code = accounts.create_account(admin, first_name=first_name, last_name=last_name,
                                             role=Role.OPERATOR, email=email)
    elif user.role is not Role.OPERATOR:
        raise DomainError(_("Cette adresse appartient à un compte qui n'est pas un compte "
                            "opérateur : contactez la métropole."), field="email")
    elif membership(user, organization.id):
        raise DomainError(_("Cette personne est déjà membre de la structure."), field="email")
    member = OrganizationMember(organization_id=organization.id, user_id=user.id,
                                invited_by_id=admin.id)
    db.session.add(member)
    db.session.flush()
    if code:
        link = current_app.config["PUBLIC_BASE_URL"].rstrip("/") + url_for("auth.activate")
        body = _("Bonjour %(name)s,\n\n%(admin)s vous invite à rejoindre la structure "
                 "« %(org)s » sur pdvsolutions.\nActivez votre compte ici : %(link)s\n"
                 "Identifiant : %(login)s\nCode d'invitation : %(code)s\n",
                 name=user.first_name, admin=admin.first_name, org=organization.name,
                 link=link, login=email, code=code)
    else:
        body = _("Bonjour %(name)s,\n\n%(admin)s vous a ajouté·e à la structure « %(org)s » "
                 "sur pdvsolutions.\n", name=user.first_name, admin=admin.first_name,
                 org=organization.name)
    outbox.queue_for_user(user, "organization_invitation",
                          _("Invitation à rejoindre %(org)s", org=organization.name), body)
    audit.record("organization.member_invite", organization,
                 details={"user": user.id, "new_account": code is not None})
    return member, code


def verify_organization(organization: Organization, staff: User) -> Organization:
    """Staff confirm the identity and documents of an organisation."""
    if organization.verified_at is not None:
        raise DomainError(_("Cette structure est déjà vérifiée."))
    organization.verified_at = utcnow()
    organization.verified_by_id = staff.id
    audit.record("organization.verify", organization)
    for member in organization.members:
        outbox.queue_for_user(
            member.user, "organization_verified",
            _("Votre structure est vérifiée"),
            _("Bonjour %(name)s,\n\nLa métropole a vérifié la structure « %(org)s ». "
              "Vous pouvez désormais déposer vos propositions.\n",
              name=member.user.first_name, org=organization.name))
    return organization
