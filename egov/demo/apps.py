from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo province (seed_demo): agencies, one user per role, the demo procedures."""

    name = "egov.demo"
    label = "demo"
