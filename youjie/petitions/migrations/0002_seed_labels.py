"""The four labels of DOMAIN.md §1 with their working definitions (configurable afterwards).

骨头案 / 钉子案 are the campaign's words for long-standing, hard-to-resolve petitions; 初信初访 /
重复信访 are the working definitions of 信访 statistics (the 2022 条例 defines neither; its hooks
are Art. 19 ¶3 and Art. 36 ¶3).
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

LABELS = [
    (
        "bone",
        "骨头案",
        "历时长、诉求复杂、多次化解未果，需要高位推动、多部门协调联动才能化解的涉法涉诉信访事项。",
        10,
    ),
    (
        "nail",
        "钉子案",
        "信访人长期坚持、反复信访，经多轮处理仍未息诉罢访，化解难度大的涉法涉诉信访事项。",
        20,
    ),
    (
        "repeat",
        "重复信访",
        "同一信访人就同一事项再次信访，无论该事项正在办理中还是已经办结"
        "（参见《信访工作条例》第十九条第三款、第三十六条第三款）。",
        30,
    ),
    (
        "first",
        "初信初访",
        "信访人就某一事项首次向有权处理的机关提出信访。",
        40,
    ),
]


def seed(apps: Any, schema_editor: Any) -> None:
    PetitionLabel = apps.get_model("petitions", "PetitionLabel")
    for code, name, definition, order in LABELS:
        PetitionLabel.objects.get_or_create(
            code=code, defaults={"name": name, "definition": definition, "sort_order": order}
        )


def unseed(apps: Any, schema_editor: Any) -> None:
    PetitionLabel = apps.get_model("petitions", "PetitionLabel")
    PetitionLabel.objects.filter(code__in=[code for code, *_ in LABELS]).delete()


class Migration(migrations.Migration):
    dependencies = [("petitions", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
