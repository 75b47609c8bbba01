"""A seeded stream of generated news articles with hard negatives, for the linking benchmarks.

The stream is built to be hard to link, the way local news is:

- **Same-kind events.** Every event is one of eight kinds (shooting, fire, council vote, court
  case, crash, storm, robbery, school board); articles about events of one kind share that kind's
  vocabulary, a quarter of their sentences are the kind's stock phrases (lightly reworded), and
  events happen in a few dozen towns (a few large ones hold most of them), so many
  unrelated events share words, places and outlets. What tells two events apart is what tells
  them apart in real news: the people named, the street, the date mentioned, the figures, and a
  few details of their own.
- **Several outlets per event, each with its own wording.** Each article is written afresh from
  the event's facts; each outlet leans on its own words and sign-off.
- **Syndicated copies.** Some events get a wire story that 1-3 outlets republish with their own
  headline and their own boilerplate.
- **Site boilerplate.** Every outlet prints the same promo/newsletter line under every article,
  so articles of one outlet share a sentence whatever their event (issue 10, error 2).
- **Dated over ~100 days**, streamed in publication order.

Background words come from a word model: the word frequencies of ``../shared/data/ecbplus``
when present (only counts are kept, never text), else a Zipf vocabulary of made-up words. All
randomness is seeded: one seed, one stream.
"""

from __future__ import annotations

import json
import random
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np

from _data import ECBPLUS

SPAN_DAYS = 100
START = datetime(2025, 1, 6, tzinfo=UTC)

KINDS: dict[str, str] = {
    "shooting": "shooting shot gunfire wounded police officers suspect victim hospital handgun scene "
                "investigators casings witnesses neighborhood killed injuries detectives motive "
                "arrested block fired rounds critical condition",
    "fire": "fire blaze firefighters flames smoke crews alarm burned damage residents evacuated "
            "cause investigation building roof extinguished hydrant units engine chief homes "
            "destroyed displaced smoldering",
    "council": "council vote members budget ordinance approved proposal meeting mayor residents "
               "public hearing motion zoning plan tax funding opposed agenda district measure "
               "amendment session passed",
    "court": "court judge jury trial charged sentenced prosecutors defense attorney guilty plea "
             "hearing case testimony verdict prison counts charges appeal defendant filed ruling "
             "bail conviction",
    "crash": "crash vehicle driver collision highway lanes traffic injured troopers car truck "
             "closed pedestrian intersection ambulance speed motorcycle route lane scene killed "
             "passenger hospital",
    "storm": "storm rain winds flooding power outages residents damage trees roads warning "
             "forecast inches crews utility weather service closed schools emergency shelter "
             "gusts river county",
    "robbery": "robbery robbed store clerk suspect cash register armed police fled surveillance "
               "video masked employee station stolen bank demanded weapon arrested description "
               "detectives tip",
    "school": "school board students teachers district superintendent budget parents vote "
              "classroom policy meeting curriculum enrollment trustees funding staff education "
              "proposal approved hiring campus",
}
_ONSETS = "b br c ch d dr f g gr h j k l m n p pr r s st sh t tr v w".split()
_VOWELS = "a e i o u ai ea oo ie".split()
_CODAS = "n r l s th ck nd rt m ll ng st x".split()
_WEEKDAYS = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()
_STREET_KINDS = "Street Avenue Road Drive Lane Boulevard".split()


def _made_word(rng: random.Random, syllables: int) -> str:
    return "".join(rng.choice(_ONSETS) + rng.choice(_VOWELS) for _ in range(syllables)) + rng.choice(_CODAS)


class WordModel:
    """Background words and their probabilities (drawn in bulk from a cumulative table)."""

    def __init__(self, size: int = 30_000) -> None:
        if ECBPLUS.is_file():
            counts: Counter[str] = Counter()
            with ECBPLUS.open(encoding="utf-8") as fh:
                for line in fh:
                    counts.update(re.findall(r"[a-z]+", json.loads(line)["text"].lower()))
            self.words = [w for w, _ in counts.most_common(size)]
            freq = np.array([counts[w] for w in self.words], dtype=np.float64)
            self.source = f"ECB+ word frequencies ({len(self.words):,} words)"
        else:
            rng = random.Random(7)
            self.words = sorted({_made_word(rng, rng.randint(1, 3)) for _ in range(size)}, key=lambda w: (len(w), w))
            freq = 1.0 / np.arange(1, len(self.words) + 1)
            self.source = f"Zipf over {len(self.words):,} made-up words (no ECB+ data found)"
        self.cdf = np.cumsum(freq / freq.sum())
        self.array = np.array(self.words)

    def draw(self, rng: np.random.Generator, count: int) -> list[str]:
        """``count`` background words drawn by frequency."""
        picks = np.minimum(np.searchsorted(self.cdf, rng.random(count)), len(self.words) - 1)
        return self.array[picks].tolist()

    def rare(self, rng: random.Random, count: int) -> list[str]:
        """``count`` less common words (ranks 1,500+): an event's or an outlet's own details."""
        return [self.words[rng.randrange(1500, len(self.words))] for _ in range(count)]


@dataclass(frozen=True, slots=True)
class Event:
    """One real-world event: the facts its articles share."""

    id: int
    kind: str
    town: str
    street: str
    people: tuple[str, ...]
    figures: tuple[str, ...]
    details: tuple[str, ...]
    day: datetime
    wire: bool


@dataclass(frozen=True, slots=True)
class Item:
    """One article to write: its event, outlet, publication time, and whether it copies the wire story."""

    event: int
    outlet: str
    published: datetime
    copy_of_wire: bool
    seed: int


class Stream:
    """``n`` articles over ``SPAN_DAYS`` days, in publication order, with their gold events.

    Args:
        n: articles in the stream.
        seed: one seed, one stream.
        words: the background word model (default: a new :class:`WordModel`).
    """

    WIRE = "Associated Wire"

    def __init__(self, n: int, seed: int = 1, words: WordModel | None = None) -> None:
        self.n = n
        self.seed = seed
        self.words = words or WordModel()
        rng = random.Random(seed)
        self.towns = sorted({_made_word(rng, 2).capitalize() + rng.choice(["ton", "ville", "field", " City", "burg"]) for _ in range(40)})[:30]
        # A few large towns hold most events (Zipf weights): many same-kind events per town.
        self.town_weights = [1.0 / (i + 1) ** 0.8 for i in range(len(self.towns))]
        self.first_names = sorted({_made_word(rng, rng.randint(1, 2)).capitalize() for _ in range(400)})
        self.surnames = sorted({_made_word(rng, rng.randint(2, 3)).capitalize() for _ in range(3000)})
        self.streets = sorted({_made_word(rng, 2).capitalize() for _ in range(300)})
        national = [f"{_made_word(rng, 2).capitalize()} {kind}" for kind in ("Times", "Post", "Herald", "Journal", "News", "Tribune")]
        self.local = {t: [f"{t} {name}" for name in rng.sample(["Gazette", "Courier", "Register", "Daily", "Observer"], 2)] for t in self.towns}
        self.outlets = national + [o for t in self.towns for o in self.local[t]]
        self.national = national
        self.style = {o: self.words.rare(rng, 12) for o in self.outlets + [self.WIRE]}
        self.boilerplate = {o: self._boilerplate(rng, o) for o in self.outlets}
        nrng = np.random.default_rng(seed)
        self.stock = {kind: [self._stock(rng, nrng, kind) for _ in range(40)] for kind in KINDS}
        self.events: list[Event] = []
        self.items = self._plan(rng)
        self.gold = [item.event for item in self.items]

    def _boilerplate(self, rng: random.Random, outlet: str) -> str:
        """The line this outlet prints under every article."""
        extra = " ".join(self.style[outlet][:3])
        return rng.choice([
            f"Download the {outlet} app for breaking news alerts and {extra} updates.",
            f"Sign up for the {outlet} morning newsletter to get {extra} news in your inbox.",
            f"Copyright {outlet}. All rights reserved. This story may not be republished without {extra} permission.",
            f"Have a news tip? Contact the {outlet} newsroom any time, day or night, about {extra}.",
        ])

    def _stock(self, rng: random.Random, nrng: np.random.Generator, kind: str) -> str:
        """A stock sentence of ``kind`` ("police said the investigation is ongoing"), reused by
        articles about any event of that kind: what makes same-kind events look alike."""
        words = KINDS[kind].split()
        sentence = self.words.draw(nrng, rng.randint(8, 16))
        for _ in range(len(sentence) // 3):
            sentence[rng.randrange(len(sentence))] = rng.choice(words)
        return " ".join(sentence).capitalize() + "."

    def _event(self, rng: random.Random, index: int) -> Event:
        people = tuple(f"{rng.choice(self.first_names)} {rng.choice(self.surnames)}" for _ in range(rng.randint(2, 3)))
        figures = (str(rng.randint(2, 9)), str(rng.randint(17, 80)), f"{rng.randint(1, 900) * 1000:,}")
        day = START + timedelta(days=rng.uniform(0, SPAN_DAYS - 3))
        street = f"{rng.randint(100, 9900)} {rng.choice(self.streets)} {rng.choice(_STREET_KINDS)}"
        return Event(index, rng.choice(list(KINDS)), rng.choices(self.towns, self.town_weights)[0], street,
                     people, figures, tuple(self.words.rare(rng, 6)), day, rng.random() < 0.15)

    def _plan(self, rng: random.Random) -> list[Item]:
        """Events until ``n`` articles, then every article sorted by publication time."""
        items: list[Item] = []
        while len(items) < self.n:
            event = self._event(rng, len(self.events))
            self.events.append(event)
            count = min(10, 1 + int(np.floor(np.log(1 - rng.random()) / np.log(0.62))))
            choices = self.local[event.town] * 3 + self.national
            outlets = list(dict.fromkeys(rng.sample(choices, min(len(choices), count))))
            if event.wire:
                items.append(Item(event.id, self.WIRE, event.day + timedelta(hours=rng.uniform(1, 6)), False, rng.getrandbits(32)))
            for outlet in outlets:
                copy = event.wire and rng.random() < 0.5
                hours = rng.uniform(2, 72) if not copy else rng.uniform(6, 12)
                items.append(Item(event.id, outlet, event.day + timedelta(hours=hours), copy, rng.getrandbits(32)))
        del items[self.n :]
        items.sort(key=lambda item: item.published)
        return items

    def records(self) -> Iterator[dict[str, str]]:
        """The stream as JSONL records (``id``, ``title``, ``text``, ``source``, ``published``)."""
        wires = {item.event: item for item in self.items if item.outlet == self.WIRE}
        for index, item in enumerate(self.items):
            event = self.events[item.event]
            if item.copy_of_wire:
                wire = wires[item.event]
                title, paragraphs = self._article(event, wire.outlet, wire.seed)
                title = self._article(event, item.outlet, item.seed)[0]
                paragraphs = paragraphs[:-1] if len(paragraphs) > 4 else paragraphs
            else:
                title, paragraphs = self._article(event, item.outlet, item.seed)
            if item.outlet in self.boilerplate:
                paragraphs = [*paragraphs, self.boilerplate[item.outlet]]
            yield {"id": f"gen-{self.seed}-{index:07d}", "title": title, "text": "\n\n".join(paragraphs),
                   "source": item.outlet, "published": item.published.isoformat()}

    def write(self, folder: Path, per_file: int = 10_000) -> list[Path]:
        """Write the stream as JSONL files of ``per_file`` lines each (publication order)."""
        paths: list[Path] = []
        fh = None
        records = self.records()
        for start in range(0, self.n, per_file):
            paths.append(folder / f"stream-{start // per_file:03d}.jsonl")
            with paths[-1].open("w", encoding="utf-8") as fh:
                for _, record in zip(range(per_file), records, strict=False):
                    fh.write(json.dumps(record) + "\n")
        return paths

    @staticmethod
    def position(ref: str, per_file: int = 10_000) -> int | None:
        """The stream index of a ref ``.../stream-FFF.jsonl:LINE`` written by :meth:`write`."""
        found = re.search(r"stream-(\d+)\.jsonl:(\d+)$", ref)
        return int(found.group(1)) * per_file + int(found.group(2)) - 1 if found else None

    def _article(self, event: Event, outlet: str, seed: int) -> tuple[str, list[str]]:
        """A title and 4-7 paragraphs about ``event`` in ``outlet``'s words."""
        rng = random.Random(seed)
        nrng = np.random.default_rng(seed)
        kind_words = KINDS[event.kind].split()
        style = self.style[outlet]
        when = f"{_WEEKDAYS[event.day.weekday()]}, {event.day:%B} {event.day.day}"
        facts = [*event.people, event.town, event.street, *event.figures, when, *event.details, event.people[0]]
        title = " ".join([event.town, *rng.sample(kind_words, 3), rng.choice(event.people).split()[1],
                          *rng.sample(self.words.draw(nrng, 12), 4)])
        lengths = [rng.randint(12, 24) for _ in range(rng.randint(4, 7) * 3)]
        words = self.words.draw(nrng, sum(lengths))
        sentences: list[str] = []
        start = 0
        stock = self.stock[event.kind]
        for length in lengths:
            if rng.random() < 0.25:  # a stock phrase, two words changed (no two outlets word it alike)
                phrase = rng.choice(stock).split()
                for pos, word in zip(rng.sample(range(1, len(phrase)), 2), self.words.draw(nrng, 2), strict=True):
                    phrase[pos] = word
                sentences.append(" ".join(phrase))
                continue
            sentence = words[start : start + length]
            start += length
            for _ in range(length // 3):  # the kind's words: shared by every event of the kind
                sentence[rng.randrange(length)] = rng.choice(kind_words)
            if rng.random() < 0.15:
                sentence[rng.randrange(length)] = rng.choice(style)
            for fact in rng.sample(facts, rng.choice((0, 0, 1, 1, 2))):  # what tells events apart
                sentence.insert(rng.randrange(1, length), fact)
            sentence[0] = sentence[0].capitalize()
            sentences.append(" ".join(sentence) + ".")
        paragraphs = [" ".join(sentences[i : i + 3]) for i in range(0, len(sentences), 3)]
        return title[0].upper() + title[1:], paragraphs
