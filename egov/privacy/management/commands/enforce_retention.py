"""manage.py enforce_retention [--dry-run] [--as-of YYYY-MM-DD]"""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from egov.privacy.retention import enforce


class Command(BaseCommand):
    help = "Remove the papers and personal data of closed dossiers whose retention period ran out, and old drafts."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Count what would be removed; change nothing.")
        parser.add_argument("--as-of", help="With --dry-run: count as if today were this date (YYYY-MM-DD).")

    def handle(self, *args, dry_run=False, as_of=None, **options):
        now = None
        if as_of and not dry_run:  # removing data before its time is never what anyone wants
            raise CommandError("--as-of only goes with --dry-run")
        if as_of:
            try:
                day = datetime.date.fromisoformat(as_of)
            except ValueError as exc:
                raise CommandError(f"--as-of: {as_of!r} is not a date (YYYY-MM-DD)") from exc
            now = timezone.make_aware(datetime.datetime.combine(day, datetime.time.max))
        outcome = enforce(now=now, dry_run=dry_run)
        verb = "Would remove" if dry_run else "Removed"
        self.stdout.write(
            f"{verb} the personal data of {outcome.purged} closed dossiers "
            f"({outcome.papers_deleted} papers, {outcome.documents_deleted} working documents) "
            f"and {outcome.drafts_deleted} abandoned drafts"
            + ("." if dry_run else f"; {outcome.spooled_deleted} spooled messages older than the spool period.")
        )
