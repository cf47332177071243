from django.core.management.base import BaseCommand
from django.utils import timezone

from egov.calendar.services import seed_year


class Command(BaseCommand):
    help = "Seed public holidays (and swapped working Saturdays) from the holidays package. Idempotent."

    def add_arguments(self, parser):
        parser.add_argument("years", nargs="*", type=int, help="years to seed (default: this year and the next)")

    def handle(self, *args, years, **options):
        years = years or [timezone.localdate().year, timezone.localdate().year + 1]
        for year in years:
            seed_year(year)
            self.stdout.write(f"seeded {year}")
