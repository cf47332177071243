"""``/o/``: the OAuth 2.0 endpoints apps call (docs/oauth.md). Only these: no application
management pages (administrators register apps in the admin), no implicit or device flows.

The namespace is django-oauth-toolkit's own, whose code reverses these names (the server
metadata document names the endpoints; the ``iss`` of an authorisation response is read from
the metadata's address)."""

from django.urls import path
from oauth2_provider import views as toolkit

from . import views

app_name = "oauth2_provider"

urlpatterns = [
    path("authorize/", views.AuthorizeView.as_view(), name="authorize"),
    path("token/", toolkit.TokenView.as_view(), name="token"),
    path("revoke_token/", toolkit.RevokeTokenView.as_view(), name="revoke-token"),
    path("introspect/", views.IntrospectView.as_view(), name="introspect"),
    path(
        ".well-known/oauth-authorization-server",
        toolkit.OAuthServerMetadataView.as_view(),
        name="oauth-server-metadata",
    ),  # fmt: skip
]
