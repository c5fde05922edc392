"""Organisations (associations, SCIC, régies de quartier, companies) and their members."""

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..timeutil import utcnow
from ._types import UTCDateTime, enum_column


class LegalForm(enum.StrEnum):
    ASSOCIATION = "association"
    SCIC = "scic"
    REGIE = "regie"
    COMPANY = "company"
    OTHER = "other"


class Organization(db.Model):
    __tablename__ = "organizations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    legal_form: Mapped[LegalForm] = mapped_column(enum_column(LegalForm))
    #: 14 digits, checked with python-stdnum (Luhn, La Poste exception).
    siret: Mapped[str] = mapped_column(sa.String(14), unique=True)
    #: Répertoire national des associations: ``W`` + 9 digits; none in Alsace-Moselle.
    rna: Mapped[str | None] = mapped_column(sa.String(10))
    #: Postal address of the registered office (siège social).
    address: Mapped[str] = mapped_column(sa.String(300), default="")
    legal_rep_name: Mapped[str] = mapped_column(sa.String(120), default="")
    legal_rep_role: Mapped[str] = mapped_column(sa.String(80), default="")
    #: Contact of the organisation for the métropole (may differ from the representative).
    contact_email: Mapped[str] = mapped_column(sa.String(254), default="")
    contact_phone: Mapped[str] = mapped_column(sa.String(30), default="")
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: Staff verification; proposals can only be submitted by verified organisations.
    verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    verified_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    members: Mapped[list["OrganizationMember"]] = relationship(
        back_populates="organization", cascade="all, delete-orphan"
    )
    documents: Mapped[list["OrganizationDocument"]] = relationship(
        back_populates="organization", order_by="OrganizationDocument.id"
    )

    def __repr__(self) -> str:
        return f"<Organization {self.id} {self.siret}>"


class OrganizationMember(db.Model):
    __tablename__ = "organization_members"
    __table_args__ = (
        sa.UniqueConstraint("organization_id", "user_id", name="uq_organization_members_user"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(sa.ForeignKey("organizations.id"))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    #: May invite other members and edit the organisation.
    is_admin: Mapped[bool] = mapped_column(default=False)
    #: The organisation admin who invited this member (None for the founder).
    invited_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=utcnow)

    organization: Mapped[Organization] = relationship(back_populates="members")
    user = relationship("User", foreign_keys=[user_id])

    def __repr__(self) -> str:
        return f"<OrganizationMember org={self.organization_id} user={self.user_id}>"


class DocumentKind(enum.StrEnum):
    STATUTES = "statutes"
    DIRECTORS = "directors"
    BANK_DETAILS = "bank_details"
    ACCOUNTS = "accounts"
    OTHER = "other"


class OrganizationDocument(db.Model):
    """A PDF of the organisation's file (statutes, directors, RIB, accounts), stored privately."""

    __tablename__ = "organization_documents"
    __table_args__ = (sa.CheckConstraint("size_bytes > 0", name="size_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(sa.ForeignKey("organizations.id"), index=True)
    kind: Mapped[DocumentKind] = mapped_column(enum_column(DocumentKind))
    #: Name given by the uploader, cleaned; shown only to members and staff.
    filename: Mapped[str] = mapped_column(sa.String(200))
    size_bytes: Mapped[int] = mapped_column()
    sha256: Mapped[str] = mapped_column(sa.String(64))
    #: Path relative to ``UPLOAD_FOLDER`` (outside ``static``: never served directly).
    stored_path: Mapped[str] = mapped_column(sa.String(200), unique=True)
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    uploaded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    organization: Mapped[Organization] = relationship(back_populates="documents")

    def __repr__(self) -> str:
        return f"<OrganizationDocument {self.id} {self.kind.value}>"
