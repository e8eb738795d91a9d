"""A rendered .docx as PDF, through LibreOffice (``libreoffice --headless --convert-to pdf``).

LibreOffice is a system package (``apt-get install libreoffice-writer-nogui fonts-noto-cjk``;
``.ci/run`` installs it when missing). The standard's fonts (仿宋_GB2312, 方正小标宋简体 …) are
not on a Debian machine: each conversion runs with a fontconfig file that maps them to the
fonts that are (``gbt9704.DEBIAN_FALLBACKS``), so that 黑体 headings come out in a sans face
and the body in a serif one rather than all in fontconfig's default.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from xml.etree import ElementTree

from youjie.core.errors import ApplicationError
from youjie.documents.gbt9704 import DEBIAN_FALLBACKS

INSTALL_HINT = "apt-get install -y libreoffice-writer-nogui fonts-noto-cjk"
TIMEOUT_SECONDS = 120


class ConversionFailed(ApplicationError):
    status_code = 503
    default_code = "pdf_conversion_failed"


def libreoffice_path() -> str | None:
    return shutil.which("libreoffice") or shutil.which("soffice")


def fontconfig_aliases(system_config: str = "/etc/fonts/fonts.conf") -> str:
    """A fontconfig file: the system's configuration, then each standard font name preferring
    its Debian fallbacks."""
    root = ElementTree.Element("fontconfig")
    include = ElementTree.SubElement(root, "include", {"ignore_missing": "yes"})
    include.text = system_config
    for name, fallbacks in DEBIAN_FALLBACKS.items():
        alias = ElementTree.SubElement(root, "alias", {"binding": "same"})
        ElementTree.SubElement(alias, "family").text = name
        prefer = ElementTree.SubElement(alias, "prefer")
        for fallback in fallbacks:
            ElementTree.SubElement(prefer, "family").text = fallback
    body = ElementTree.tostring(root, encoding="unicode")
    return f'<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n{body}\n'


def docx_to_pdf(content: bytes, *, timeout: int = TIMEOUT_SECONDS) -> bytes:
    """The PDF LibreOffice makes of ``content`` (a .docx), or ConversionFailed."""
    executable = libreoffice_path()
    if executable is None:
        raise ConversionFailed(f"未安装 LibreOffice，无法转换为 PDF（请运行 {INSTALL_HINT}）")
    with tempfile.TemporaryDirectory(prefix="youjie-pdf-") as work:
        folder = Path(work)
        source = folder / "document.docx"
        source.write_bytes(content)
        fonts = folder / "fonts.conf"
        fonts.write_text(fontconfig_aliases(), encoding="utf-8")
        # A profile of its own: two conversions at once do not share (and lock) one profile.
        command = [
            executable,
            f"-env:UserInstallation={(folder / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder),
            str(source),
        ]
        environment = {**os.environ, "FONTCONFIG_FILE": str(fonts), "HOME": str(folder)}
        try:
            # The executable is LibreOffice found on PATH; the arguments are our own paths.
            subprocess.run(  # noqa: S603
                command,
                check=True,
                capture_output=True,
                timeout=timeout,
                env=environment,
                cwd=folder,
            )
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError) as exc:
            raise ConversionFailed("PDF 转换失败，请稍后重试") from exc
        result = folder / "document.pdf"
        if not result.exists():
            raise ConversionFailed("PDF 转换失败，请稍后重试")
        return result.read_bytes()
