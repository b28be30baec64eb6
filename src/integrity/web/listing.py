"""Long lists a person reads: searched, filtered, sorted and paged, with the state in
the URL (shareable, bookmarkable). Works on the rows a view has already computed
(hundreds to a few thousand), so any column a view shows can be searched or sorted."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.core.paginator import Paginator

PER_PAGE = 50


@dataclass(frozen=True)
class Filter:
    name: str  # the URL parameter
    label: str
    options: Sequence[tuple[str, str]]  # (value, label)
    keep: Callable[[object, str], bool]  # row, chosen value -> shown


@dataclass
class Listing:
    page: object  # django Page of rows
    total: int  # rows matching search and filters
    everything: int  # rows before them
    q: str
    sort: str
    chosen: dict[str, str]
    filters: Sequence[Filter]
    sorts: dict[str, str] = field(default_factory=dict)  # key -> label
    params: dict[str, str] = field(default_factory=dict)

    def url(self, **changes) -> str:
        """This list's URL with some parameters changed (page reset unless given)."""
        values = {**self.params, "page": "", **{k: str(v) for k, v in changes.items()}}
        return "?" + urlencode({k: v for k, v in values.items() if v})

    @property
    def sort_links(self) -> dict[str, dict]:
        """Per sortable column: the URL that sorts by it (again: the other way) and its state."""
        return {key: {"url": self.url(sort=f"-{key}" if self.sort == key else key),
                      "state": "ascending" if self.sort == key else "descending" if self.sort == f"-{key}" else ""}
                for key in self.sorts}

    @property
    def filter_controls(self) -> list[dict]:
        return [{"name": f.name, "label": f.label, "options": f.options, "chosen": self.chosen.get(f.name, "")}
                for f in self.filters]


def paged_list(request, rows: Sequence, *, text: Callable[[object], str], filters: Sequence[Filter] = (),
               sorts: dict[str, tuple[str, Callable[[object], object]]] | None = None, default_sort: str = "",
               per_page: int = PER_PAGE) -> Listing:
    """``text``: what the search looks in; ``sorts``: key -> (label, value of a row)."""
    sorts = sorts or {}
    q = (request.GET.get("q") or "").strip()[:100]
    chosen = {f.name: request.GET.get(f.name, "") for f in filters if request.GET.get(f.name)}
    shown = list(rows)
    if q:
        needle = q.casefold()
        shown = [r for r in shown if needle in text(r).casefold()]
    for f in filters:
        if f.name in chosen and chosen[f.name] in {v for v, _ in f.options}:
            shown = [r for r in shown if f.keep(r, chosen[f.name])]
    sort = request.GET.get("sort") or default_sort
    key = sort.lstrip("-")
    if key in sorts:
        value = sorts[key][1]
        shown.sort(key=lambda r: (value(r) is None, value(r) if value(r) is not None else 0), reverse=sort.startswith("-"))
    else:
        sort = ""
    paginator = Paginator(shown, per_page)
    page = paginator.get_page(request.GET.get("page"))  # a bad page number shows the nearest page
    params = {"q": q, "sort": sort, **chosen}
    return Listing(page, len(shown), len(rows), q, sort, chosen, filters, {k: label for k, (label, _) in sorts.items()}, params)
