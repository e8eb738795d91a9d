"""The export job's transition map: ``services.export_job_status_set`` assigns
``ExportJob.status`` through it and writes the job's event."""

from __future__ import annotations

from youjie.core.transitions import TransitionMap
from youjie.exports.choices import ExportJobStatus as S

EXPORT_JOB_TRANSITIONS = TransitionMap.build(
    "导出任务",
    {
        # A queued job fails without running when its owner lost access or the worker found it
        # stalled; a running one fails on any refusal or error and keeps no file.
        S.QUEUED: [S.RUNNING, S.FAILED],
        S.RUNNING: [S.DONE, S.FAILED],
        # The file is deleted after YOUJIE_EXPORT_KEEP_DAYS (the periodic cleanup).
        S.DONE: [S.EXPIRED],
        S.FAILED: [],
        S.EXPIRED: [],
    },
    dict(S.choices),
)
