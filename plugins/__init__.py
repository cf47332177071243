"""Example plug-in apps. Enable one with EGOV_PLUGINS=plugins.street_vending (see docs/plugins.md)."""
