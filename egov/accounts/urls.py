from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from . import organization_views, two_factor, views
from .forms import ProvedAddressPasswordResetForm
from .oauth import views as app_views

app_name = "accounts"

urlpatterns = [
    path("", views.account, name="account"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("register/", views.register, name="register"),
    path("verify/", views.verify_contact, name="verify-contact"),
    path("code/", views.code_login, name="code-login"),
    path("password/", views.set_password, name="set-password"),
    path("contacts/", views.account_contacts, name="contacts"),
    path("tokens/", views.personal_tokens, name="tokens"),
    path("organizations/", organization_views.my_organizations, name="organizations"),
    path("apps/<str:client_id>/revoke/", app_views.revoke, name="revoke-app"),
    path("2fa/setup/", two_factor.setup, name="2fa-setup"),
    path("2fa/verify/", two_factor.verify, name="2fa-verify"),
    path(
        "password-reset/",
        auth_views.PasswordResetView.as_view(
            template_name="accounts/password_reset.html",
            form_class=ProvedAddressPasswordResetForm,
            email_template_name="emails/password_reset.txt",
            subject_template_name="emails/password_reset_subject.txt",
            success_url=reverse_lazy("accounts:password_reset_done"),
        ),
        name="password_reset",
    ),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="accounts/password_reset_confirm.html",
            success_url=reverse_lazy("accounts:password_reset_complete"),
        ),
        name="password_reset_confirm",
    ),
    path(
        "reset/done/",
        auth_views.PasswordResetCompleteView.as_view(template_name="accounts/password_reset_complete.html"),
        name="password_reset_complete",
    ),
]
