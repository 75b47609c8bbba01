"""compare stage: how two articles, or all articles of a story, relate.

:func:`compare` (a pair) and :func:`compare_story` (a story) combine the seven similarity
dimensions, reused text, aligned paraphrases, facts by coverage with conflicts, and framing.
"""

from newsprism.compare.pair import Comparer, Comparison, compare, default_comparer
from newsprism.compare.story import StoryComparison, compare_story

__all__ = ["Comparer", "Comparison", "StoryComparison", "compare", "compare_story", "default_comparer"]
