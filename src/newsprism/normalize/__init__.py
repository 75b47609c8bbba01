"""Normalize stage: RawDocument -> Article | Rejected."""

from newsprism.normalize.base import Extracted, build_article, extract, normalize

__all__ = ["Extracted", "build_article", "extract", "normalize"]
