from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from egov.accounts.services import issue_token


class Command(BaseCommand):
    help = "Print an API token for a user (Authorization: Token <key>)."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, username, **options):
        user = get_user_model().objects.filter(username__iexact=username).first()
        if user is None:
            raise CommandError(f"no user '{username}'")
        self.stdout.write(issue_token(user))
