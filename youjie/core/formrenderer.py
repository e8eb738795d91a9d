"""The form renderer: Django's Jinja2 renderer, with Django templates for what Jinja2 lacks.

Django ships its form widget templates in Jinja2 form too, and renders them several times
faster that way (docs/decisions/0004). The admin's own widget templates (related-object
wrappers, date pickers) exist only as Django templates: those fall back to the default renderer.
"""

from __future__ import annotations

from typing import Any

from django.forms.renderers import DjangoTemplates, Jinja2
from django.template import TemplateDoesNotExist
from django.utils.functional import cached_property


class FormRenderer(Jinja2):
    @cached_property
    def fallback(self) -> DjangoTemplates:
        return DjangoTemplates()

    def get_template(self, template_name: str) -> Any:
        try:
            return super().get_template(template_name)
        except TemplateDoesNotExist:
            return self.fallback.get_template(template_name)
