"""Fixtures of the similarity and paraphrase tests: one MiniLM embedder for the session.

The texts are written for these tests: a fictional harbour storm told by two outlets, a German
version of it, and an unrelated chess story.
"""

from __future__ import annotations

import pytest

from newsprism.compare.paraphrase import Paraphraser
from newsprism.compare.similarity import Similarity
from newsprism.represent.embedding import Embedder

STORM_A = (
    "Storm closes Port Elm harbour\n"
    "A powerful storm forced the closure of Port Elm harbour on Tuesday, officials said. "
    "Fishing boats were told to stay in port until Thursday. Mayor Clara Voss said 3,000 homes "
    "lost power in Norway's west after winds reached 140 km/h. Repair crews from Bergen were on "
    "their way, and schools will stay shut on Wednesday."
)
STORM_B = (
    "Port Elm harbour shut as storm hits\n"
    "Officials closed the harbour in Port Elm on Tuesday because of a strong storm. Mayor Clara "
    "Voss said about 3,000 households were without electricity after gusts of 140 km/h hit the "
    "Norwegian coast. Boats must remain in port until Thursday. Crews from Bergen are coming to "
    "repair the lines; schools will be closed on Wednesday."
)
STORM_DE = (
    "Sturm schließt den Hafen von Port Elm\n"
    "Ein schwerer Sturm hat am Dienstag die Schließung des Hafens von Port Elm erzwungen. "
    "Bürgermeisterin Clara Voss sagte, 3.000 Haushalte seien ohne Strom. Die Boote müssen bis "
    "Donnerstag im Hafen bleiben, und die Schulen bleiben am Mittwoch geschlossen."
)
CHESS = (
    "Riverside chess club wins regional title\n"
    "The Riverside chess club won the regional championship on Saturday after a tense final "
    "round in the town library. Team captain Omar Diaz praised the younger players, two of whom "
    "are only twelve. The club now goes to the national finals in the spring."
)


@pytest.fixture(scope="session")
def minilm() -> Embedder:
    emb = Embedder()
    emb.encode(["load the model once for the session"])
    return emb


@pytest.fixture(scope="session")
def similarity_model(minilm: Embedder) -> Similarity:
    return Similarity(embedder=minilm)


@pytest.fixture(scope="session")
def paraphrase_model(minilm: Embedder) -> Paraphraser:
    return Paraphraser(embedder=minilm)
