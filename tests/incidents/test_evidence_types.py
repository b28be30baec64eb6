"""Evidence files are accepted by what their bytes are, within the size limit."""

import pytest

from integrity.incidents.evidence import EvidenceRejected, check_evidence, clean_name

from .evidence_samples import DOC, DOCX, EXE, HTML, HWP, HWPX, JPEG, PDF, PNG, XLSX

LIMIT = 1_000_000


@pytest.mark.parametrize(("name", "data", "kind"), [
    ("징계의결서.pdf", PDF, "pdf"), ("scan.PNG", PNG, "png"), ("scan.jpg", JPEG, "jpeg"), ("scan.jpeg", JPEG, "jpeg"),
    ("처분요구서.hwp", HWP, "hwp"), ("처분요구서.hwpx", HWPX, "hwpx"), ("의결서.docx", DOCX, "docx"),
])
def test_evidence_of_the_allowed_types_is_accepted_by_its_magic_bytes(name, data, kind):
    assert check_evidence(name, data, LIMIT).kind == kind


@pytest.mark.parametrize(("name", "data"), [
    ("의결서.pdf", HTML), ("의결서.pdf", EXE), ("의결서.hwp", DOC), ("의결서.docx", XLSX), ("의결서.hwpx", DOCX),
])
def test_evidence_whose_bytes_are_not_an_allowed_type_is_refused_whatever_its_extension(name, data):
    with pytest.raises(EvidenceRejected, match="확장자만 바꾼|내용은"):
        check_evidence(name, data, LIMIT)


def test_evidence_with_a_disallowed_extension_is_refused():
    with pytest.raises(EvidenceRejected, match="받을 수 없는 파일 형식"):
        check_evidence("run.exe", EXE, LIMIT)
    with pytest.raises(EvidenceRejected, match="받을 수 없는 파일 형식"):
        check_evidence("page.html", PDF, LIMIT)


def test_evidence_whose_extension_disagrees_with_its_content_is_refused():
    with pytest.raises(EvidenceRejected, match="내용은 PDF"):
        check_evidence("scan.png", PDF, LIMIT)


def test_evidence_over_the_size_limit_is_refused():
    with pytest.raises(EvidenceRejected, match="너무 큽니다"):
        check_evidence("big.pdf", PDF + b"0" * LIMIT, LIMIT)
    with pytest.raises(EvidenceRejected, match="빈 파일"):
        check_evidence("empty.pdf", b"", LIMIT)


def test_evidence_file_names_lose_paths_and_header_breaking_characters():
    assert clean_name('C:\\문서\\의결서"\r\n.pdf') == "의결서.pdf"
    assert clean_name("../../etc/passwd") == "passwd"
    assert len(clean_name("가" * 400 + ".pdf")) == 150 and clean_name("가" * 400 + ".pdf").endswith(".pdf")
