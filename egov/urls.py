from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from egov.accounts.oidc import EIDCallbackView, EIDLoginView
from egov.common import views as common_views
from egov.documents import views as document_views
from egov.dossiers import views as dossier_views
from egov.notifications import views as notification_views
from egov.stats import views as stats_views

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("api/v1/", include("egov.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("attachments/<str:pk>/", dossier_views.attachment, name="attachment"),
    path("verify/<str:code>/", document_views.verify, name="verify-document"),
    path("notices/", notification_views.inbox, name="notices"),
    path("dashboard/", stats_views.dashboard, name="dashboard"),
    path("dashboard/team/", stats_views.team, name="team"),
    path("dashboard/index/", stats_views.service_index, name="service-index"),
    path("dashboard/index/dossiers/", stats_views.index_dossiers, name="index-dossiers"),
    path("notices/preferences/", notification_views.preferences, name="notice-preferences"),
    path("welcome/", common_views.after_login, name="after-login"),
    path("healthz", common_views.health, name="health"),
    path("admin/", admin.site.urls),
    path("accounts/", include("egov.accounts.urls")),
    path("accounts/", include("egov.privacy.urls")),
    # Apps acting as a citizen, with their consent (OAuth 2.0; docs/oauth.md).
    path("o/", include("egov.accounts.oauth.urls")),
    path("oidc/authenticate/", EIDLoginView.as_view(), name="oidc_authentication_init"),
    path("oidc/callback/", EIDCallbackView.as_view(), name="oidc_authentication_callback"),
    path("backoffice/", include("egov.backoffice.urls")),
    path("", include("egov.portal.urls")),
]

handler400 = common_views.bad_request

admin.site.site_header = "Một Cửa"
admin.site.site_title = "Một Cửa"
