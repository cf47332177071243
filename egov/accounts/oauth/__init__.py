"""Apps acting as a citizen: an OAuth 2.0 authorisation server (django-oauth-toolkit).

A mobile app or the national portal, registered by an administrator (Admin → Django OAuth
Toolkit → Applications), sends the citizen to ``/o/authorize/`` (authorisation code with
PKCE S256, nothing else), the citizen reads what the app asks in their own words and allows
or denies; the app exchanges the code at ``/o/token/`` for a short-lived access token and a
rotating refresh token, and calls ``/api/v1/`` with ``Authorization: Bearer <token>`` as the
citizen: the same selectors and services decide what it may see and do, and a token allowed
only to read reads, as a citizen's personal token does (egov/api/auth.py).

* :mod:`.scopes` — the scopes an app may ask for, in people's words (the one vocabulary);
* :mod:`.validator` — the rules django-oauth-toolkit applies: citizens only, S256 only,
  the authorisation-code and refresh grants only;
* :mod:`.selectors`, :mod:`.services` — the apps a citizen has allowed; revoking one;
* :mod:`.views`, :mod:`.urls` — the consent page, the token, revocation and introspection
  endpoints, the account page's revoke button;
* :mod:`.admin` — applications registered by superusers only, audited.

The other direction (this site logging people in with the national e-ID) is egov/accounts/oidc.py.
See docs/oauth.md.
"""
