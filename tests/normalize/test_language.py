"""detect_language: ISO 639-1 codes on the restricted set, None when unsure."""

from __future__ import annotations

import pytest

from newsprism.normalize.language import LANGUAGES, MAX_CHARS, detect_language, language_detector

SAMPLES = {
    "en": "The city council voted on Wednesday night to build a tram line to the eastern docks.",
    "fr": "Le conseil municipal a voté mercredi soir la construction d'une ligne de tramway.",
    "de": "Der Stadtrat hat am Mittwochabend den Bau einer Straßenbahnlinie zu den Docks beschlossen.",
    "es": "El ayuntamiento aprobó el miércoles por la noche la construcción de una línea de tranvía.",
    "it": "Il consiglio comunale ha approvato mercoledì sera la costruzione di una linea tranviaria.",
    "pt": "A câmara municipal aprovou na quarta-feira à noite a construção de uma linha de elétrico.",
    "nl": "De gemeenteraad heeft woensdagavond ingestemd met de aanleg van een nieuwe tramlijn.",
    "ru": "Городской совет в среду вечером проголосовал за строительство трамвайной линии к докам.",
    "ar": "صوّت مجلس المدينة مساء الأربعاء على بناء خط ترام يربط المحطة المركزية بالأرصفة الشرقية.",
    "tr": "Belediye meclisi çarşamba akşamı doğu rıhtımlarına uzanan bir tramvay hattını onayladı.",
    "pl": "Rada miejska zagłosowała w środę wieczorem za budową nowej linii tramwajowej do doków.",
    "zh": "市议会周三晚上投票决定修建一条通往东部码头的有轨电车线路。",
}


def test_language_samples_cover_the_language_set() -> None:
    assert sorted(SAMPLES) == sorted(LANGUAGES)


@pytest.mark.parametrize(("code", "text"), sorted(SAMPLES.items()))
def test_language_detects_each_supported_language(code: str, text: str) -> None:
    assert detect_language(text) == code


def test_language_short_headline_is_still_detected() -> None:
    assert detect_language("Tram line approved") == "en"


@pytest.mark.parametrize("text", ["", "ok", "   ", "2024-03-14 08:30 +++ 99", "€ 310 m"])
def test_language_too_short_to_tell_is_none(text: str) -> None:
    assert detect_language(text) is None


def test_language_reads_only_the_start() -> None:
    english = (SAMPLES["en"] + " ") * (MAX_CHARS // len(SAMPLES["en"]) + 1)
    assert detect_language(english + SAMPLES["fr"] * 50) == "en"


def test_language_detector_is_built_once() -> None:
    assert language_detector() is language_detector()
