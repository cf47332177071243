"""The plug-in's store of personal data (egov/privacy/stores.py): the pavement map knows where
a permit holder's stall stands, by dossier code. The map is a public record of the permits in
force, so erasure leaves it (it names no one); the purge takes the stall off the map."""

from egov.privacy.stores import GONE, Store

from .models import PavementPermit


class PavementPermits(Store):
    name = "pavement_permits"
    models = ("street_vending.PavementPermit",)
    holds = "where the stall of a street-vending permit stands, by dossier code"
    on_erasure = ""  # names no one; the dossier code alone leads back only through a restricted dossier
    on_purge = GONE

    def purge(self, sweep):
        if sweep.dossier.code:
            sweep.count(self, PavementPermit.objects.filter(dossier_code=sweep.dossier.code).delete()[0])
