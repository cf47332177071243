"""In-app notices, for citizens and officers alike."""

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
