"""Pages of a questionnaire, derived from the model's tree.

One page per area (leaf node) with its questions; the frequency/amount questions
that depend on a yes/no question ("gated") go on a follow-up page shown only when
that question was answered "yes" — branching that needs no JavaScript. Items
asked in this survey but scored elsewhere (X1, X2) and the credibility check
come last.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..model.schema import Item, Model

CHECK_PREFIX = "check:"


class PageError(ValueError):
    """Answers that cannot be accepted: ``errors`` maps a question to a Korean message."""

    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))


@dataclass(frozen=True)
class Page:
    code: str
    title: str
    items: tuple[Item, ...] = ()
    checks: tuple[tuple[str, str], ...] = ()  # (code, question) credibility checks
    follow_up: bool = False
    title_en: str = ""

    def heading(self, language: str = "ko") -> str:
        return self.title_en if language == "en" and self.title_en else self.title


def page_plan(model: Model, survey: str, type_code: str) -> tuple[Page, ...]:
    """The pages of a survey for a type of body (derived once per model and kept)."""
    key = (id(model), survey, type_code)
    hit = _PLANS.get(key)
    if hit is None or hit[0] is not model:  # the model is kept too, so its id cannot be reused
        hit = _PLANS[key] = (model, _plan(model, survey, type_code))
    return hit[1]


_PLANS: dict[tuple, tuple[Model, tuple[Page, ...]]] = {}


def _plan(model: Model, survey: str, type_code: str) -> tuple[Page, ...]:
    sv = model.survey(survey)
    pages = []
    for node in sv.root.walk():
        if not node.items:
            continue
        plain = tuple(i for i in node.items if not i.gate)
        gated = tuple(i for i in node.items if i.gate)
        if plain:
            pages.append(Page(node.code, node.name, plain, title_en=node.name_en))
        if gated:
            pages.append(Page(f"{node.code}-more", f"{node.name} (추가 질문)", gated, follow_up=True,
                              title_en=f"{node.name_en} (follow-up)" if node.name_en else ""))
    pooled = tuple(p for p in sv.pooled_items if not p.pool_only_types or type_code in p.pool_only_types)
    if pooled:
        pages.append(Page("pooled", "기관 주변의 경험", pooled, title_en="Around the institution"))
    if model.questionnaire.checks:
        pages.append(Page("checks", "조사 진행에 관한 질문", checks=model.questionnaire.checks, title_en="About this survey"))
    return tuple(pages)


def visible_items(model: Model, page: Page, answers: dict[str, int]) -> tuple[Item, ...]:
    """A gated question is asked only after "yes" to its gate."""
    return tuple(i for i in page.items if not i.gate or answers.get(i.gate) == model.items[i.gate].answer.yes)


def page_applies(model: Model, page: Page, answers: dict[str, int]) -> bool:
    return not page.follow_up or bool(visible_items(model, page, answers))


def clean_answers(model: Model, page: Page, posted: dict[str, str], answers: dict[str, int]) -> dict[str, int]:
    """Validated answers of one page (codes as ints; checks as 1/2). Every visible
    question must be answered with one of its codes."""
    out, errors = {}, {}
    for item in visible_items(model, page, answers):
        raw = (posted.get(item.code) or "").strip()
        if not raw:
            errors[item.code] = "이 문항에 답해 주세요"
            continue
        try:
            code = int(raw)
        except ValueError:
            errors[item.code] = "보기 가운데 하나를 골라 주세요"
            continue
        if code not in item.answer.codes:
            errors[item.code] = "보기 가운데 하나를 골라 주세요"
            continue
        out[item.code] = code
    for code, _ in page.checks:
        raw = (posted.get(CHECK_PREFIX + code) or "").strip()
        if raw not in ("1", "2"):
            errors[CHECK_PREFIX + code] = "이 문항에 답해 주세요"
        else:
            out[CHECK_PREFIX + code] = int(raw)
    if errors:
        raise PageError(errors)
    return out


def next_page(model: Model, pages: tuple[Page, ...], index: int, answers: dict[str, int]) -> int | None:
    """Index of the next page that applies after ``index``, or None at the end."""
    for i in range(index + 1, len(pages)):
        if page_applies(model, pages[i], answers):
            return i
    return None


def scored_answers(model: Model, survey: str, answers: dict[str, int]) -> dict[str, int]:
    """Item answers only, with gated answers dropped where the gate said no."""
    out = {}
    for code, value in answers.items():
        if code.startswith(CHECK_PREFIX) or code not in model.items:
            continue
        item = model.items[code]
        if item.gate and answers.get(item.gate) != model.items[item.gate].answer.yes:
            continue
        out[code] = value
    return out


def previous_page(model: Model, pages: tuple[Page, ...], index: int, answers: dict[str, int]) -> int | None:
    """Index of the page before ``index`` that applies (the 'back' button), or None."""
    for i in range(min(index, len(pages)) - 1, -1, -1):
        if page_applies(model, pages[i], answers):
            return i
    return None


def step_of(pages: tuple[Page, ...], index: int) -> tuple[int, int]:
    """(step, steps) shown to the respondent. A follow-up page shares the step of the
    page it follows, so the count never jumps when a "yes" opens one."""
    steps = sum(1 for p in pages if not p.follow_up)
    step = sum(1 for p in pages[: index + 1] if not p.follow_up)
    return max(step, 1), steps


def question_count(pages: tuple[Page, ...]) -> int:
    """Questions a respondent may be asked (follow-ups included: the longest way)."""
    return sum(len(p.items) + len(p.checks) for p in pages)
