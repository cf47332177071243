"""Administrators' templates (result documents, messages), rendered in a sandbox.

An administrator may write HTML with variables and the plain built-in tags (if, for, …)
and filters. Tags that reach outside the template (load, include, extends, debug, …) are
refused when the template is saved, the engine has no loaders and no libraries, values
are auto-escaped, and the context holds plain data only (no model objects whose methods
a template could reach).
"""

from django.core.exceptions import ValidationError
from django.template import Context, Engine, TemplateSyntaxError
from django.template.base import Lexer, TokenType
from django.utils.translation import gettext as _

FORBIDDEN_TAGS = {"load", "include", "extends", "debug", "ssi", "url", "static", "csrf_token", "block", "templatetag"}
ENGINE = Engine(loaders=[], libraries={}, autoescape=True, debug=False, string_if_invalid="")


def check_template(body):
    """Raise ValidationError naming the problem, or return the compiled template."""
    for token in Lexer(body).tokenize():
        if token.token_type == TokenType.BLOCK:
            name = token.split_contents()[0] if token.contents.strip() else ""
            if name in FORBIDDEN_TAGS:
                raise ValidationError(_("The tag {%% %(tag)s %%} is not allowed in a result template.") % {"tag": name})
    try:
        return ENGINE.from_string(body)
    except TemplateSyntaxError as exc:
        raise ValidationError(_("Template error: %(error)s") % {"error": exc})


def render_sandboxed(body, context):
    return check_template(body).render(Context(context, autoescape=True))
