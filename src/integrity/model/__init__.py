"""The measurement model: versioned YAML files and their validating loader (pure)."""

from .loader import ModelError, available_models, load_model, load_model_text, parse_model
from .schema import Model

__all__ = ["Model", "ModelError", "available_models", "load_model", "load_model_text", "parse_model"]
