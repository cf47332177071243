"""My organisations: those a person may file for, and — for their legal representative —
who else may (egov/accounts/organizations.py decides and audits)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from . import organizations


@login_required
def my_organizations(request):
    user = request.user
    if request.method == "POST":
        organization = organizations.represented_by(user).filter(pk=request.POST.get("organization")).first()
        if organization is None:
            messages.error(request, _("Only the organisation's legal representative names who may file."))
            return redirect("accounts:organizations")
        try:
            if request.POST.get("action") == "remove":
                organizations.remove_member(user, organization, request.POST.get("member"))
                messages.success(request, _("This person may no longer file for the organisation."))
            else:
                organizations.add_member(user, organization, request.POST.get("personal_id", ""),
                                         request.POST.get("full_name", ""))  # fmt: skip
                messages.success(request, _("This person may now file for the organisation and see its dossiers."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect("accounts:organizations")
    represented = [(org, organizations.members_of(org)) for org in organizations.represented_by(user)]
    staff_of = organizations.filing_for(user).exclude(legal_representative=user)
    return render(request, "accounts/organizations.html", {"represented": represented, "staff_of": staff_of})
