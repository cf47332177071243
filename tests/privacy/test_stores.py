"""One list of the stores of personal data (egov/privacy/stores.py), and nothing outside it:
a model that can hold text or files is either covered by a store or declared impersonal, with
the reason. A new model that forgets this fails here, before it can keep someone's data."""

from django.apps import apps
from django.db import models

from egov.privacy.stores import IMPERSONAL, Store, all_stores

HOLDING = (models.CharField, models.TextField, models.JSONField, models.FileField, models.GenericIPAddressField)


def test_every_model_that_can_hold_text_or_files_is_accounted_for():
    covered = {label for store in all_stores() for label in store.models}
    holding = {model._meta.label for model in apps.get_models()
               if any(isinstance(field, HOLDING) for field in model._meta.concrete_fields)}  # fmt: skip
    assert holding - covered - set(IMPERSONAL) == set(), "add a store or say why the model holds nothing personal"
    assert covered & set(IMPERSONAL) == set()
    for label in covered | set(IMPERSONAL):  # no stale names
        apps.get_model(label)


def test_each_store_says_what_it_holds_and_what_happens_to_it():
    names = [store.name for store in all_stores()]
    assert len(names) == len(set(names))
    for store in all_stores():
        assert store.holds and (store.on_erasure or store.on_purge), store.name
        # A store that says erasure changes something does it (an archived one may keep all).
        if store.on_erasure and not store.archived:
            assert type(store).erase is not Store.erase, store.name
