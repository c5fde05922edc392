"""Personal data of the logged-in person: download it (JSON) and delete the account."""

import json

from flask import Response, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, logout_user

from ..errors import DomainError
from ..extensions import db
from ..models import Role
from ..services import privacy
from ..timeutil import utcnow
from . import bp
from .forms_security import AccountDeleteForm
from .routes import _fresh_session


@bp.get("/compte/mes-donnees.json")
@login_required
def account_data():
    data = privacy.export_user_data(current_user._get_current_object())
    data["exported_at"] = utcnow().isoformat()
    response = Response(json.dumps(data, ensure_ascii=False, indent=2),
                        mimetype="application/json")
    response.headers["Content-Disposition"] = 'attachment; filename="mes-donnees-pdvsolutions.json"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/compte/suppression", methods=["GET", "POST"])
@login_required
def account_delete():
    if current_user.role is not Role.RESIDENT:
        return render_template("auth/account_delete.html", form=None), 403
    form = AccountDeleteForm()
    if form.validate_on_submit():
        try:
            privacy.delete_account(current_user._get_current_object(), form.password.data)
        except DomainError as error:
            db.session.rollback()
            getattr(form, error.field or "password").errors.append(error.message)
        else:
            db.session.commit()
            logout_user()
            _fresh_session()
            flash(_("Votre compte est supprimé. Vos besoins et soutiens restent, sans votre nom."),
                  "success")
            return redirect(url_for("public.home"))
    return render_template("auth/account_delete.html", form=form)
