"""Một Cửa: an open-source one-stop e-government service workflow engine."""

from .celery import app as celery_app

__all__ = ("celery_app",)
