from django.core.management.base import BaseCommand, CommandError

from egov.catalog.diagram import bpmn_of
from egov.catalog.format import to_yaml
from egov.catalog.models import ProcedureVersion


class Command(BaseCommand):
    help = "Print a procedure definition as YAML, or its path as BPMN 2.0 XML (default: its latest version)."

    def add_base_argument(self, parser, *args, **kwargs):
        # --version means the procedure version here (DESIGN.md), not Django's version.
        if "--version" not in args:
            super().add_base_argument(parser, *args, **kwargs)

    def add_arguments(self, parser):
        parser.add_argument("code")
        parser.add_argument("--version", type=int, dest="number", help="version number")
        parser.add_argument("--format", choices=["yaml", "bpmn"], default="yaml", dest="output_format")

    def handle(self, code, number, output_format, **options):
        versions = ProcedureVersion.objects.filter(procedure__code=code).order_by("-number")
        version = versions.filter(number=number).first() if number else versions.first()
        if version is None:
            raise CommandError(f"no procedure {code}" + (f" version {number}" if number else ""))
        if output_format == "bpmn":
            self.stdout.write(bpmn_of(version).decode("utf-8"), ending="")
        else:
            self.stdout.write(to_yaml(version.definition), ending="")
