"""The linking decisions, shared by the streaming hook and batch relink.

A batch of articles is linked in three steps:

1. duplicates: each article is checked against the indexed articles (and the batch's earlier
   ones) for exact copies, near-duplicates and wire rewrites;
2. grouping: the batch's articles are clustered among themselves by average link
   (:mod:`newsprism.link.grouping`), duplicates always together;
3. linking: each group joins the story with the best average-link score if it reaches
   ``link_threshold`` (a group holding a duplicate of a stored article joins that article's
   story: a duplicate group never splits a story), else it opens a new story.

No store I/O here: :class:`LinkEngine` keeps the active stories and duplicates in memory and
records what changed (decisions, merges, duplicate members) for its owner to write.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from newsprism.link.config import LinkConfig
from newsprism.link.duplicates import DuplicateIndex, DuplicateMatch
from newsprism.link.grouping import group_batch
from newsprism.link.index import StoryIndex, StoryState
from newsprism.link.model import load_link_model
from newsprism.link.revisit import Reviser
from newsprism.represent.base import ArticleFeatures
from newsprism.represent.tfidf import sum_vectors

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Decision:
    """Where one article went and why.

    ``reason``: ``duplicate`` (with its duplicate's story), ``similar`` (average-link score with
    the story at least the threshold), ``new_story`` (opened a story: nothing similar in the fade
    window) or ``no_text`` (nothing to compare: a singleton).
    """

    article_id: str
    story_id: str
    reason: str
    score: float
    duplicate: DuplicateMatch | None = None
    group: str | None = None


@dataclass(slots=True)
class Changes:
    """What a run of decisions changed, for the owner to persist."""

    decisions: list[Decision] = field(default_factory=list)
    merges: list[tuple[str, str, str]] = field(default_factory=list)
    touched: set[str] = field(default_factory=set)
    group_renames: list[tuple[str, str]] = field(default_factory=list)
    moves: list[tuple[str, str]] = field(default_factory=list)
    duplicate_members: list[tuple[str, str, str, float, str | None]] = field(default_factory=list)


class LinkEngine:
    """Streams batches of articles into stories.

    Args:
        config: thresholds and sizes.
        new_story_id: the id of a story opened by an article (from its features).
        next_seq: creation number of the next story (older stories have smaller numbers).
        is_taken: whether a story id is used elsewhere (the store); a taken id gets a ``-2``,
            ``-3`` ... suffix.
    """

    def __init__(
        self,
        config: LinkConfig,
        new_story_id: Callable[[ArticleFeatures], str],
        next_seq: int = 1,
        is_taken: Callable[[str], bool] | None = None,
    ) -> None:
        self.config = config
        self.model = load_link_model(config.model_path)
        self.stories = StoryIndex(config, self.model)
        self.duplicates = DuplicateIndex(config)
        self.story_of: dict[str, str] = {}
        self._forgotten = 0  # story_of entries deleted since it was last rebuilt
        self.changes = Changes()
        self._new_story_id = new_story_id
        self._next_seq = next_seq
        self._is_taken = is_taken or (lambda story_id: False)
        self._issued: set[str] = set()
        self.reviser = Reviser()
        self._revised: set[str] = set()
        self.neighbours: dict[str, list[tuple[StoryState, float]]] = {}  # of stories opened this batch

    def link(self, features: ArticleFeatures) -> Decision:
        """Link one article (a batch of one)."""
        return self.link_batch([features])[0]

    def link_batch(self, batch: Sequence[ArticleFeatures], window: int = 400) -> list[Decision]:
        """Link a batch of articles; return one decision per article, in batch order.

        ``window``: most articles clustered together before linking (the dense similarity
        matrix is ``window`` squared).
        """
        matches, must_link = self._find_duplicates(batch)
        groups, cohesion = group_batch(batch, must_link, self.config, self.model, window=window)
        decided: dict[int, Decision] = {}
        for members in groups:
            self._link_group(batch, members, matches, cohesion, decided)
        self.reviser.remember(batch)
        self._revised = self.reviser.revisit(self, list(self.changes.touched))
        self.neighbours.clear()
        self._consolidate()
        out = [self._final(decided[i]) for i in range(len(batch))]
        self.changes.decisions.extend(out)
        return out

    def restore(self, story: StoryState, members: list[ArticleFeatures], groups: dict[str, str]) -> None:
        """Rebuild an active story from the store (a new process opened an existing store).

        ``story`` carries the stored summary (count, outlets, times); ``members`` are features of
        its recent articles; ``groups`` maps article ids to their duplicate group.
        """
        self.stories.stories[story.id] = story
        self.stories.absorb_many(story, members)
        for features in members:
            self.story_of[features.article_id] = story.id
            self.duplicates.add(features, groups.get(features.article_id))
        self._next_seq = max(self._next_seq, story.seq + 1)

    def retire(self, low_time: float) -> int:
        """Drop faded and over-budget stories from memory; return how many left."""
        gone = self.stories.faded(low_time) + self.stories.over_budget()
        for sid in dict.fromkeys(gone):
            story = self.stories.remove(sid)
            if story is None:
                continue
            for aid in story.members:
                self.duplicates.remove(aid)
                self.story_of.pop(aid, None)
            self.reviser.forget(story.members)
            self._forgotten += len(story.members)
        if self._forgotten > len(self.story_of):
            # A dict keeps the room of deleted entries until it next grows: copy it so its size
            # follows the active articles, not the peak (amortised: once per as many deletions).
            self.story_of = dict(self.story_of)
            self._forgotten = 0
        return len(gone)

    def take_changes(self) -> Changes:
        """The recorded changes since the last call (and start a new record)."""
        changes, self.changes = self.changes, Changes()
        return changes

    # -- steps --------------------------------------------------------------------------------

    def _find_duplicates(
        self, batch: Sequence[ArticleFeatures]
    ) -> tuple[list[list[DuplicateMatch]], list[tuple[int, int]]]:
        """Duplicate matches of each article, and the batch-internal pairs among them."""
        position = {f.article_id: i for i, f in enumerate(batch)}
        matches: list[list[DuplicateMatch]] = []
        must_link: list[tuple[int, int]] = []
        for i, features in enumerate(batch):
            found = [m for m in self.duplicates.find(features)]
            group = self._group_for(found)
            if found:
                m = found[0]
                self.changes.duplicate_members.append(
                    (features.article_id, group or m.article_id, m.kind, m.jaccard, m.article_id)
                )
            self.duplicates.add(features, group)
            must_link += [(position[m.article_id], i) for m in found if m.article_id in position]
            matches.append(found)
        return matches, must_link

    def _group_for(self, matches: list[DuplicateMatch]) -> str | None:
        if not matches:
            return None
        groups = sorted({self.duplicates.group_of(m.article_id) or m.article_id for m in matches})
        keep = groups[0]
        for other in groups[1:]:
            self.duplicates.regroup(other, keep)
            self.changes.group_renames.append((other, keep))
        for m in matches:
            if self.duplicates.group_of(m.article_id) is None:
                # The matched article founds the group: it is the original the others copy.
                self.duplicates.set_group(m.article_id, keep)
                self.changes.duplicate_members.append((m.article_id, keep, "original", 1.0, None))
        return keep

    def _link_group(
        self,
        batch: Sequence[ArticleFeatures],
        members: list[int],
        matches: list[list[DuplicateMatch]],
        cohesion: np.ndarray,
        decided: dict[int, Decision],
    ) -> None:
        feats = [batch[i] for i in members]
        forced = sorted(
            {self.story_of[m.article_id] for i in members for m in matches[i] if m.article_id in self.story_of},
            key=lambda sid: self.stories.stories[sid].seq,
        )
        score = 0.0
        if forced:
            story = self.stories.stories[forced[0]]
            for other in forced[1:]:
                self._merge(story, self.stories.stories[other], "duplicate")
        else:
            vec = sum_vectors([f.vector for f in feats])
            times = [f.time for f in feats]
            found = self.stories.candidates(
                vec, len(feats), min(times), max(times), feats[0].language, all(f.dated for f in feats)
            )
            if found and found[0][1] >= self.config.link_threshold:
                story, score = found[0]
                self._merge_bridged(story, found[1:])
            else:
                story = self._open(feats, members)
                # What the revisit would ask of the new story: its close neighbours, known now.
                self.neighbours[story.id] = found
                founder = members[_founder(feats)]
                decided[founder] = Decision(batch[founder].article_id, story.id, _new_reason(batch[founder]), 0.0)
        joining = [(i, f) for i, f in zip(members, feats, strict=True) if i not in decided]
        self.stories.add_many(story, [f for _, f in joining])
        for i, features in joining:
            self.story_of[features.article_id] = story.id
            decided[i] = self._decision(features, story.id, matches[i], score or float(cohesion[i]))
        self.changes.touched.add(self.story_of[feats[0].article_id])

    def _decision(self, features: ArticleFeatures, story_id: str, matches: list[DuplicateMatch], score: float) -> Decision:
        group = self.duplicates.group_of(features.article_id)
        if matches:
            return Decision(features.article_id, story_id, "duplicate", matches[0].jaccard, matches[0], group)
        if len(features.vector) == 0:
            return Decision(features.article_id, story_id, "no_text", 0.0, None, group)
        return Decision(features.article_id, story_id, "similar", score, None, group)

    def _final(self, decision: Decision) -> Decision:
        """The decision with the story id after merges later in the batch."""
        final = self.story_of.get(decision.article_id, decision.story_id)
        if final == decision.story_id:
            return decision
        return Decision(decision.article_id, final, decision.reason, decision.score,
                        decision.duplicate, decision.group)

    def _open(self, feats: list[ArticleFeatures], members: list[int]) -> StoryState:
        return self.open_story(feats[_founder(feats)])

    def open_story(self, founder: ArticleFeatures) -> StoryState:
        """Open a new story founded by ``founder`` (id from its features, next creation number)."""
        base = self._new_story_id(founder)
        story_id, n = base, 1
        while story_id in self._issued or story_id in self.stories or self._is_taken(story_id):
            n += 1
            story_id = f"{base}-{n}"
        self._issued.add(story_id)
        story = self.stories.create(story_id, self._next_seq, founder)
        self._next_seq += 1
        self.story_of[founder.article_id] = story.id
        self.changes.touched.add(story.id)
        return story

    def _merge_bridged(self, story: StoryState, others: list[tuple[StoryState, float]]) -> None:
        """Merge stories the group bridges: it qualifies for both, and they are alike."""
        for other, score in others:
            if score < self.config.link_threshold:
                break
            if other.id not in self.stories or other.id == story.id:
                continue
            alike = {s.id: sc for s, sc in self.stories.alike(story)}
            if alike.get(other.id, 0.0) >= self.config.merge_threshold:
                older, newer = (story, other) if story.seq <= other.seq else (other, story)
                self._merge(older, newer, "similar")
                story = older

    def _consolidate(self, rounds: int = 3) -> None:
        """Revisit the stories this batch touched: merge each with an active story the model
        finds to be the same (probability at least ``merge_threshold``), the older id surviving.

        Early decisions rest on little evidence (the first reports of a story may differ more
        than either differs from later ones); once a story has grown, a story that was opened
        beside it in error is merged back. Both sides are judged as wholes (average link), so a
        story's core decides, not its latest member.
        """
        for _ in range(rounds):
            merged_any = False
            for sid in sorted(self.changes.touched - self._revised):  # re-clustered ones are settled
                story = self.stories.stories.get(sid)
                if story is None:
                    continue
                found = [(other, p) for other, p in self.stories.alike(story) if other.id not in self._revised]
                if not found or found[0][1] < self.config.merge_threshold:
                    continue
                other = found[0][0]
                older, newer = (story, other) if story.seq <= other.seq else (other, story)
                self._merge(older, newer, "similar")
                merged_any = True
            if not merged_any:
                return

    def _merge(self, survivor: StoryState, merged: StoryState, reason: str) -> None:
        logger.debug("merging story %s into %s (%s)", merged.id, survivor.id, reason)
        for aid in merged.members:
            self.story_of[aid] = survivor.id
        self.stories.merge(survivor, merged)
        self.changes.merges.append((survivor.id, merged.id, reason))
        self.changes.touched.add(survivor.id)
        self.changes.touched.discard(merged.id)


def _founder(feats: list[ArticleFeatures]) -> int:
    """The group's first article in time (then in arrival order): it opens the story."""
    return min(range(len(feats)), key=lambda i: (feats[i].time, i))


def _new_reason(features: ArticleFeatures) -> str:
    return "new_story" if len(features.vector) else "no_text"
