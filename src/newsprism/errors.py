"""One exception tree for newsprism.

::

    NewsprismError
    ├── ConfigError            bad parameter or setting (names the parameter, allowed values, got)
    ├── InputError             an input cannot be read or is not an article
    │   └── ExtractionError    the input was read but no article could be extracted from it
    ├── StorageError           the store failed or is in an unexpected state
    │   └── NotFound           an id that the store does not hold
    └── MissingDependency      an optional part is used without its extra installed

Third-party errors are mapped at the boundary with ``raise ... from exc``. ``InputError`` carries
a short machine-readable ``reason`` (stored with every rejected input) besides the message.
"""

from __future__ import annotations


class NewsprismError(Exception):
    """Base of every error newsprism raises on purpose."""


class ConfigError(NewsprismError, ValueError):
    """A parameter or setting is invalid."""


class InputError(NewsprismError):
    """An input cannot be turned into an article.

    Args:
        reason: short stable code (``empty``, ``binary``, ``too_large``, ``malformed_json`` ...).
        message: what a person reads.
    """

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message


class ExtractionError(InputError):
    """The input was read, but holds no article."""


class StorageError(NewsprismError):
    """The store failed."""


class NotFound(StorageError, KeyError):
    """The store holds nothing under that id."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else "not found"


class MissingDependency(NewsprismError, ImportError):
    """An optional dependency is missing; the message says what to install."""


def require(module: str, extra: str) -> None:
    """Raise :class:`MissingDependency` with an install hint when ``module`` cannot be imported."""
    import importlib.util

    if importlib.util.find_spec(module) is None:
        raise MissingDependency(
            f"{module!r} is needed for this feature: pip install 'newsprism[{extra}]'"
        )
