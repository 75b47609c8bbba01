"""link stage: duplicate groups and stories, streaming (ingest hook) and batch (relink).

Use::

    from newsprism.link import make_link_hook, stories, get_story, relink, duplicate_groups
    ingest(paths, store, hooks=[make_link_hook(store)])
"""

from __future__ import annotations

from newsprism.link.api import StoryEntry, StoryView, duplicate_groups, get_story, stories
from newsprism.link.batch import RelinkReport, relink
from newsprism.link.config import LinkConfig
from newsprism.link.streaming import BatchHook, StreamingLinker, make_link_hook

__all__ = [
    "BatchHook",
    "LinkConfig",
    "RelinkReport",
    "StoryEntry",
    "StoryView",
    "StreamingLinker",
    "duplicate_groups",
    "get_story",
    "make_link_hook",
    "relink",
    "stories",
]
