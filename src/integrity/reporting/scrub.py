"""Attachments without their metadata (pure: Pillow, pypdf and zipfile).

A photo's EXIF can hold the GPS position and the camera's serial number; a document's
properties hold the author, the organisation and the times it was written. Each file
is rebuilt from its content only:

- JPEG and PNG: decoded and encoded again from the pixels (orientation applied first),
  so EXIF, XMP, IPTC, ICC comments and PNG text/time chunks are gone;
- PDF: the pages copied into a new document without the document information, the XMP
  metadata, page-level metadata and annotations (comments carry their author);
- DOCX: the package rewritten without ``docProps/`` (core, app, custom properties) and
  ``word/people.xml``, authors of comments and tracked changes blanked, every entry
  dated 1980-01-01 (a ZIP stores each member's time).

Anything else (HWP, spreadsheets, archives, video ...) is refused with a Korean
message: a file we cannot clean is not kept.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass

ACCEPTED_TEXT = "사진(JPG·PNG), PDF, 워드(DOCX)"
MAX_PIXELS = 40_000_000
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
MAX_DOCX_UNPACKED = 200_000_000
DOCX_DROPPED = re.compile(r"^(docProps/.*|word/people\.xml|customXml/.*)$")
AUTHOR_ATTRIBUTES = re.compile(rb'(\sw:author|\sw:initials|\sw15:userId|\sw15:providerId)="[^"]*"')
MIME = {"jpeg": "image/jpeg", "png": "image/png", "pdf": "application/pdf",
        "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}
EXTENSION = {"jpeg": "jpg", "png": "png", "pdf": "pdf", "docx": "docx"}


class AttachmentRefused(ValueError):
    """The Korean reason a file is not taken."""


@dataclass(frozen=True)
class Cleaned:
    kind: str
    data: bytes

    @property
    def mime(self) -> str:
        return MIME[self.kind]

    @property
    def extension(self) -> str:
        return EXTENSION[self.kind]


def kind_of(data: bytes) -> str | None:
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as package:
                if "word/document.xml" in package.namelist():
                    return "docx"
        except zipfile.BadZipFile:
            return None
    return None


def clean(data: bytes, max_bytes: int) -> Cleaned:
    if not data:
        raise AttachmentRefused("빈 파일입니다")
    if len(data) > max_bytes:
        raise AttachmentRefused(f"파일이 너무 큽니다. 첨부 파일은 {max_bytes / 1_000_000:g} MB까지 올릴 수 있습니다")
    kind = kind_of(data)
    if kind is None:
        raise AttachmentRefused(f"받을 수 없는 형식입니다. 신고자 정보가 남지 않도록 지울 수 있는 {ACCEPTED_TEXT}만 받습니다")
    try:
        cleaned = {"jpeg": _image, "png": _image, "pdf": _pdf, "docx": _docx}[kind](data, kind)
    except AttachmentRefused:
        raise
    except Exception as exc:  # a damaged or hostile file: refused, never stored as it came
        raise AttachmentRefused(f"파일을 읽을 수 없습니다({kind}). 손상되었거나 암호가 걸린 파일은 받지 않습니다") from exc
    return Cleaned(kind, cleaned)


def _image(data: bytes, kind: str) -> bytes:
    from PIL import Image, ImageOps

    with Image.open(io.BytesIO(data)) as image:
        if image.width * image.height > MAX_PIXELS:
            raise AttachmentRefused("사진이 너무 큽니다(4천만 화소까지)")
        image = ImageOps.exif_transpose(image)  # keep what the photo shows, lose the tag
        mode = "RGB" if kind == "jpeg" else ("RGBA" if "A" in image.getbands() else "RGB")
        pixels = Image.new(mode, image.size)
        pixels.paste(image.convert(mode))
    out = io.BytesIO()
    if kind == "jpeg":
        pixels.save(out, "JPEG", quality=90)
    else:
        pixels.save(out, "PNG", optimize=True)
    return out.getvalue()


def _pdf(data: bytes, kind: str) -> bytes:
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import NameObject

    reader = PdfReader(io.BytesIO(data))
    if reader.is_encrypted:
        raise AttachmentRefused("암호가 걸린 PDF는 받지 않습니다")
    writer = PdfWriter()
    for page in reader.pages:
        for key in ("/Metadata", "/PieceInfo", "/Annots", "/LastModified"):
            if key in page:
                del page[NameObject(key)]
        writer.add_page(page)
    writer._info = None  # no document information dictionary at all (no /Producer either)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _docx(data: bytes, kind: str) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    if sum(info.file_size for info in source.infolist()) > MAX_DOCX_UNPACKED:
        raise AttachmentRefused("압축을 푼 크기가 너무 큰 문서입니다")
    out = io.BytesIO()
    with source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            name = info.filename
            if DOCX_DROPPED.match(name):
                continue
            content = source.read(name)
            if name == "[Content_Types].xml":
                content = re.sub(rb'<Override[^>]*PartName="/(docProps/[^"]*|word/people\.xml|customXml/[^"]*)"[^>]*/>',
                                 b"", content)
            elif name.endswith(".rels"):
                content = re.sub(rb'<Relationship[^>]*Target="/?(\.\./)?(docProps/[^"]*|people\.xml|customXml/[^"]*)"[^>]*/>',
                                 b"", content)
            elif name.startswith("word/") and name.endswith(".xml"):
                content = AUTHOR_ATTRIBUTES.sub(rb'\1=""', content)  # required by the schema: kept, emptied
            target.writestr(zipfile.ZipInfo(name, date_time=ZIP_EPOCH), content, zipfile.ZIP_DEFLATED)
    return out.getvalue()
