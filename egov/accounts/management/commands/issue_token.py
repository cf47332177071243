from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from egov.accounts.models import PersonalToken
from egov.accounts.services import issue_token


class Command(BaseCommand):
    help = (
        "Print a new personal API token for a user (Authorization: Token <token>). Staff and role holders "
        "give a current code of their authenticator app (--otp) where the second factor is on."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--otp", help="a current code of the user's authenticator app")
        parser.add_argument("--days", type=int, help="valid this many days (default EGOV_TOKEN_DAYS)")
        parser.add_argument("--read-only", action="store_true", help="the token may only read")

    def handle(self, username, otp=None, days=None, read_only=False, **options):
        user = get_user_model().objects.filter(username__iexact=username).first()
        if user is None:
            raise CommandError(f"no user '{username}'")
        scope = PersonalToken.Scope.READ if read_only else PersonalToken.Scope.WRITE
        try:
            self.stdout.write(issue_token(user, otp=otp, days=days, scope=scope, name="manage.py issue_token"))
        except ValidationError as exc:
            raise CommandError("; ".join(m for ms in exc.message_dict.values() for m in ms))
