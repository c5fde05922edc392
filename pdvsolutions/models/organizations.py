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
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: Staff verification; proposals can only be submitted by verified organisations.
    verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    verified_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    members: Mapped[list["OrganizationMember"]] = relationship(
        back_populates="organization", cascade="all, delete-orphan"
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

    organization: Mapped[Organization] = relationship(back_populates="members")
    user = relationship("User")

    def __repr__(self) -> str:
        return f"<OrganizationMember org={self.organization_id} user={self.user_id}>"
