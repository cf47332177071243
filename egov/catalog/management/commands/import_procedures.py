from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from egov.catalog.format import DefinitionError, load_text
from egov.catalog.services import import_definition

SUFFIXES = (".yaml", ".yml", ".json")


def definition_files(paths):
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.suffix in SUFFIXES and p.is_file())
        else:
            yield path


class Command(BaseCommand):
    help = (
        "Import procedure definitions from files or folders (YAML or JSON). Each valid file creates the "
        "procedure or a new draft version; an invalid file imports nothing and is listed with every error."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH")
        parser.add_argument("--publish", action="store_true", help="publish what was imported")

    def handle(self, paths, publish, **options):
        failed = 0
        # Messages in English: they are read by operators and parsed by scripts.
        with translation.override("en"):
            for path in definition_files(paths):
                try:
                    definition = load_text(path.read_text(encoding="utf-8"), name=path.name)
                    result = import_definition(definition, publish=publish)
                except OSError as exc:
                    failed += 1
                    self.stderr.write(f"{path}: {exc.strerror or exc}")
                    continue
                except DefinitionError as exc:
                    failed += 1
                    for error in exc.errors:
                        self.stderr.write(f"{path}: {error}")
                    continue
                self.stdout.write(f"{path}: {result.describe()}" + (" — published" if result.published else ""))
        if failed:
            raise CommandError(f"{failed} file(s) not imported")
