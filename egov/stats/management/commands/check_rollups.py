"""Recompute the figures straight from the dossiers and compare them with the rollups."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils.dateparse import parse_date


class Command(BaseCommand):
    help = "Check the statistics rollups against the dossiers for a period (exit 1 on any difference)."

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="start", default="2000-01-01")
        parser.add_argument("--to", dest="end", default=None)

    def handle(self, start, end, **options):
        from egov.stats.rollups import differences

        start = parse_date(start)
        end = parse_date(end) if end else datetime.date.today()
        if start is None or end is None:
            raise CommandError("dates are YYYY-MM-DD")
        found = differences(start, end)
        for key, counter, stored, direct in found[:50]:
            self.stdout.write(f"{key}: {counter} rollup={stored} dossiers={direct}")
        if found:
            raise CommandError(f"{len(found)} differences")
        self.stdout.write(self.style.SUCCESS(f"Rollups match the dossiers from {start} to {end}."))
