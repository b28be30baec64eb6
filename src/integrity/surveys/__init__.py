"""The questionnaire as pages, rendered from the model file (pure)."""

from .pages import Page, PageError, clean_answers, page_plan, visible_items

__all__ = ["Page", "PageError", "clean_answers", "page_plan", "visible_items"]
