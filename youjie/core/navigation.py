"""The staff navigation (the links in base.html's header), as a registry; core imports no app.

Each app that has pages for staff declares its links in its own ``<app>/navigation.py``:

    from youjie.core.navigation import register_nav_entry
    from youjie.petitions.permissions import may_see_petitions

    register_nav_entry(
        label="信访化解", url_name="petitions:list", order=45, visible=may_see_petitions
    )

CoreConfig.ready() imports every installed app's ``navigation`` module (Django's
``autodiscover_modules``, as the admin finds ``admin.py``), so a new app adds its link without
editing base.html or another app. ``visible(user)`` is the app's permission rule (its
``permissions.py``): the decision stays in Python, and the template only loops over
``nav_entries`` (youjie.core.context_processors.nav). The page itself still checks permissions;
the navigation only spares people links they cannot use.

``order`` places the link; the links of today, for reference: 首页 10, 诉事速办 20, 登记诉求 30,
办理统计 40, 人员查询 50, 法院案件 60, 工作日历 70, 系统配置 90.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.module_loading import autodiscover_modules

from youjie.core.viewers import Viewer

# An app's rule takes anybody (``request.user``) and answers False for a visitor not signed in.
Visible = Callable[[Viewer], bool]


def signed_in(user: Viewer) -> bool:
    """Everybody who sees the navigation at all (base.html shows it to signed-in users only)."""
    return user.is_authenticated


@dataclass(frozen=True)
class NavEntry:
    label: str  # the link's text, in Chinese
    url_name: str  # reversed by the template's {% url %}, so it takes no arguments
    order: int  # lower first; ties by label
    visible: Visible = signed_in  # the app's permission rule: does this user get the link?


_ENTRIES: dict[tuple[str, str], NavEntry] = {}


def register_nav_entry(
    *, label: str, url_name: str, order: int, visible: Visible = signed_in
) -> NavEntry:
    """Add a link (again: the same label and address replace the earlier entry, so a module
    imported twice does not show its link twice)."""
    entry = NavEntry(label=label, url_name=url_name, order=order, visible=visible)
    _ENTRIES[label, url_name] = entry
    return entry


def unregister_nav_entry(*, label: str, url_name: str) -> None:
    _ENTRIES.pop((label, url_name), None)


def registered() -> list[NavEntry]:
    return sorted(_ENTRIES.values(), key=lambda entry: (entry.order, entry.label))


def entries_for(user: Viewer) -> list[NavEntry]:
    """The links ``user`` gets, in order; none for a visitor who is not signed in."""
    if not signed_in(user):
        return []
    return [entry for entry in registered() if entry.visible(user)]


def autodiscover() -> None:
    """Import ``<app>.navigation`` for every installed app (called from CoreConfig.ready)."""
    autodiscover_modules("navigation")


def is_staff_account(user: Viewer) -> bool:
    return user.is_staff


# Core's own links: the home page and Django's admin (系统配置), for staff accounts.
register_nav_entry(label="首页", url_name="home", order=10)
register_nav_entry(label="系统配置", url_name="admin:index", order=90, visible=is_staff_account)
