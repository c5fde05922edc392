"""Access table of the foundation: public pages, accounts, staff tools, admin."""

from .matrix import Case

STAFF = frozenset({"staff"})


CASES = [
    Case("public.home", "/"),
    Case("public.accessibility", "/accessibilite"),
    Case("public.privacy", "/donnees-personnelles"),
    # Logged-in people are sent home from the login and sign-up pages.
    Case("auth.login", "/connexion", allowed={"anonymous"}, denied=302),
    Case("auth.signup", "/inscription", allowed={"anonymous"}, denied=302),
    Case("auth.activate", "/activation"),
    Case("auth.password_forgot", "/mot-de-passe-oublie"),
    # An unknown token is a 404 page for everyone.
    Case("auth.password_reset", "/mot-de-passe/nouveau/inconnu", ok=404),
    Case("auth.account", "/compte", allowed={"authenticated"}),
    Case("auth.logout", "/deconnexion", method="POST", allowed={"authenticated"}, ok=302),
    Case("auth.language_set", "/langue", method="POST", data={"language": "en"}, ok=302),
    Case("staff.dashboard", "/agents/", allowed=STAFF),
    Case("staff.account_list", "/agents/comptes", allowed=STAFF),
    Case("staff.account_new", "/agents/comptes/nouveau", allowed=STAFF),
    Case("staff.account_code_new", lambda w: f"/agents/comptes/{w.users['resident'].id}/code",
         method="POST", allowed=STAFF),
    Case("staff.audit_list", "/agents/journal", allowed=STAFF),
    Case("staff.outbox_list", "/agents/courriels", allowed=STAFF),
    Case("staff.territory_list", "/agents/territoires", allowed=STAFF),
    Case("staff.territory_new", "/agents/territoires/nouveau", allowed=STAFF),
    Case("admin.user_edit", lambda w: f"/admin/comptes/{w.users['resident'].id}",
         allowed={"admin"}),
]
