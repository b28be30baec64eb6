"""Checks every long list shares: page 1 holds a page of rows and links to the next,
the count line says how many match, and a malformed or out-of-range page number shows
page 1 or the last page (Paginator.get_page), never an error."""

import re

from integrity.web.listing import PER_PAGE


def rows_shown(page: str) -> int:
    return sum(body.count("<tr") for body in re.findall(r"<tbody>(.*?)</tbody>", page, re.S))


def get(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def count_line(shown: int, everything: int) -> str:
    return f"{shown:,}건 (전체 {everything:,}건)"


def assert_paged(client, url: str, total: int, *, per_page: int = PER_PAGE, rows=rows_shown) -> str:
    """Page 1 of ``url`` (``total`` rows, more than a page); returns its text."""
    pages = -(-total // per_page)
    join = "&" if "?" in url else "?"
    page = get(client, url)
    assert rows(page) == per_page and "다음 쪽" in page and "page=2" in page and f"1 / {pages}쪽" in page
    assert count_line(total, total) in page
    assert f"1 / {pages}쪽" in get(client, f"{url}{join}page=abc")
    assert f"{pages} / {pages}쪽" in get(client, f"{url}{join}page=99999999999999999999")
    assert f"{pages} / {pages}쪽" in get(client, f"{url}{join}page=-1")
    return page
