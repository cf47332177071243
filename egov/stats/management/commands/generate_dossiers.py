"""Generate a large, plausible history of dossiers fast, with their events, and count them
into the rollups the way the outbox consumer does — to check the figures at scale:
    manage.py generate_dossiers 100000 && manage.py check_rollups

Rows are bulk-inserted (no workflow, no documents): this is a data set for statistics and
load, not a way to create real dossiers.
"""

import datetime
import random

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from egov.accounts.models import User
from egov.agencies.models import Agency
from egov.catalog.selectors import in_force
from egov.dossiers.models import Dossier
from egov.integrations import events
from egov.integrations.models import OutboxEvent
from egov.stats.rollups import apply


class Command(BaseCommand):
    help = "Bulk-create N finished and open dossiers over the past year, with events, and roll them up."

    def add_arguments(self, parser):
        parser.add_argument("count", type=int)
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--batch", type=int, default=2000)

    def handle(self, count, seed, batch, **options):
        rng = random.Random(seed)
        applicant = User.objects.filter(kind=User.Kind.CITIZEN).first()
        versions = [v for v in in_force().select_related("procedure") if v.spec.deciding.get("level") == "commune"]

        communes = list(Agency.objects.filter(level="commune", active=True))
        if not (applicant and versions and communes):
            self.stderr.write("Run seed_demo first (citizens, communes and procedures are needed).")
            return
        now = timezone.now()
        made = 0
        while made < count:
            size = min(batch, count - made)
            dossiers, plans = [], []
            for n in range(size):
                version, unit = rng.choice(versions), rng.choice(communes)
                submitted = now - datetime.timedelta(days=rng.uniform(1, 365), minutes=rng.randint(0, 600))
                fate = rng.choices(["returned", "late", "refused", "withdrawn", "open"], [70, 8, 6, 4, 12])[0]
                dossier = Dossier(
                    applicant=applicant, created_by=applicant, version=version, procedure=version.procedure,
                    channel=rng.choice(["online", "online", "in_person", "post"]), status="submitted",
                    receiving_agency=unit, deciding_agency=unit, submitted_at=submitted,
                    code=f"GEN-{seed}-{made + n:08d}", data={},
                )  # fmt: skip
                kinds = [(events.DOSSIER_SUBMITTED, submitted)]
                if fate in ("returned", "late"):
                    dossier.accepted_at = submitted + datetime.timedelta(hours=1)
                    dossier.due_at = dossier.accepted_at + datetime.timedelta(days=3)
                    done = dossier.accepted_at + datetime.timedelta(days=rng.uniform(0.5, 2.5) if fate == "returned"
                                                                    else rng.uniform(3.5, 6))  # fmt: skip
                    dossier.issued_at = dossier.completed_at = done
                    dossier.status, dossier.returned_how = "returned", "desk"
                    dossier.timeliness = "late" if fate == "late" else ("early" if rng.random() < 0.6 else "on_time")
                    kinds += [(events.ISSUED, done)]
                elif fate == "refused":
                    dossier.status, dossier.completed_at = "refused", submitted + datetime.timedelta(hours=2)
                    kinds += [(events.DOSSIER_REFUSED, dossier.completed_at)]
                elif fate == "withdrawn":
                    dossier.status, dossier.completed_at = "withdrawn", submitted + datetime.timedelta(days=1)
                    kinds += [(events.WITHDRAWN, dossier.completed_at)]
                else:
                    dossier.status = "in_progress"
                    dossier.accepted_at = submitted + datetime.timedelta(hours=1)
                    dossier.due_at = dossier.accepted_at + datetime.timedelta(days=3)
                dossiers.append(dossier)
                plans.append(kinds)
            with transaction.atomic():
                Dossier.objects.bulk_create(dossiers, batch_size=1000)
                created = OutboxEvent.objects.bulk_create(
                    [OutboxEvent(type=kind, dossier=d, occurred_at=moment, dispatched_at=now)
                     for d, kinds in zip(dossiers, plans, strict=True) for kind, moment in kinds],
                    batch_size=2000,
                )  # fmt: skip
            for event in created:
                apply(event)
            made += size
            self.stdout.write(f"{made} dossiers")
        self.stdout.write(self.style.SUCCESS(f"Generated {made} dossiers; now run check_rollups."))
