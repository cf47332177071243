from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from egov.accounts.services import grant_role
from egov.common.vocabulary import Role


class Command(BaseCommand):
    help = "Give a staff user (created without a usable password if missing) a role at an agency."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("role", help=", ".join(Role.values))
        parser.add_argument("agency_code")
        parser.add_argument("--full-name", default="")

    def handle(self, username, role, agency_code, full_name, **options):
        try:
            assignment, created = grant_role(username, role, agency_code, full_name=full_name)
        except ValidationError as exc:
            raise CommandError("; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())) from exc
        self.stdout.write(
            f"{'created user ' + username + '; ' if created else ''}{username} is {role} at {agency_code}"
        )
