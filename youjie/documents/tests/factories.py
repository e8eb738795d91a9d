"""Documents the tests render: a 督办函 in the 信函 format and a 每日通报 in the 文件 format, as
the petitions app will give them (DOMAIN.md §11)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from youjie.documents.choices import DocumentFormat
from youjie.documents.gbt9704 import Heading, OfficialDocument, Paragraph, Table

CITY_COMMITTEE = "中共包头市委政法委员会"
REGIONS = (
    *("昆都仑区", "青山区", "东河区", "九原区", "石拐区"),
    *("白云鄂博矿区", "土默特右旗", "固阳县"),
)


def letter(**changes: Any) -> OfficialDocument:
    document = OfficialDocument(
        format=DocumentFormat.LETTER,
        authority=CITY_COMMITTEE,
        number="包政法专督〔2026〕3号",
        title="关于督促办理王某某涉法涉诉信访事项的函",
        addressee="石拐区委政法委",
        body=(
            Paragraph("王某某反映的房屋拆迁补偿问题已列入全市涉法涉诉信访积案化解百日攻坚。"),
            Heading(1, "督办要求"),
            Paragraph("请于2026年3月20日前完成核查，并将办理情况书面报送市委政法委。"),
        ),
        signatory=CITY_COMMITTEE,
        date=date(2026, 3, 5),
        copies_to=("石拐区人民法院",),
    )
    return replace(document, **changes)


def bulletin(**changes: Any) -> OfficialDocument:
    rows = tuple((region, "3", "2", "1", "0") for region in REGIONS)
    document = OfficialDocument(
        format=DocumentFormat.FILE,
        authority=CITY_COMMITTEE,
        number="包政法通〔2026〕12号",
        title="关于涉法涉诉信访积案化解\n百日攻坚进展情况的通报",
        addressee="各旗县区委政法委，市直各政法单位",
        body=(
            Heading(1, "总体进展"),
            Paragraph("截至2026年3月5日，全市26件积案已化解20件，化解率76.9%。"),
            Heading(2, "各地区进展", after="各旗县区进展情况如下。"),
            Table(
                header=("地区", "总数", "已化解", "办理中", "超期"),
                rows=rows,
                caption="各旗县区积案化解进展",
            ),
            Heading(3, "下一步工作"),
            Heading(4, "压实包案责任"),
            Paragraph("各包案领导要坚持每案必见，逐案解剖。"),
        ),
        signatory=CITY_COMMITTEE,
        date=date(2026, 3, 5),
        attachments=("积案化解进度表", "包案领导名单"),
        copy_number="000123",
        classification="秘密★1年",
        urgency="特急",
        note="联系人：陈华，电话：0472-1234567",
        copies_to=("市委办公室", "市政府办公室"),
        printer="中共包头市委政法委员会办公室",
        printed_on=date(2026, 3, 5),
    )
    return replace(document, **changes)
