import pytest
from rest_framework.test import APIClient

from egov.calendar.services import forget_seeded_years


@pytest.fixture(autouse=True)
def _fresh_calendar_cache():
    # Each test starts from its own database: the process-wide "year seeded" memo must too.
    forget_seeded_years()
    yield
    forget_seeded_years()


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def demo_agencies(db):
    """The demo province's agency tree."""
    import yaml

    from egov.agencies.models import Agency
    from egov.agencies.services import import_agencies
    from egov.demo.management.commands.seed_demo import DATA

    import_agencies(yaml.safe_load((DATA / "agencies.yaml").read_text(encoding="utf-8")))
    return {agency.code: agency for agency in Agency.objects.all()}
