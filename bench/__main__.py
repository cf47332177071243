"""Run the benchmarks: ``python -m bench [name ...]`` (default: all).

Each benchmark works in a throwaway database: SQLite in a temporary folder by default,
or the database named by ``DATABASE_URL`` (PostgreSQL: its test tables are created and
dropped). Figures are printed as medians and percentiles; machines are noisy, so compare
ratios within one run rather than absolute numbers across machines.
"""

import os
import sys
import tempfile

# api_load before queue: the queue's million generated dossiers would be the load's history.
BENCHMARKS = ["lifecycle", "documents", "api_load", "queue"]
# Run only when named: the drill restarts the PostgreSQL server.
ON_REQUEST = ["drills"]


def main(argv):
    names = argv or BENCHMARKS
    unknown = set(names) - set(BENCHMARKS) - set(ON_REQUEST)
    if unknown:
        sys.exit(f"unknown benchmark(s): {', '.join(sorted(unknown))}; "
                 f"choose from {', '.join(BENCHMARKS + ON_REQUEST)}")  # fmt: skip
    os.environ.setdefault("EGOV_VAR_DIR", tempfile.mkdtemp(prefix="egov-bench-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "egov.settings.base")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ.setdefault("EGOV_STAFF_2FA", "false")  # pages are requested as a logged-in officer
    # A handful of demo citizens file thousands of dossiers here: a citizen's quotas and upload
    # rate (egov/dossiers/services/applying.py) are for people, not for a load generator.
    for name, value in {"EGOV_MAX_DRAFTS": "1000000", "EGOV_UPLOAD_RATE": "1000000/hour",
                        "EGOV_MAX_UPLOAD_BYTES_PER_USER": str(2**50), "EGOV_LOGIN_ADDRESS_RATE": "1000000/hour",
                        "EGOV_TRACK_RATE": "1000000/minute"}.items():  # fmt: skip
        os.environ.setdefault(name, value)
    # Background work is queued (in memory) but not run: the figures are the engine's own.
    os.environ["CELERY_TASK_ALWAYS_EAGER"] = "false"
    os.environ.setdefault("CELERY_BROKER_URL", "memory://")
    import django

    django.setup()
    from django.core.management import call_command
    from django.test.utils import setup_databases, teardown_databases

    # setup_databases makes test_* databases, so a PostgreSQL DATABASE_URL is never touched.
    config = setup_databases(verbosity=0, interactive=False)
    try:
        with open(os.devnull, "w") as quiet:
            call_command("seed_demo", stdout=quiet)
        import importlib

        for name in names:
            importlib.import_module(f"bench.{name}").run()
    finally:
        teardown_databases(config, verbosity=0)


if __name__ == "__main__":
    main(sys.argv[1:])
