"""Small files of each accepted type (and impostors), built in memory for the tests."""

import io
import struct
import zipfile

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64
HTML = b"<!DOCTYPE html><script>alert(1)</script>"
EXE = b"MZ\x90\x00" + b"\x00" * 64

FREE, END, FATSECT, NOSTREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF


def _dir_entry(name: str, kind: int, child=NOSTREAM, start=END, size=0) -> bytes:
    encoded = (name + "\0").encode("utf-16-le") if name else b""
    return (encoded.ljust(64, b"\0") + struct.pack("<HBB", len(encoded), kind, 1 if kind else 0)
            + struct.pack("<III", NOSTREAM, NOSTREAM, child) + b"\0" * 16 + b"\0" * 4 + b"\0" * 16
            + struct.pack("<IQ", start, size))


def ole(stream_name: str = "FileHeader", content: bytes = b"HWP Document File") -> bytes:
    """A compound file (version 3) with one stream of 4096 bytes (kept out of the mini stream)."""
    data = content.ljust(4096, b"\0")
    header = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 16 + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
              + b"\0" * 6 + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, END, 0, END, 0)
              + struct.pack("<I", 0) + struct.pack("<I", FREE) * 108)
    fat = [FATSECT, END] + list(range(3, 10)) + [END]
    fat_sector = struct.pack("<128I", *(fat + [FREE] * (128 - len(fat))))
    directory = (_dir_entry("Root Entry", 5, child=1) + _dir_entry(stream_name, 2, start=2, size=len(data))
                 + _dir_entry("", 0) * 2)
    return header + fat_sector + directory + data


HWP = ole()
DOC = ole("WordDocument", b"\xec\xa5")  # an old Word file: OLE but not HWP


def _zip(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return out.getvalue()


HWPX = _zip({"mimetype": b"application/hwp+zip", "Contents/section0.xml": b"<hs:sec/>"})
DOCX = _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})
XLSX = _zip({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"})
