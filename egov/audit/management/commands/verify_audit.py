from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Seal new audit records, then check the whole chain; exit 1 at the first broken link."

    def handle(self, **options):
        from egov.audit.sealing import first_broken_link, seal

        sealed = seal()
        broken = first_broken_link()
        if broken is not None:
            raise CommandError(f"the audit trail was altered at or before record {broken}")
        self.stdout.write(self.style.SUCCESS(f"Audit trail intact ({sealed} records newly sealed)."))
