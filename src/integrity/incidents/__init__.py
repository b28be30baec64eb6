"""Corruption incidents (pure): which cases count, where, and how they are classified."""

from .scope import CaseFacts, Decision, decide

__all__ = ["CaseFacts", "Decision", "decide"]
