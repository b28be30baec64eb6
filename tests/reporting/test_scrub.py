"""Attachments lose their metadata or are refused (issue 15: EXIF, document properties)."""

import io
import zipfile

import pytest
from PIL import Image

from integrity.reporting.scrub import AttachmentRefused, clean
from tests.reporting.samples import GPS_IFD, docx_with_properties, jpeg_with_gps, pdf_with_author

LIMIT = 10_000_000


def test_exif_with_gps_tags_is_removed_from_a_jpeg():
    original = jpeg_with_gps()
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(GPS_IFD)  # the sample does carry a position
    cleaned = clean(original, LIMIT)
    image = Image.open(io.BytesIO(cleaned.data))
    assert cleaned.kind == "jpeg" and image.size == (64, 48)
    assert not image.getexif() and not image.getexif().get_ifd(GPS_IFD)
    assert "exif" not in image.info and "comment" not in image.info
    for secret in (b"SecretCam", b"SN-123456789", b"Hong Gildong", b"Exif"):
        assert secret not in cleaned.data


def test_png_text_chunks_are_removed():
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Author", "Hong Gildong")
    out = io.BytesIO()
    Image.new("RGB", (10, 10)).save(out, "PNG", pnginfo=info)
    assert b"Hong Gildong" in out.getvalue()
    assert b"Hong Gildong" not in clean(out.getvalue(), LIMIT).data


def test_pdf_document_information_is_removed():
    cleaned = clean(pdf_with_author(), LIMIT)
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(cleaned.data))
    assert len(reader.pages) == 1
    assert not reader.metadata
    for secret in (b"Hong", b"CreationDate", b"pypdf"):
        assert secret not in cleaned.data


def test_docx_docprops_are_removed_and_entries_undated():
    cleaned = clean(docx_with_properties(), LIMIT)
    assert cleaned.kind == "docx"
    with zipfile.ZipFile(io.BytesIO(cleaned.data)) as package:
        names = package.namelist()
        assert not [n for n in names if n.startswith("docProps/")]
        assert "docProps" not in package.read("[Content_Types].xml").decode()
        assert "docProps" not in package.read("_rels/.rels").decode()
        document = package.read("word/document.xml").decode()
        assert "계약 특혜" in document and "Hong" not in document
        assert {i.date_time for i in package.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    assert b"Hong Gildong" not in cleaned.data and b"Audit Office" not in cleaned.data


@pytest.mark.parametrize("data", [b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, b"<html>", b"MZ\x90\0", b"PK\x03\x04broken"])
def test_files_that_cannot_be_cleaned_are_refused(data):
    with pytest.raises(AttachmentRefused, match="받을 수 없는 형식|읽을 수 없습니다"):
        clean(data, LIMIT)


def test_size_limit_and_damaged_images_are_refused():
    with pytest.raises(AttachmentRefused, match="너무 큽니다"):
        clean(jpeg_with_gps(), 100)
    with pytest.raises(AttachmentRefused, match="읽을 수 없습니다"):
        clean(b"\xff\xd8\xff" + b"garbage" * 10, LIMIT)
