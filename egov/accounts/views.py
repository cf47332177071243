"""Registration of citizen accounts (login, logout and password reset are Django's views)."""

from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme

from .forms import RegistrationForm
from .services import create_citizen


def register(request):
    form = RegistrationForm(request.POST or None)
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = create_citizen(
                data["email"] or data["phone"], full_name=data["full_name"], email=data["email"], phone=data["phone"],
                personal_id=data["personal_id"], password=data["password1"],
            )  # fmt: skip
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, messages)
        else:
            from .consent import record_consent

            record_consent(user, "registration")
            login(request, user, backend="egov.accounts.backends.EmailOrPhoneBackend")
            if next_url and url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
                return redirect(next_url)
            return redirect("portal:my-dossiers")
    from .consent import consent_text

    return render(request, "accounts/register.html", {"form": form, "next": next_url,
                                                      "consent_text": consent_text("registration")},
                  status=400 if request.method == "POST" else 200)  # fmt: skip
