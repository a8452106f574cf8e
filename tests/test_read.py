"""Reading files: encodings, .docx with tables, .pdf text layers, and clean refusals."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
import pytest

from pipeline.corpus.read import read_document
from pipeline.errors import InputError
from tests.pdfgen import write_empty_pdf, write_pdf

TEXT = "某局党组书记述职报告\n一、主要工作\n召开会议12次。\n"


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("utf8.txt", TEXT.encode("utf-8")),
        ("bom.txt", b"\xef\xbb\xbf" + TEXT.encode("utf-8")),
        ("gb.txt", TEXT.encode("gb18030")),
        ("u16.txt", TEXT.encode("utf-16")),  # with BOM
        ("u16le.md", TEXT.encode("utf-16-le")),  # without BOM
        ("crlf.md", TEXT.replace("\n", "\r\n").encode("gb18030")),
    ],
)
def test_text_encodings_decode_to_the_same_text(tmp_path: Path, name: str, data: bytes) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    assert read_document(path) == TEXT


def test_docx_paragraphs_and_tables_in_document_order(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("某局党组书记述职报告")
    document.add_paragraph("一、主要工作")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "指标"
    table.cell(0, 1).text = "完成"
    table.cell(1, 0).text = "发展党员"
    table.cell(1, 1).text = "5名"
    document.add_paragraph("二、存在问题")
    path = tmp_path / "r.docx"
    document.save(str(path))
    lines = read_document(path).split("\n")
    assert lines == ["某局党组书记述职报告", "一、主要工作", "指标　完成", "发展党员　5名", "二、存在问题"]


def test_pdf_text_layer_is_read_and_wrapped_lines_rejoined(tmp_path: Path) -> None:
    path = tmp_path / "r.pdf"
    write_pdf(path, ["某局党组书记述职报告", "一、主要工作",
                     "（一）抓好党建工作责任落实。一是全年召开党组会议12次，研究",
                     "党建工作事项。"])
    joined = "（一）抓好党建工作责任落实。一是全年召开党组会议12次，研究党建工作事项。"
    assert read_document(path).split("\n") == ["某局党组书记述职报告", "一、主要工作", joined]


def _zip_of(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("empty.txt", b"", "empty"),
        ("blob.txt", bytes(range(256)) * 8, "binary"),
        ("latin.txt", "Ünïcödé".encode("latin-1") + bytes([0x81, 0x20, 0xFF, 0x30]) * 40, "decode"),
        ("old.doc", b"\xd0\xcf\x11\xe0 old word", "unsupported"),
        ("image.png", b"\x89PNG\r\n", "unsupported"),
        ("fake.docx", _zip_of({"hello.txt": b"not word"}), "not a valid .docx"),
        ("notzip.docx", b"plain text pretending", "not a valid .docx"),
        ("bad.pdf", b"%PDF-1.4 garbage", "not a valid PDF"),
    ],
)
def test_bad_files_are_refused_with_a_reason(tmp_path: Path, name: str, data: bytes, reason: str) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(InputError) as caught:
        read_document(path)
    assert reason in caught.value.reason
    assert str(path) in str(caught.value)
    assert "\n" not in str(caught.value)


def test_pdf_without_text_layer_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "scan.pdf"
    write_empty_pdf(path)
    with pytest.raises(InputError, match="no text layer"):
        read_document(path)


def test_missing_path_and_directory_are_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        read_document(tmp_path / "nope.txt")
    with pytest.raises(InputError, match="directory"):
        read_document(tmp_path)
