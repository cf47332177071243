import json
from pathlib import Path

import yaml
from django.core.management.base import BaseCommand, CommandError

from egov.agencies.services import AgencyImportError, import_agencies


class Command(BaseCommand):
    help = "Create or update agencies from a YAML/JSON list {code, name, level, parent, service_centre}. Idempotent."

    def add_arguments(self, parser):
        parser.add_argument("path")

    def handle(self, path, **options):
        file = Path(path)
        try:
            text = file.read_text(encoding="utf-8")
            records = json.loads(text) if file.suffix == ".json" else yaml.safe_load(text)
        except (OSError, ValueError, yaml.YAMLError) as exc:
            raise CommandError(f"{path}: {exc}") from exc
        try:
            report = import_agencies(records)
        except AgencyImportError as exc:
            for error in exc.errors:
                self.stderr.write(f"{path}: {error}")
            raise CommandError(f"{path}: nothing imported ({len(exc.errors)} errors)") from exc
        self.stdout.write(
            f"created {len(report.created)}, updated {len(report.updated)}, unchanged {len(report.unchanged)}"
            + (f", renamed {', '.join(report.renamed)}" if report.renamed else "")
        )
