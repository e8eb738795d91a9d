"""Pure rules of the exports: a background export's file is its owner's alone."""

from __future__ import annotations

from youjie.core.viewers import Viewer
from youjie.exports.models import ExportJob


def may_download(user: Viewer, job: ExportJob) -> bool:
    """Only the user who asked for the export downloads it (an administrator neither: the list
    was selected within the owner's scope and with the owner's right to personal data)."""
    return bool(user.is_authenticated and user.is_active and job.owner_id == user.pk)
