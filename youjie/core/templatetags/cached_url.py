"""``{% url %}`` with a memo for the argument-free names that every page prints.

A page's navigation, tabs and forms print the same fixed addresses on every request (25 on a
desk list page); ``reverse()`` costs ~40 µs each time. This library is a template *builtin*
(``TEMPLATES[…]["OPTIONS"]["builtins"]``), so its ``url`` replaces Django's in every template
without a ``{% load %}``: a literal view name with no arguments is reversed once per script
prefix and current app, and anything else (arguments, a variable name) goes through Django's
own ``URLNode`` unchanged. The URL configuration does not change while the process runs.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.template.base import Parser, Token
from django.template.defaulttags import URLNode
from django.template.defaulttags import url as django_url
from django.urls import NoReverseMatch, get_script_prefix, reverse
from django.utils.html import conditional_escape

register = template.Library()

_MEMO: dict[tuple[str, str | None, str], str] = {}


class CachedURLNode(URLNode):
    def render(self, context: template.Context) -> str:
        name = self.view_name.var
        if self.args or self.kwargs or not isinstance(name, str) or self.view_name.filters:
            return super().render(context)
        request = getattr(context, "request", None)
        current_app = getattr(request, "current_app", None)
        if current_app is None:
            match = getattr(request, "resolver_match", None)
            current_app = getattr(match, "namespace", None)
        key = (name, current_app, get_script_prefix())
        url = _MEMO.get(key)
        if url is None:
            try:
                url = reverse(name, current_app=current_app)
            except NoReverseMatch:
                if not self.asvar:
                    raise
                url = ""  # as Django's tag: "{% url … as var %}" fails quietly
            else:
                _MEMO[key] = url
        if self.asvar:
            context[self.asvar] = url
            return ""
        return str(conditional_escape(url)) if context.autoescape else url


@register.tag
def url(parser: Parser, token: Token) -> Any:
    node = django_url(parser, token)
    return CachedURLNode(node.view_name, node.args, node.kwargs, node.asvar)
