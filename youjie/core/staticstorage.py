"""Static files storage: whitenoise's compressed storage, with addresses remembered.

Every page prints the same few static addresses (style sheet, htmx, the app's script, the
screen-pop); ``url()`` rebuilds each one by quoting and joining on every call, a tenth of a
list page's template time. The address of a name does not change while the process runs.
"""

from __future__ import annotations

from whitenoise.storage import CompressedStaticFilesStorage


class StaticFilesStorage(CompressedStaticFilesStorage):  # type: ignore[misc]  # untyped
    _urls: dict[str, str]

    def url(self, name: str | None) -> str:
        if name is None:
            return str(super().url(name))
        memo: dict[str, str] = self.__dict__.setdefault("_urls", {})
        found = memo.get(name)
        if found is None:
            found = memo[name] = str(super().url(name))
        return found
