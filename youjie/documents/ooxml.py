"""The few WordprocessingML (ECMA-376) properties python-docx has no API for: East Asian font
names, character-unit indents, paragraph borders, and child elements put in the order the
schema requires (Word refuses a file whose property elements are out of order)."""

from __future__ import annotations

from typing import Any

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

# fmt: off
# The children of w:pPr (CT_PPrBase), w:rPr (CT_RPr) and w:tblPr (CT_TblPr), in schema order.
P_PR_ORDER = (
    "pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr",
    "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap",
    "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd",
    "snapToGrid", "spacing", "ind", "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc",
    "textDirection", "textAlignment", "textboxTightWrap", "outlineLvl", "divId", "cnfStyle",
    "rPr", "sectPr", "pPrChange",
)
R_PR_ORDER = (
    "rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps", "smallCaps", "strike", "dstrike",
    "outline", "shadow", "emboss", "imprint", "noProof", "snapToGrid", "vanish", "webHidden",
    "color", "spacing", "w", "kern", "position", "sz", "szCs", "highlight", "u", "effect", "bdr",
    "shd", "fitText", "vertAlign", "rtl", "cs", "em", "lang", "eastAsianLayout", "specVanish",
    "oMath",
)
TBL_PR_ORDER = (
    "tblStyle", "tblpPr", "tblOverlap", "bidiVisual", "tblStyleRowBandSize",
    "tblStyleColBandSize", "tblW", "jc", "tblCellSpacing", "tblInd", "tblBorders", "shd",
    "tblLayout", "tblCellMar", "tblLook", "tblCaption", "tblDescription",
)
# fmt: on


def element(tag: str, **attributes: str) -> Any:
    """A new ``w:<tag>`` with ``w:``-qualified attributes."""
    made = OxmlElement(f"w:{tag}")
    for name, value in attributes.items():
        made.set(qn(f"w:{name}"), value)
    return made


def child(parent: Any, tag: str, order: tuple[str, ...]) -> Any:
    """``parent``'s ``w:<tag>`` child, added in its place in ``order`` when missing."""
    found = parent.find(qn(f"w:{tag}"))
    if found is None:
        found = element(tag)
        later = order[order.index(tag) + 1 :]
        parent.insert_element_before(found, *(f"w:{name}" for name in later))
    return found


def paragraph_properties(paragraph: Paragraph) -> Any:
    """The w:pPr of ``paragraph`` (python-docx's ParagraphFormat holds the w:p)."""
    return paragraph.paragraph_format.element.get_or_add_pPr()


def paragraph_child(paragraph: Paragraph, tag: str) -> Any:
    return child(paragraph_properties(paragraph), tag, P_PR_ORDER)


def set_fonts(r_pr: Any, name: str) -> None:
    """Name ``name`` for Latin, East Asian and complex-script text, theme fonts removed (a theme
    attribute outranks a named font, and Chinese text takes only the East Asian name)."""
    fonts = r_pr.get_or_add_rFonts()
    for attribute in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
        fonts.attrib.pop(qn(f"w:{attribute}"), None)
    for attribute in ("ascii", "hAnsi", "eastAsia", "cs"):
        fonts.set(qn(f"w:{attribute}"), name)


def indent_chars(
    paragraph: Paragraph,
    *,
    unit_pt: float,
    first_line: float = 0,
    left: float = 0,
    right: float = 0,
) -> None:
    """Indents in characters (Word's *Chars attributes, in hundredths), with the same length in
    twips for readers that ignore them; ``unit_pt`` is the size of one character."""
    ind = paragraph_child(paragraph, "ind")
    for name, chars in (("firstLine", first_line), ("left", left), ("right", right)):
        if chars:
            ind.set(qn(f"w:{name}Chars"), str(round(chars * 100)))
            ind.set(qn(f"w:{name}"), str(round(chars * unit_pt * 20)))


def border(
    paragraph: Paragraph, side: str, *, style: str, eighths: int, space: int, color: str
) -> None:
    """A paragraph border on ``side`` (top, bottom), ``eighths`` of a point wide, ``space``
    points from the text."""
    borders = paragraph_child(paragraph, "pBdr")
    borders.append(element(side, val=style, sz=str(eighths), space=str(space), color=color))
