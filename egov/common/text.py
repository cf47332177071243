"""Localized text as the procedure format defines it.

Text is either a plain string (Vietnamese) or a map of language codes, ``vi`` required;
other languages fall back to ``vi``.
"""

from django.utils import translation

FALLBACK_LANGUAGE = "vi"


def localize(text, language=None):
    """Return ``text`` in ``language`` (default: the active language), falling back to vi."""
    if text is None:
        return ""
    if isinstance(text, str):
        return text
    language = (language or translation.get_language() or FALLBACK_LANGUAGE).split("-")[0]
    return text.get(language) or text.get(FALLBACK_LANGUAGE) or next(iter(text.values()), "")


def as_map(text):
    """Normalise text to the map form ``{"vi": ...}``."""
    if text is None:
        return {}
    if isinstance(text, str):
        return {FALLBACK_LANGUAGE: text}
    return dict(text)
