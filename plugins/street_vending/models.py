from django.db import models


class PavementPermit(models.Model):
    """The pavement map's record of a permit, kept by the plug-in's event handler."""

    dossier_code = models.CharField(max_length=60, unique=True)
    street = models.CharField(max_length=200)
    stall_area = models.DecimalField(max_digits=6, decimal_places=2)
    issued_at = models.DateTimeField()

    def __str__(self):
        return f"{self.dossier_code}: {self.street}"
