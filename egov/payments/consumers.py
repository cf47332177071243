"""Events that owe money back: a paid dossier refused, redirected, rejected or withdrawn."""

REFUNDING = {"dossier.refused", "dossier.redirected", "dossier.rejected", "dossier.withdrawn"}


def on_event(event):
    if event.type in REFUNDING and event.dossier_id is not None:
        from .services import queue_refunds

        queue_refunds(event.dossier)
