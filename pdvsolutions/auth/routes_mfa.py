"""Second step of the staff login: a code from the authenticator app or a recovery code.

After the right password, a staff or admin session holds only ``mfa_pending`` (who, since
when, how many wrong codes). It becomes a logged-in session when a code is accepted, or when
an account without an app enrols one (forced enrolment: nothing else is reachable before).
"""

import hashlib

import segno
from flask import flash, g, make_response, redirect, render_template, session, url_for
from flask_babel import gettext as _

from ..errors import DomainError
from ..extensions import db
from ..models import User
from ..services import audit, second_factor
from ..timeutil import utcnow
from . import bp
from .forms_security import EnrolForm, SecondFactorForm
from .routes import _start_session, limit_failures, safe_next

#: The password step is valid this long; then the person starts again.
PENDING_SECONDS = 300
#: Wrong codes allowed in one pending login before the password is asked again.
MAX_TRIES = 5


def _pending_user() -> User | None:
    """The account whose password was just given, while the pending step is fresh."""
    pending = session.get("mfa_pending")
    if not isinstance(pending, dict):
        return None
    if utcnow().timestamp() - float(pending.get("at", 0)) > PENDING_SECONDS:
        session.pop("mfa_pending", None)
        return None
    user_id, _sep, token = str(pending.get("user", "")).partition(":")
    user = db.session.get(User, int(user_id)) if user_id.isdigit() else None
    if user is None or not user.is_active or user.session_token != token:
        return None
    return user


def _pending_key() -> str:
    pending = session.get("mfa_pending")
    who = str(pending.get("user", "")) if isinstance(pending, dict) else ""
    return "mfa:" + hashlib.sha256(who.partition(":")[0].encode()).hexdigest()[:32]


def _restart():
    session.pop("mfa_pending", None)
    flash(_("Votre connexion a expiré : saisissez à nouveau votre mot de passe."), "info")
    return redirect(url_for("auth.login"))


def _finish(user: User, method: str) -> str:
    """Open the logged-in session and return where to go next."""
    next_url = session["mfa_pending"].get("next", "")
    _start_session(user)
    session["mfa_at"] = utcnow().timestamp()
    audit.record("auth.login", user, actor=user, details={"second_factor": method})
    return safe_next(next_url)


@bp.route("/connexion/code", methods=["GET", "POST"])
@limit_failures(account_key=_pending_key)
def login_code():
    user = _pending_user()
    if user is None:
        return _restart()
    if not second_factor.is_enrolled(user):
        return redirect(url_for("auth.login_enrol"))
    form = SecondFactorForm()
    if form.validate_on_submit():
        try:
            method = second_factor.verify(user, form.code.data)
        except DomainError as error:
            db.session.rollback()
            g.auth_failed = True
            session["mfa_pending"]["tries"] += 1
            session.modified = True
            audit.record("auth.mfa", outcome="failure", object_type="User", object_id=user.id)
            db.session.commit()
            if session["mfa_pending"]["tries"] >= MAX_TRIES:
                return _restart()
            form.code.errors.append(error.message)
        else:
            target = _finish(user, method)
            db.session.commit()
            if method == "recovery":
                flash(_("Code de secours accepté. Il vous en reste %(n)d.",
                        n=second_factor.remaining_recovery_codes(user)), "warning")
            flash(_("Vous êtes connecté·e."), "success")
            return redirect(target)
    return render_template("auth/login_code.html", form=form)


@bp.route("/connexion/application", methods=["GET", "POST"])
@limit_failures(account_key=_pending_key)
def login_enrol():
    user = _pending_user()
    if user is None:
        return _restart()
    if second_factor.is_enrolled(user):
        return redirect(url_for("auth.login_code"))
    # The secret waits in the (signed) session until a first code proves the app has it.
    secret = session["mfa_pending"].get("secret")
    if not secret:
        secret = session["mfa_pending"]["secret"] = second_factor.new_secret()
        session.modified = True
    form = EnrolForm()
    if form.validate_on_submit():
        try:
            recovery = second_factor.confirm_enrolment(user, secret, form.code.data)
        except DomainError as error:
            db.session.rollback()
            g.auth_failed = True
            form.code.errors.append(error.message)
        else:
            target = _finish(user, "totp_enrolment")
            db.session.commit()
            response = make_response(render_template(
                "auth/recovery_codes.html", codes=recovery, target=target))
            response.headers["Cache-Control"] = "no-store"
            return response
    uri = second_factor.provisioning_uri(user, secret)
    qr = segno.make(uri, error="m").svg_data_uri(scale=4, border=2)
    response = make_response(render_template(
        "auth/login_enrol.html", form=form, secret=secret, uri=uri, qr=qr,
        grouped=" ".join(secret[i:i + 4] for i in range(0, len(secret), 4)),
        issuer=second_factor.ISSUER))
    response.headers["Cache-Control"] = "no-store"
    return response
