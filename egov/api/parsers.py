"""Request bodies the API accepts: JSON of a bounded size and depth, without NUL characters.

A deeply nested body used to end in a RecursionError (500), a large one in Django's HTML
error page, and a NUL character in PostgreSQL's refusal; each is now a JSON 400 that names
the problem, before any view runs.
"""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError

MAX_DEPTH = 32


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        request = (parser_context or {}).get("request")
        length = int(request.META.get("CONTENT_LENGTH") or 0) if request is not None else 0
        if length > settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
            raise ParseError(_("The request body is too large (at most %(mb)d MB).")
                             % {"mb": settings.DATA_UPLOAD_MAX_MEMORY_SIZE // (1024 * 1024)})  # fmt: skip
        try:
            data = super().parse(stream, media_type, parser_context)
        except (RecursionError, RequestDataTooBig):
            raise ParseError(_("The JSON body is nested too deeply or too large."))
        check(data)
        return data


def check(data):
    """Refuse nesting deeper than MAX_DEPTH and NUL characters anywhere (walked without recursion)."""
    waiting = [(data, 1)]
    while waiting:
        value, depth = waiting.pop()
        if depth > MAX_DEPTH:
            raise ParseError(_("The JSON body is nested too deeply (at most %(n)d levels).") % {"n": MAX_DEPTH})
        if isinstance(value, str):
            if "\x00" in value:
                raise ParseError(_("Text may not contain NUL characters."))
        elif isinstance(value, dict):
            for key, item in value.items():
                if "\x00" in key:
                    raise ParseError(_("Text may not contain NUL characters."))
                waiting.append((item, depth + 1))
        elif isinstance(value, list):
            waiting.extend((item, depth + 1) for item in value)
