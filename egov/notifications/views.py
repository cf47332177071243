"""In-app notices, for citizens and officers alike."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone

from .models import Channel, Notification


@login_required
def inbox(request):
    notices = Notification.objects.filter(recipient=request.user, channel=Channel.IN_APP).select_related(
        "event__dossier"
    )
    page = Paginator(notices, 20).get_page(request.GET.get("page"))
    unread = [n.pk for n in page.object_list if n.read_at is None]
    response = render(request, "notifications/inbox.html", {"page": page, "unread": set(unread)})
    Notification.objects.filter(pk__in=unread).update(read_at=timezone.now())
    return response


def unread_count(request):
    """Context processor: the number shown next to "Notices"."""
    user = getattr(request, "user", None)
    if not getattr(user, "is_authenticated", False):
        return {}
    return {"unread_notices": Notification.objects.filter(recipient=user, channel=Channel.IN_APP,
                                                          read_at__isnull=True).count()}  # fmt: skip


@login_required
def preferences(request):
    """A citizen chooses e-mail and/or SMS and the language; an officer, immediate or a digest."""
    from django.contrib import messages
    from django.shortcuts import redirect
    from django.utils.translation import gettext as _

    from .models import Preference

    preference, _created = Preference.objects.get_or_create(user=request.user)
    if request.method == "POST":
        preference.email = request.POST.get("email") == "on"
        preference.sms = request.POST.get("sms") == "on"
        preference.digest = request.POST.get("digest") == "on" and request.user.kind == "staff"
        preference.save()
        language = request.POST.get("language")
        if language in dict(settings.LANGUAGES):
            request.user.preferred_language = language
            request.user.save(update_fields=["preferred_language"])
        messages.success(request, _("Your choices were saved."))
        return redirect("notice-preferences")
    return render(request, "notifications/preferences.html", {"preference": preference,
                                                              "languages": settings.LANGUAGES})  # fmt: skip
