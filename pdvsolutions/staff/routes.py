"""Views of the staff blueprint: accounts, audit log, outbox, territories."""

from datetime import datetime, time, timedelta

import sqlalchemy as sa
from flask import (
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import selectinload

from ..auth.forms import EmptyForm, query_text, requested_page
from ..errors import DomainError
from ..extensions import db
from ..models import AuditEvent, OutboxMessage, Role, Territory, User
from ..services import accounts, audit, territories
from ..services.territories import qpv_choices
from ..timeutil import UTC
from . import bp
from .forms import ROLE_LABELS, AccountForm, AuditFilterForm, TerritoryForm


def _no_store(html: str):
    """A page showing a one-time secret must not be cached by the browser."""
    response = make_response(html)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/")
def dashboard():
    return render_template("staff/dashboard.html")


@bp.get("/comptes")
def account_list():
    search = query_text("q", 80)
    query = sa.select(User).order_by(User.id.desc())
    if search:
        like = f"%{search.lower()}%"
        query = query.where(sa.or_(sa.func.lower(User.first_name).like(like),
                                   sa.func.lower(User.last_name).like(like),
                                   User.email.like(like), User.username.like(like)))
    page = db.paginate(query, page=requested_page(), per_page=current_app.config["PAGE_SIZE"],
                       error_out=False)
    return render_template("staff/account_list.html", page=page, search=search,
                           role_labels=ROLE_LABELS)


@bp.route("/comptes/nouveau", methods=["GET", "POST"])
def account_new():
    form = AccountForm()
    roles = [Role.RESIDENT, Role.OPERATOR]
    if current_user.role is Role.ADMIN:
        roles += [Role.STAFF, Role.ADMIN]
    form.role.choices = [(r.value, ROLE_LABELS[r]) for r in roles]
    form.qpv_code.choices = [("", _("— Aucun —"))] + qpv_choices()
    if form.validate_on_submit():
        try:
            user, code = accounts.create_account(
                current_user,
                first_name=form.first_name.data,
                last_name=form.last_name.data,
                role=Role(form.role.data),
                email=form.email.data,
                username=form.username.data,
                qpv_code=form.qpv_code.data or None,
            )
        except DomainError as error:
            db.session.rollback()
            getattr(form, error.field or "username").errors.append(error.message)
        else:
            db.session.commit()
            return _no_store(render_template("staff/invitation.html", user=user, code=code))
    return render_template("staff/account_new.html", form=form)


@bp.post("/comptes/<int:user_id>/code")
def account_code_new(user_id: int):
    user = db.get_or_404(User, user_id)
    if user.is_staff and current_user.role is not Role.ADMIN:
        abort(403)
    form = EmptyForm()
    if not form.validate_on_submit():
        abort(400)
    code = accounts.issue_invitation(user, current_user)
    audit.record("account.invitation_issued", user)
    db.session.commit()
    return _no_store(render_template("staff/invitation.html", user=user, code=code))


@bp.get("/journal")
def audit_list():
    form = AuditFilterForm(request.args)
    query = sa.select(AuditEvent).order_by(AuditEvent.id.desc())
    if form.validate():
        if form.action.data:
            query = query.where(AuditEvent.action.startswith(form.action.data.strip()))
        if form.actor_id.data:
            query = query.where(AuditEvent.actor_id == int(form.actor_id.data))
        if form.outcome.data:
            query = query.where(AuditEvent.outcome == form.outcome.data)
        if form.since.data:
            query = query.where(
                AuditEvent.created_at >= datetime.combine(form.since.data, time(), UTC))
        if form.until.data:
            query = query.where(AuditEvent.created_at < datetime.combine(
                form.until.data + timedelta(days=1), time(), UTC))
    page = db.paginate(query, page=requested_page(), per_page=50, error_out=False)
    filters = {key: value for key, value in request.args.items() if key != "page" and value}
    return render_template("staff/audit_list.html", form=form, page=page, filters=filters)


@bp.get("/courriels")
def outbox_list():
    if not current_app.config["OUTBOX_PAGE_ENABLED"]:
        abort(404)
    query = sa.select(OutboxMessage).order_by(OutboxMessage.id.desc())
    page = db.paginate(query, page=requested_page(), per_page=20, error_out=False)
    return render_template("staff/outbox_list.html", page=page)


@bp.get("/territoires")
def territory_list():
    rows = db.session.scalars(sa.select(Territory).options(selectinload(Territory.qpvs))
                              .order_by(Territory.name)).all()
    return render_template("staff/territory_list.html", territories=rows)


@bp.route("/territoires/nouveau", methods=["GET", "POST"])
def territory_new():
    form = TerritoryForm()
    if form.validate_on_submit():
        try:
            territories.create_territory(
                form.name.data, territories.parse_codes(form.qpv_codes.data), form.description.data
            )
        except DomainError as error:
            db.session.rollback()
            getattr(form, error.field or "name").errors.append(error.message)
        else:
            db.session.commit()
            flash(_("Territoire créé."), "success")
            return redirect(url_for("staff.territory_list"))
    return render_template("staff/territory_new.html", form=form)
