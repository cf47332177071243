from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone


class Command(BaseCommand):
    help = (
        "Check the audit trail without changing it: every keyed seal in sequence order, no sequence missing, "
        "the anchors outside the database; report the records not sealed yet. Exit 1 on any problem."
    )

    def handle(self, **options):
        from egov.audit.sealing import verify

        report = verify()
        if report.unsealed:
            age = timezone.now() - report.oldest_unsealed
            self.stdout.write(f"{report.unsealed} records not sealed yet (the oldest written {age} ago); "
                              "the sealer runs every minute.")  # fmt: skip
        problems = []
        if report.broken_at is not None:
            problems.append(f"the audit trail was altered at or before record {report.broken_at} (by sequence)")
        if report.missing:
            problems.append(f"records are missing from the chain: sequence {_ranges(report.missing)}")
        problems.extend(report.anchor_problems)
        if problems:
            raise CommandError("; ".join(problems))
        self.stdout.write(self.style.SUCCESS(
            f"Audit trail intact ({report.anchors_checked} anchors checked)."))  # fmt: skip


def _ranges(numbers):
    numbers = sorted(numbers)
    return ", ".join(str(n) for n in numbers[:10]) + ("…" if len(numbers) > 10 else "")
