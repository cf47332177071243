"""Load the demo province. Idempotent: running it again changes nothing that exists."""

from pathlib import Path

import yaml
from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from egov.accounts.identity import mark_verified
from egov.accounts.models import IdentityProof, User
from egov.accounts.services import create_citizen, grant_role
from egov.agencies.services import import_agencies
from egov.calendar.services import seed_year
from egov.catalog.demo import load_demo_procedures

DATA = Path(__file__).resolve().parent.parent.parent / "data"


def load(name):
    return yaml.safe_load((DATA / name).read_text(encoding="utf-8"))


class Command(BaseCommand):
    help = "Load the demo province: agencies, one user per role (logins printed), demo procedures. Idempotent."

    @transaction.atomic
    def handle(self, *args, **options):
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
        self._load_procedures()
        self.stdout.write(self.style.SUCCESS("\nDemo logins (password: %s)" % password))
        width = max(len(u) for u, _ in logins)
        for username, roles in logins:
            self.stdout.write(f"  {username.ljust(width)}  {roles}")

    def _load_procedures(self):
        """Demo procedures and the plug-ins' (egov/catalog/demo.py)."""
        for line in load_demo_procedures():
            self.stdout.write(line)
