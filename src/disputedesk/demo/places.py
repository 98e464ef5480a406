"""Where the demo's buyers live: real cities with a postal code in each country's own format, a
street written the local way, and names for the buyers of the shipment history. The address is
what a carrier's delivery scan is matched against (city, zip code, recipient)."""

from __future__ import annotations

import random
from dataclasses import dataclass


@dataclass(frozen=True)
class City:
    name: str
    zip: str  # in the country's format: "01310-100", "31-042", "3511 LN", "H2X 1Y4"
    state: str | None = None  # where addresses carry one (US, BR, CA, AU, MX)
    carrier_name: str | None = None  # as carriers write it when they drop accents, in capitals


# country -> its cities (the first ones are the existing buyers' cities)
CITIES: dict[str, tuple[City, ...]] = {
    "US": (
        City("Austin", "78701", "TX"),
        City("Denver", "80202", "CO"),
        City("Columbus", "43215", "OH"),
        City("Seattle", "98101", "WA"),
        City("Miami", "33130", "FL"),
        City("Chicago", "60601", "IL"),
        City("Phoenix", "85004", "AZ"),
        City("Boston", "02108", "MA"),
    ),
    "BR": (
        City("São Paulo", "01310-100", "SP", "SAO PAULO"),
        City("Curitiba", "80010-000", "PR", "CURITIBA"),
        City("Recife", "50030-230", "PE", "RECIFE"),
        City("Rio de Janeiro", "20040-020", "RJ", "RIO DE JANEIRO"),
        City("Belo Horizonte", "30130-010", "MG", "BELO HORIZONTE"),
        City("Porto Alegre", "90010-150", "RS", "PORTO ALEGRE"),
        City("Salvador", "40020-000", "BA", "SALVADOR"),
        City("Fortaleza", "60060-440", "CE", "FORTALEZA"),
        City("Campinas", "13010-111", "SP", "CAMPINAS"),
    ),
    "ES": (
        City("Madrid", "28013"),
        City("Valencia", "46002"),
        City("Sevilla", "41004"),
        City("Barcelona", "08002"),
    ),
    "FR": (City("Lyon", "69002"), City("Toulouse", "31000"), City("Paris", "75011")),
    "PL": (City("Kraków", "31-042"), City("Gdańsk", "80-831"), City("Warszawa", "00-001")),
    "RU": (
        City("Kazan", "420111"),
        City("Novosibirsk", "630099"),
        City("Yekaterinburg", "620014"),
        City("Moscow", "101000"),
    ),
    "KR": (City("Busan", "48058"), City("Incheon", "22332"), City("Seoul", "04524")),
    "NL": (City("Utrecht", "3511 LN"), City("Rotterdam", "3011 AD"), City("Amsterdam", "1012 JS")),
    "GB": (City("Leeds", "LS1 4DY"), City("Manchester", "M1 1AE"), City("Bristol", "BS1 4DJ")),
    "CA": (
        City("Montréal", "H2X 1Y4", "QC", "MONTREAL"),
        City("Toronto", "M5H 2N2", "ON", "TORONTO"),
        City("Vancouver", "V6B 1A1", "BC", "VANCOUVER"),
    ),
    "AU": (
        City("Brisbane", "4000", "QLD", "BRISBANE"),
        City("Melbourne", "3000", "VIC", "MELBOURNE"),
        City("Perth", "6000", "WA", "PERTH"),
    ),
    "DE": (City("Leipzig", "04109"), City("Köln", "50667"), City("Berlin", "10117")),
    "IT": (City("Torino", "10121"), City("Milano", "20121")),
    "MX": (City("Guadalajara", "44100", "JAL"), City("Monterrey", "64000", "NL")),
    "CL": (City("Santiago", "8320000"), City("Valparaíso", "2340000")),
    "BE": (City("Liège", "4000"), City("Bruxelles", "1000")),
    "PT": (City("Porto", "4000-322"), City("Lisboa", "1100-148")),
    "IL": (City("Haifa", "3303000"), City("Tel Aviv", "6100000")),
    "SA": (City("Riyadh", "12211"), City("Jeddah", "21577")),
    "UA": (City("Lviv", "79000"), City("Kyiv", "01001")),
}

# country -> (street names, how a line is written: {n} number, {street} name)
STREETS: dict[str, tuple[tuple[str, ...], str]] = {
    "US": (("Main St", "Oak Ave", "Maple Dr", "Cedar Ln", "Elm St"), "{n} {street}"),
    "BR": (
        ("Rua das Flores", "Avenida Brasil", "Rua XV de Novembro", "Rua da Aurora"),
        "{street}, {n}",
    ),
    "ES": (("Calle Mayor", "Calle de Alcalá", "Avenida de la Constitución"), "{street}, {n}"),
    "FR": (("rue de la République", "avenue Jean Jaurès", "rue Victor Hugo"), "{n} {street}"),
    "PL": (("ul. Długa", "ul. Floriańska", "ul. Marszałkowska"), "{street} {n}"),
    "RU": (("ul. Lenina", "ul. Pushkina", "pr. Mira"), "{street}, d. {n}"),
    "KR": (("Haeundae-ro", "Jungang-daero", "Sejong-daero"), "{n} {street}"),
    "NL": (("Oudegracht", "Kerkstraat", "Stationsweg"), "{street} {n}"),
    "GB": (("High Street", "Station Road", "Church Lane"), "{n} {street}"),
    "CA": (("rue Saint-Denis", "King St W", "Main St"), "{n} {street}"),
    "AU": (("George St", "Queen St", "Collins St"), "{n} {street}"),
    "DE": (("Hauptstraße", "Bahnhofstraße", "Gartenweg"), "{street} {n}"),
    "IT": (("Via Roma", "Corso Vittorio Emanuele", "Via Garibaldi"), "{street} {n}"),
    "MX": (("Av. Juárez", "Calle Hidalgo", "Av. Reforma"), "{street} {n}"),
    "CL": (("Av. Providencia", "Calle Merced"), "{street} {n}"),
    "BE": (("Rue Saint-Gilles", "Rue Neuve"), "{street} {n}"),
    "PT": (("Rua de Santa Catarina", "Avenida da Liberdade"), "{street}, {n}"),
    "IL": (("Herzl St", "Ben Yehuda St"), "{n} {street}"),
    "SA": (("King Fahd Rd", "Olaya St"), "{n} {street}"),
    "UA": (("vul. Svobody", "vul. Shevchenka"), "{street}, {n}"),
}

# Buyers of the shipment history: country -> (first names, family names), paired in turn.
_NAMES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "BR": (
        ("Mariana", "Gabriel", "Juliana", "Pedro", "Beatriz", "Thiago", "Larissa", "Felipe"),
        ("Silva", "Santos", "Almeida", "Ribeiro", "Carvalho", "Gomes", "Costa", "Lima"),
    ),
    "US": (
        ("Emma", "Liam", "Ava", "Noah", "Mia", "Ethan", "Sophia"),
        ("Johnson", "Williams", "Davis", "Garcia", "Martinez", "Anderson", "Moore"),
    ),
    "ES": (("Carmen", "Pablo", "Elena"), ("López", "Sánchez", "Ruiz")),
    "FR": (("Léa", "Nathan", "Manon"), ("Dubois", "Moreau", "Laurent")),
    "DE": (("Lena", "Jonas"), ("Müller", "Fischer")),
    "GB": (("Oliver", "Amelia"), ("Jones", "Taylor")),
    "CA": (("Émile", "Sarah"), ("Gagnon", "Wilson")),
    "AU": (("Charlotte", "William"), ("Nguyen", "Kelly")),
    "RU": (("Ivan", "Alexei", "Pavel"), ("Petrov", "Sokolov", "Volkov")),
    "PL": (("Jakub", "Tomasz"), ("Wójcik", "Lewandowski")),
}


@dataclass(frozen=True)
class HistoryBuyer:
    id: str
    name: str
    country: str
    locale: str
    city: str


_LOCALES = {
    "BR": "pt-BR",
    "US": "en-US",
    "ES": "es-ES",
    "FR": "fr-FR",
    "DE": "de-DE",
    "GB": "en-GB",
    "CA": "en-CA",
    "AU": "en-AU",
    "RU": "ru-RU",
    "PL": "pl-PL",
}


def history_buyers() -> tuple[HistoryBuyer, ...]:
    """The buyers behind the shipment history, the same every time."""
    out = []
    number = 201
    for country, (firsts, lasts) in _NAMES.items():
        cities = CITIES[country]
        for i, first in enumerate(firsts):
            out.append(
                HistoryBuyer(
                    f"B-{country}-{number:04d}",
                    f"{first} {lasts[i % len(lasts)]}",
                    country,
                    _LOCALES[country],
                    cities[(i + 1) % len(cities)].name,
                )
            )
            number += 1
    return tuple(out)


def city_of(country: str, name: str) -> City:
    """The city named `name` in `country` (or the country's first one)."""
    cities = CITIES.get(country, ())
    for city in cities:
        if city.name == name:
            return city
    if cities:
        return cities[0]
    return City(name, "")


def address(name: str, country: str, city_name: str, rng: random.Random) -> dict[str, str]:
    """A buyer's shipping address as parts: recipient, line1, city, state, zip, country."""
    city = city_of(country, city_name)
    streets, form = STREETS.get(country, (("Main Street",), "{n} {street}"))
    line1 = form.format(n=rng.randint(1, 240), street=rng.choice(streets))
    parts = {"recipient": name, "line1": line1, "city": city.name, "zip": city.zip}
    if city.state:
        parts["state"] = city.state
    parts["country"] = country
    return parts


def one_line(parts: dict[str, str]) -> str:
    """The address on one line, as the order's `destination_address`."""
    place = " ".join(p for p in (parts.get("zip"), parts.get("city")) if p)
    if parts.get("state"):
        place = f"{place} {parts['state']}"
    return ", ".join(p for p in (parts.get("line1"), place, parts.get("country")) if p)
