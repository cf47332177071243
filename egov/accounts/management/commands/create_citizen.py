import datetime

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from egov.accounts.services import create_citizen


class Command(BaseCommand):
    help = "Create a citizen account (for provisioning and tests)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--full-name", required=True)
        parser.add_argument("--personal-id", required=True)
        parser.add_argument("--email", default="")
        parser.add_argument("--phone", default="")
        parser.add_argument("--address", default="")
        parser.add_argument("--date-of-birth", default=None, help="YYYY-MM-DD")
        parser.add_argument("--password", default=None, help="omit for an account without a usable password")

    def handle(self, username, full_name, personal_id, email, phone, address, date_of_birth, password, **options):
        try:
            dob = datetime.date.fromisoformat(date_of_birth) if date_of_birth else None
            user = create_citizen(
                username,
                full_name=full_name,
                personal_id=personal_id,
                email=email,
                phone=phone,
                address=address,
                date_of_birth=dob,
                password=password,
            )
        except ValueError as exc:
            raise CommandError(f"date-of-birth: {exc}") from exc
        except ValidationError as exc:
            raise CommandError("; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())) from exc
        self.stdout.write(f"created citizen {user.username} ({user.full_name})")
