"""Ingest stage: paths, directories, globs and stdin -> ``RawDocument | Rejected``."""

from newsprism.ingest.base import format_from_name, read_inputs, sniff_format

__all__ = ["format_from_name", "read_inputs", "sniff_format"]
