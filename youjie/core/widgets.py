"""Form widgets that speak Chinese whatever the browser's language (issue 12, item 17).

A native file input's button and "No file chosen", and a native date input's "mm/dd/yyyy", are
drawn by the browser in its own language: an English-language Chromium at the court showed
them in English. These widgets draw their own text instead.
"""

from __future__ import annotations

from typing import Any

from django import forms

DATE_PLACEHOLDER = "年-月-日，如 2025-03-01"
DATE_PATTERN = r"\d{4}-\d{1,2}-\d{1,2}"


class ChineseFileInput(forms.FileInput):
    """The native input, visually hidden but focusable, under a "选择文件" button (a label for
    it) and the chosen file's name ("未选择文件" until then; static/js/app.js fills it in)."""

    template_name = "core/widgets/file_input.html"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        attrs = dict(attrs or {})
        attrs["class"] = " ".join(filter(None, [attrs.get("class", ""), "file-picker-input"]))
        super().__init__(attrs)


class ChineseDateInput(forms.DateInput):
    """A text box for 年-月-日 with a Chinese placeholder, not the browser's date box."""

    input_type = "text"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        defaults = {
            "placeholder": DATE_PLACEHOLDER,
            "title": "日期，格式：年-月-日",
            "inputmode": "numeric",
            "pattern": DATE_PATTERN,
            "autocomplete": "off",
            "maxlength": "10",
            "class": "date-input",
        }
        super().__init__({**defaults, **(attrs or {})}, format="%Y-%m-%d")
