"""A small hand-kept knowledge base of names news copy spells many ways.

It fixes the canonical form of people, organisations and wire agencies that recur across outlets
("Recep Tayyip Erdogan" for "Erdogan" / "Recep Tayyib Erdogan"; "Anadolu Agency" for "Andalou
Agency"). Names outside it are canonicalized by rule (see :mod:`newsprism.analyze.canonical`).

Each entry: canonical name -> (label, aliases, country). Aliases are matched after
:func:`newsprism.analyze.places.fold`; ``WIRE_AGENCIES`` lists the entries that are news agencies.
All-capital aliases (``AP``, ``WHO``) only match when written in capitals.
"""

from __future__ import annotations

PEOPLE: dict[str, tuple[tuple[str, ...], str | None]] = {
    "Recep Tayyip Erdogan": (("Erdogan", "Tayyip Erdogan", "Recep Erdogan"), "TR"),
    "Vladimir Putin": (("Putin",), "RU"),
    "Bashar al-Assad": (("Assad", "al-Assad", "Bashar Assad", "Bashar al Assad"), "SY"),
    "Hafez al-Assad": (("Hafez Assad",), "SY"),
    "Donald Trump": (("Trump", "Donald J. Trump"), "US"),
    "Joe Biden": (("Biden", "Joseph Biden", "Joseph R. Biden"), "US"),
    "Barack Obama": (("Obama",), "US"),
    "Emmanuel Macron": (("Macron",), "FR"),
    "Angela Merkel": (("Merkel",), "DE"),
    "Olaf Scholz": (("Scholz",), "DE"),
    "Xi Jinping": (("Xi",), "CN"),
    "Volodymyr Zelensky": (("Zelensky", "Zelenskyy", "Zelenskiy", "Volodymyr Zelenskyy"), "UA"),
    "Benjamin Netanyahu": (("Netanyahu", "Bibi Netanyahu"), "IL"),
    "Boris Johnson": ((), "GB"),
    "Hassan Rouhani": (("Rouhani",), "IR"),
    "Ali Khamenei": (("Khamenei", "Ayatollah Ali Khamenei"), "IR"),
    "Antonio Guterres": (("Guterres",), None),
    "Sergei Lavrov": (("Lavrov", "Sergey Lavrov"), "RU"),
    "Mevlut Cavusoglu": (("Cavusoglu",), "TR"),
    "Hulusi Akar": (("Akar",), "TR"),
    "Narendra Modi": (("Modi",), "IN"),
    "Kim Jong Un": (("Kim Jong-un",), "KP"),
    "Mohammed bin Salman": (("MBS", "Mohammad bin Salman"), "SA"),
    "Abu Mohammad al-Jolani": (("Jolani", "al-Jolani", "Abu Mohammed al-Golani", "Golani"), "SY"),
    "Mike Pompeo": (("Pompeo",), "US"),
    "Geir Pedersen": (("Pedersen",), None),
    "Rishi Sunak": (("Sunak",), "GB"),
    "Keir Starmer": (("Starmer",), "GB"),
}

ORGANISATIONS: dict[str, tuple[tuple[str, ...], str | None]] = {
    "Anadolu Agency": (("Anadolu", "Anadolu News Agency", "Anadolu Ajansi"), "TR"),
    "Associated Press": (("AP", "The Associated Press", "AP News"), "US"),
    "Reuters": (("Thomson Reuters", "Reuters News Agency"), "GB"),
    "Agence France-Presse": (("AFP", "Agence France Presse", "France-Presse"), "FR"),
    "Deutsche Presse-Agentur": (("dpa", "DPA"), "DE"),
    "EFE": (("Agencia EFE",), "ES"),
    "Xinhua": (("Xinhua News Agency",), "CN"),
    "TASS": (("Tass", "ITAR-TASS"), "RU"),
    "RIA Novosti": (("RIA",), "RU"),
    "Interfax": ((), "RU"),
    "Sputnik": (("Sputnik News",), "RU"),
    "SANA": (("Syrian Arab News Agency",), "SY"),
    "IRNA": (("Islamic Republic News Agency",), "IR"),
    "Fars News Agency": (("Fars",), "IR"),
    "Tasnim News Agency": (("Tasnim",), "IR"),
    "Kyodo News": (("Kyodo",), "JP"),
    "Yonhap": (("Yonhap News Agency",), "KR"),
    "ANSA": ((), "IT"),
    "United Press International": (("UPI",), "US"),
    "Press Trust of India": (("PTI",), "IN"),
    "Bernama": ((), "MY"),
    "Bloomberg": (("Bloomberg News",), "US"),
    "Canadian Press": (("The Canadian Press",), "CA"),
    "Australian Associated Press": (("AAP",), "AU"),
    "Middle East News Agency": (("MENA",), "EG"),
    "Korean Central News Agency": (("KCNA",), "KP"),
    "Ukrinform": ((), "UA"),
    "United Nations": (("UN", "U.N.", "the UN", "the United Nations"), None),
    "UN Security Council": (("Security Council", "UNSC", "United Nations Security Council"), None),
    "NATO": (("North Atlantic Treaty Organization", "Nato"), None),
    "European Union": (("EU", "E.U."), None),
    "World Health Organization": (("WHO", "World Health Organisation"), None),
    "UNHCR": (("UN refugee agency", "United Nations High Commissioner for Refugees"), None),
    "UNICEF": (("Unicef", "United Nations Children's Fund"), None),
    "OCHA": (("UN Office for the Coordination of Humanitarian Affairs",), None),
    "International Monetary Fund": (("IMF",), None),
    "World Bank": ((), None),
    "International Committee of the Red Cross": (("ICRC", "Red Cross"), None),
    "Amnesty International": (("Amnesty",), None),
    "Human Rights Watch": (("HRW",), None),
    "Syrian Observatory for Human Rights": (("SOHR", "Syrian Observatory"), "GB"),
    "White Helmets": (("Syria Civil Defence", "Syrian Civil Defence"), "SY"),
    "Hayat Tahrir al-Sham": (("HTS", "Hayat Tahrir al Sham", "Tahrir al-Sham"), "SY"),
    "Islamic State": (("ISIS", "ISIL", "Daesh", "IS", "Islamic State group"), None),
    "Hezbollah": (("Hizbollah", "Hizbullah"), "LB"),
    "Hamas": ((), "PS"),
    "Taliban": (("the Taliban",), "AF"),
    "al-Qaeda": (("Al Qaeda", "al-Qaida", "Al-Qaeda"), None),
    "Kurdistan Workers' Party": (("PKK",), "TR"),
    "People's Protection Units": (("YPG",), "SY"),
    "Syrian Democratic Forces": (("SDF",), "SY"),
    "Pentagon": (("the Pentagon",), "US"),
    "Kremlin": (("the Kremlin",), "RU"),
    "White House": (("the White House",), "US"),
    "US State Department": (("State Department", "U.S. State Department"), "US"),
    "The New Arab": (("New Arab", "Al-Araby Al-Jadeed", "Al Araby Al Jadeed"), "GB"),
    "Al Jazeera": (("Al-Jazeera", "Aljazeera"), "QA"),
    "BBC": (("British Broadcasting Corporation", "BBC News"), "GB"),
    "CNN": ((), "US"),
    "The New York Times": (("New York Times", "NYT"), "US"),
    "Middle East Monitor": (("MEMO",), "GB"),
    "Twitter": (("X Corp",), "US"),
    "Facebook": (("Meta",), "US"),
    "Instagram": ((), "US"),
    "YouTube": ((), "US"),
    "TikTok": ((), "CN"),
    "Telegram": ((), None),
    "WhatsApp": ((), "US"),
}

WIRE_AGENCIES = frozenset({
    "Anadolu Agency", "Associated Press", "Reuters", "Agence France-Presse",
    "Deutsche Presse-Agentur", "EFE", "Xinhua", "TASS", "RIA Novosti", "Interfax", "Sputnik",
    "SANA", "IRNA", "Fars News Agency", "Tasnim News Agency", "Kyodo News", "Yonhap", "ANSA",
    "United Press International", "Press Trust of India", "Bernama", "Bloomberg",
    "Canadian Press", "Australian Associated Press", "Middle East News Agency",
    "Korean Central News Agency", "Ukrinform",
})
"""Canonical names (keys of ``ORGANISATIONS``) of news agencies whose copy other outlets run."""

NOT_ENTITIES = frozenset({
    "coronavirus", "covid", "covid 19", "covid19", "sars cov 2", "read more", "ebola", "aids",
    "army", "police", "military", "government", "troops", "officials", "authorities",
})
"""Folded names that NER tags but that are neither people, organisations nor places here."""
