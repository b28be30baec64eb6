"""Files with the metadata a reporter would not want to send: a JPEG with GPS tags, a
PDF with an author, a DOCX with document properties."""

from __future__ import annotations

import io
import zipfile

GPS_IFD = 0x8825
MAKE = 0x010F
SERIAL = 0xA431


def jpeg_with_gps() -> bytes:
    from PIL import Image

    image = Image.new("RGB", (64, 48), (200, 30, 30))
    exif = image.getexif()
    exif[MAKE] = "SecretCam"
    exif.get_ifd(0x8769)[SERIAL] = "SN-123456789"
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (37.0, 33.0, 59.0), 3: "E", 4: (126.0, 58.0, 40.0)})
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif, comment=b"taken by Hong Gildong")
    return out.getvalue()


def pdf_with_author() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    writer.add_metadata({"/Author": "Hong Gildong", "/Creator": "Hong's laptop", "/CreationDate": "D:20261001093000+09'00'"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


CONTENT_TYPES = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                 '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                 '<Default Extension="xml" ContentType="application/xml"/>'
                 '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
                 '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
                 '<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>'
                 '</Types>')
RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
        '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>'
        '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/>'
        '</Relationships>')
CORE = ('<?xml version="1.0" encoding="UTF-8"?><cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator>Hong Gildong</dc:creator><cp:lastModifiedBy>Hong Gildong</cp:lastModifiedBy></cp:coreProperties>')
APP = '<?xml version="1.0" encoding="UTF-8"?><Properties><Company>Gaeram Ministry Audit Office</Company></Properties>'
DOCUMENT = ('<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            '<w:body><w:p><w:ins w:id="1" w:author="Hong Gildong" w:date="2026-10-01T09:30:00Z"><w:r><w:t>계약 특혜</w:t></w:r></w:ins></w:p></w:body></w:document>')


def docx_with_properties() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        for name, text in (("[Content_Types].xml", CONTENT_TYPES), ("_rels/.rels", RELS), ("docProps/core.xml", CORE),
                           ("docProps/app.xml", APP), ("word/document.xml", DOCUMENT)):
            package.writestr(zipfile.ZipInfo(name, date_time=(2026, 10, 1, 9, 30, 0)), text)
    return out.getvalue()
