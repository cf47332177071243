from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.contrib.auth.password_validation import validate_password
from django.utils.translation import gettext_lazy as _

from .models import User
from .validators import normalise_email, normalise_phone, validate_personal_id, validate_phone


class LoginForm(AuthenticationForm):
    username = forms.CharField(
        label=_("Username, e-mail or phone"),
        max_length=254,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )


class RegistrationForm(forms.Form):
    """A citizen account, reached by e-mail or phone once a code proved it (views.register)."""

    full_name = forms.CharField(
        label=_("Full name"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    email = forms.EmailField(
        label=_("E-mail"), required=False, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    phone = forms.CharField(label=_("Phone"), required=False, max_length=20,
                            widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}))  # fmt: skip
    personal_id = forms.CharField(label=_("Personal identification number (12 digits)"), required=False, max_length=12,
                                  widget=forms.TextInput(attrs={"inputmode": "numeric"}))  # fmt: skip
    password1 = forms.CharField(
        label=_("Password"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    password2 = forms.CharField(
        label=_("Password again"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    consent = forms.BooleanField(label=_("I agree to the processing of my personal data described above"),
                                 required=True)  # fmt: skip

    def clean_email(self):
        return normalise_email(self.cleaned_data["email"])

    def clean_phone(self):
        return _clean_phone(self.cleaned_data["phone"])

    def clean_personal_id(self):
        value = self.cleaned_data["personal_id"].strip()
        if value:
            validate_personal_id(value)
        return value

    def clean(self):
        data = super().clean()
        if not data.get("email") and not data.get("phone"):
            raise forms.ValidationError(_("Give an e-mail address or a phone number: you will log in with it."))
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", _("The two passwords differ."))
        elif data.get("password1"):
            try:
                validate_password(data["password1"])
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return data


def _clean_phone(value):
    phone = (value or "").strip()
    if phone:
        validate_phone(phone)
        phone = normalise_phone(phone)
    return phone


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"), max_length=6, min_length=6,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )  # fmt: skip


class ContactForm(forms.Form):
    email = forms.EmailField(label=_("E-mail"), required=False,
                             widget=forms.EmailInput(attrs={"autocomplete": "email"}))  # fmt: skip
    phone = forms.CharField(label=_("Phone"), required=False, max_length=20,
                            widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}))  # fmt: skip

    def clean_email(self):
        return normalise_email(self.cleaned_data["email"])

    def clean_phone(self):
        return _clean_phone(self.cleaned_data["phone"])


class ProvedAddressPasswordResetForm(PasswordResetForm):
    """A reset link goes only to an address its account proved (a typed one may be anyone's)."""

    def get_users(self, email):
        return (
            user
            for user in User._default_manager.filter(
                email=normalise_email(email), email_verified_at__isnull=False, is_active=True
            )
            if user.has_usable_password()
        )


class AddressForm(forms.Form):
    """An e-mail address or a phone number, whichever was typed."""

    address = forms.CharField(
        label=_("E-mail or phone"), max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}),
    )  # fmt: skip

    def clean(self):
        data = super().clean()
        value = (data.get("address") or "").strip()
        if "@" in value:
            data["channel"], data["address"] = "email", normalise_email(value)
        else:
            try:
                data["channel"], data["address"] = "phone", _clean_phone(value)
            except forms.ValidationError:
                self.add_error("address", _("Enter your e-mail address or your phone number."))
        return data
