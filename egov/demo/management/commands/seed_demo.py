"""Load the demo province. Idempotent: running it again changes nothing that exists.

``--history`` (what ``make run`` uses) also plays a year of dossiers through the services
(egov/demo/history.py), once: the procedures are then published a year and a bit ago, as a
province that has lived the year would have them.
"""

import datetime
import time
from pathlib import Path

import time_machine
import yaml
from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import Min
from django.utils import timezone

from egov.accounts import organizations
from egov.accounts.identity import mark_verified
from egov.accounts.models import IdentityProof, User
from egov.accounts.services import create_citizen, grant_role
from egov.agencies.services import import_agencies
from egov.calendar.services import seed_year
from egov.catalog.demo import load_demo_procedures
from egov.demo.history import live_a_year
from egov.dossiers.models import Dossier

DATA = Path(__file__).resolve().parent.parent.parent / "data"


def load(name):
    return yaml.safe_load((DATA / name).read_text(encoding="utf-8"))


class Command(BaseCommand):
    help = "Load the demo province: agencies, one user per role (logins printed), demo procedures. Idempotent."

    def add_arguments(self, parser):
        parser.add_argument("--history", action="store_true",
                            help="also play a year of dossiers through the services (once)")
        parser.add_argument("--dossiers", type=int, default=600, help="how many dossiers the year has")
        parser.add_argument("--seed", type=int, default=2026, help="the history's random seed (same seed, same year)")

    def handle(self, *args, history=False, dossiers=600, seed=2026, **options):
        with transaction.atomic():
            self._province(published_since=self._history_start() if history else None)
        if history:
            self._history(dossiers, seed)

    def _history_start(self):
        """Procedures published before the year of history began (only if not loaded yet:
        a version is never put in force retroactively)."""
        from egov.catalog.models import Procedure

        if Procedure.objects.exists():
            return None
        return timezone.now() - datetime.timedelta(days=400)

    def _history(self, count, seed):
        if Dossier.objects.exclude(code=None).exists():
            self.stdout.write("history: dossiers exist already; none added")
            return
        from egov.catalog.models import ProcedureVersion

        first = ProcedureVersion.objects.filter(status=ProcedureVersion.Status.PUBLISHED).aggregate(
            first=Min("effective_from"))["first"]  # fmt: skip
        if first is None or first > timezone.now() - datetime.timedelta(days=365):
            self.stdout.write(
                "history: the demo procedures came into force on %s, too recently to have lived a year under "
                "them; a year of history needs an empty database (delete var/egov.sqlite3)" % (first and first.date()))
            return
        started = time.perf_counter()
        self.stdout.write(f"history: playing {count} dossiers over the past year (seed {seed})…")
        report = live_a_year(count, seed, log=self.stdout.write)
        states = ", ".join(f"{state} {n}" for state, n in sorted(report.by_status.items()))
        self.stdout.write(self.style.SUCCESS(
            f"history: {report.dossiers} dossiers in {time.perf_counter() - started:.0f} s ({states}); "
            f"{report.events} events counted into the figures"))  # fmt: skip
        for number, reason in report.skipped[:10]:
            self.stderr.write(f"  dossier {number} not played: {reason}")

    def _province(self, published_since):
        year = timezone.localdate().year
        for y in (year - 1, year, year + 1):
            seed_year(y)
        report = import_agencies(load("agencies.yaml"))
        self.stdout.write(
            f"agencies: {len(report.created)} created, {len(report.unchanged) + len(report.updated)} kept"
        )
        password = settings.EGOV_DEMO_PASSWORD
        users = load("users.yaml")
        logins = []
        for item in users["staff"]:
            for role, agency in item["roles"]:
                grant_role(item["username"], role, agency, full_name=item["full_name"])
            user = User.objects.get(username=item["username"])
            if not user.has_usable_password():
                user.set_password(password)
            user.is_staff = bool(item.get("superuser")) or any(r == "procedure_admin" for r, _ in item["roles"])
            user.is_superuser = bool(item.get("superuser"))
            user.save()
            logins.append((item["username"], ", ".join(f"{r}@{a}" for r, a in item["roles"])))
        desk = User.objects.get(username="tiepnhan.dongha")
        for item in users["citizens"]:
            if not User.objects.filter(username=item["username"]).exists():
                citizen = create_citizen(
                    item["username"],
                    full_name=item["full_name"],
                    personal_id=item["personal_id"],
                    email=item["email"],
                    phone=item["phone"],
                    address=item["address"],
                    date_of_birth=item["date_of_birth"],
                    password=password,
                )
                # The demo citizens came to the Đông Hà desk once: their numbers are verified,
                # their e-mail and phone proved (they log in with them).
                mark_verified(citizen, IdentityProof.DESK, desk)
                User.objects.filter(pk=citizen.pk).update(email_verified_at=timezone.now(),
                                                          phone_verified_at=timezone.now())  # fmt: skip
            logins.append((item["username"], "citizen"))
        logins += self._foreigners_and_organizations(users, desk, password)
        self._load_procedures(published_since)
        self.stdout.write(self.style.SUCCESS("\nDemo logins (password: %s)" % password))
        width = max(len(u) for u, _ in logins)
        for username, roles in logins:
            self.stdout.write(f"  {username.ljust(width)}  {roles}")

    def _foreigners_and_organizations(self, users, desk, password):
        logins = []
        for item in users.get("foreigners", []):
            if not User.objects.filter(username=item["username"]).exists():
                person = create_citizen(item["username"], full_name=item["full_name"], email=item["email"],
                                        phone=item["phone"], address=item["address"], password=password)  # fmt: skip
                now = timezone.now()
                User.objects.filter(pk=person.pk).update(
                    passport_number=item["passport_number"], nationality=item["nationality"], passport_verified_at=now,
                    passport_verified_by=desk, email_verified_at=now, phone_verified_at=now,
                )  # fmt: skip
            logins.append((item["username"], "citizen (foreign national)"))
        for item in users.get("organizations", []):
            if organizations.by_tax_code(item["tax_code"]) is not None:
                continue
            legal = User.objects.get(username=item["legal_representative"])
            organization = organizations.register(
                desk, tax_code=item["tax_code"], name=item["name"], address=item["address"], phone=item["phone"],
                email=item["email"], legal_representative=legal,
            )  # fmt: skip
            for username in item.get("staff", []):
                staff = User.objects.get(username=username)
                organizations.add_member(legal, organization, staff.personal_id, staff.full_name)
        return logins

    def _load_procedures(self, published_since=None):
        """Demo procedures and the plug-ins' (egov/catalog/demo.py), published now or at
        ``published_since``."""
        if published_since is None:
            lines = list(load_demo_procedures())
        else:
            with time_machine.travel(published_since, tick=False):
                lines = list(load_demo_procedures())
        for line in lines:
            self.stdout.write(line)
