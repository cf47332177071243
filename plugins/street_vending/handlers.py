"""Reacting to the engine's events (idempotent: an event may be delivered twice)."""

from decimal import Decimal

from egov.integrations import events


def on_event(event):
    if event.type != events.ISSUED or event.dossier is None:
        return
    dossier = event.dossier
    if dossier.procedure.code != "9.000001.H56":
        return
    from .models import PavementPermit

    PavementPermit.objects.get_or_create(
        dossier_code=dossier.code,
        defaults={"street": dossier.data["street"], "stall_area": Decimal(str(dossier.data["stall_area"])),
                  "issued_at": dossier.issued_at},
    )  # fmt: skip
