"""The rendering shortcuts behave as Django's own: form renderer, warm-up, static addresses."""

from __future__ import annotations

import gc
import sys

import pytest
from django import forms
from django.template.backends.django import Template as DjangoTemplate
from django.template.backends.jinja2 import Template as JinjaTemplate
from django.test import override_settings

from youjie.core.formrenderer import FormRenderer
from youjie.core.warmup import warm_up


class _Form(forms.Form):
    colour = forms.ChoiceField(choices=[("r", "红<"), ("g", "绿")])


def test_widgets_render_with_jinja2_and_admin_widgets_fall_back():
    renderer = FormRenderer()
    assert isinstance(renderer.get_template("django/forms/widgets/select.html"), JinjaTemplate)
    assert isinstance(
        renderer.get_template("admin/widgets/related_widget_wrapper.html"), DjangoTemplate
    )
    html = str(_Form(data={"colour": "g"}, renderer=renderer)["colour"])
    assert '<select name="colour"' in html
    assert '<option value="g" selected>绿</option>' in html
    assert "红&lt;" in html  # escaped as Django's templates escape


def test_warm_up_loads_the_dictionary_and_freezes_what_is_loaded():
    with override_settings(YOUJIE_WARM_UP=False):
        warm_up()
        assert gc.get_freeze_count() == 0
    with override_settings(YOUJIE_WARM_UP=True):
        before = sys.getswitchinterval()
        try:
            warm_up()
            assert gc.get_freeze_count() > 10_000
            assert sys.getswitchinterval() == pytest.approx(0.0005)
        finally:
            gc.unfreeze()
            sys.setswitchinterval(before)


def test_static_addresses_are_remembered_and_unchanged():
    from whitenoise.storage import CompressedStaticFilesStorage

    from youjie.core.staticstorage import StaticFilesStorage

    storage = StaticFilesStorage()
    expected = CompressedStaticFilesStorage().url("css/app.css")
    assert storage.url("css/app.css") == expected
    assert storage.url("css/app.css") == expected
    assert storage._urls == {"css/app.css": expected}
    assert storage.url("js/a b.js").endswith("js/a%20b.js")  # quoted as the parent quotes
