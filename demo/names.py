"""Built-in name lists for the demo club, by region, with the region's time zones.

A fixed list (not Faker) so a seed always gives the same people whatever is installed.
"""

import unicodedata
from dataclasses import dataclass


@dataclass(frozen=True)
class Region:
    weight: int  # relative share of the club
    time_zones: tuple[str, ...]
    male: tuple[str, ...]
    female: tuple[str, ...]
    last: tuple[str, ...]
    imperial_share: float = 0.0  # how many athletes of the region pick imperial units


REGIONS: tuple[Region, ...] = (
    Region(
        weight=18,
        time_zones=("Europe/London",),
        male=("Oliver", "Harry", "George", "Jack", "Charlie", "Thomas", "Alfie", "Oscar", "William", "Rhys"),
        female=("Amelia", "Olivia", "Isla", "Emily", "Sophie", "Grace", "Freya", "Poppy", "Ella", "Niamh"),
        last=(
            "Smith",
            "Jones",
            "Taylor",
            "Brown",
            "Wilson",
            "Evans",
            "Walker",
            "Wright",
            "Hughes",
            "Edwards",
            "Clarke",
            "Patel",
            "Murphy",
            "Thompson",
            "Roberts",
            "Hall",
        ),
        imperial_share=0.2,
    ),
    Region(
        weight=26,
        time_zones=("America/New_York", "America/New_York", "America/Chicago", "America/Los_Angeles", "America/Denver"),
        male=("James", "Michael", "Ethan", "Noah", "Tyler", "Daniel", "Mason", "Logan", "Caleb", "Marcus"),
        female=("Emma", "Ava", "Madison", "Abigail", "Hannah", "Chloe", "Harper", "Brooklyn", "Avery", "Jasmine"),
        last=(
            "Johnson",
            "Williams",
            "Miller",
            "Davis",
            "Anderson",
            "Thompson",
            "Moore",
            "Jackson",
            "Harris",
            "Clark",
            "Lewis",
            "Robinson",
            "Nguyen",
            "Kim",
            "Rodriguez",
            "Hernandez",
            "Walker",
            "Young",
        ),
        imperial_share=0.8,
    ),
    Region(
        weight=10,
        time_zones=("Europe/Berlin", "Europe/Vienna", "Europe/Zurich"),
        male=("Lukas", "Felix", "Jonas", "Leon", "Maximilian", "Paul", "Tobias", "Niklas"),
        female=("Hannah", "Lena", "Lea", "Mia", "Anna", "Johanna", "Katharina", "Marie"),
        last=(
            "Müller",
            "Schmidt",
            "Schneider",
            "Fischer",
            "Weber",
            "Meyer",
            "Wagner",
            "Becker",
            "Hoffmann",
            "Schäfer",
            "Koch",
            "Richter",
        ),
    ),
    Region(
        weight=6,
        time_zones=("Europe/Paris",),
        male=("Lucas", "Hugo", "Louis", "Gabriel", "Arthur", "Théo", "Mathis"),
        female=("Chloé", "Camille", "Léa", "Manon", "Inès", "Zoé", "Juliette"),
        last=("Martin", "Bernard", "Dubois", "Thomas", "Robert", "Petit", "Durand", "Leroy", "Moreau", "Lefèvre"),
    ),
    Region(
        weight=6,
        time_zones=("Europe/Madrid", "Europe/Rome"),
        male=("Pablo", "Javier", "Alejandro", "Diego", "Marco", "Luca", "Matteo"),
        female=("Lucía", "María", "Paula", "Elena", "Giulia", "Chiara", "Francesca"),
        last=(
            "García",
            "Fernández",
            "López",
            "Martínez",
            "Sánchez",
            "Navarro",
            "Rossi",
            "Russo",
            "Ferrari",
            "Bianchi",
            "Romano",
            "Colombo",
        ),
    ),
    Region(
        weight=5,
        time_zones=("Europe/Stockholm", "Europe/Oslo", "Europe/Copenhagen"),
        male=("Erik", "Lars", "Nils", "Magnus", "Jakob", "Henrik"),
        female=("Ingrid", "Astrid", "Sofie", "Freja", "Maja", "Karin"),
        last=("Andersson", "Johansson", "Larsen", "Hansen", "Nilsson", "Lindqvist", "Berg", "Søndergaard"),
    ),
    Region(
        weight=3,
        time_zones=("Africa/Nairobi",),
        male=("Eliud", "David", "Geoffrey", "Brian", "Kennedy", "Vincent"),
        female=("Brigid", "Faith", "Hellen", "Mercy", "Joyce", "Agnes"),
        last=("Kiprop", "Cheruiyot", "Jepkosgei", "Wanjiru", "Mutai", "Kamau", "Njoroge", "Rotich"),
    ),
    Region(
        weight=4,
        time_zones=("America/Sao_Paulo", "America/Mexico_City"),
        male=("João", "Pedro", "Rafael", "Mateo", "Santiago", "Thiago"),
        female=("Ana", "Beatriz", "Mariana", "Júlia", "Valentina", "Camila"),
        last=("Silva", "Santos", "Oliveira", "Souza", "Pereira", "Costa", "Almeida", "Hernández", "Ramírez"),
    ),
    Region(
        weight=6,
        time_zones=("Asia/Tokyo",),
        male=("Haruto", "Yuto", "Sota", "Ren", "Kaito", "Daiki"),
        female=("Yui", "Aoi", "Hina", "Sakura", "Yuna", "Mei"),
        last=("Sato", "Suzuki", "Takahashi", "Tanaka", "Watanabe", "Ito", "Yamamoto", "Nakamura", "Kobayashi"),
    ),
    Region(
        weight=8,
        time_zones=("Australia/Sydney", "Australia/Sydney", "Australia/Melbourne", "Pacific/Auckland"),
        male=("Jack", "William", "Liam", "Cooper", "Hamish", "Lachlan", "Nikau"),
        female=("Charlotte", "Matilda", "Ruby", "Zoe", "Mia", "Isla", "Aroha"),
        last=("Smith", "Jones", "Williams", "Brown", "Wilson", "Kelly", "Ryan", "Nguyen", "Campbell", "Walker"),
    ),
    Region(
        weight=4,
        time_zones=("Asia/Kolkata", "Asia/Singapore"),
        male=("Arjun", "Rohan", "Vikram", "Aditya", "Wei", "Ravi"),
        female=("Priya", "Ananya", "Kavya", "Isha", "Mei Ling", "Divya"),
        last=("Sharma", "Patel", "Iyer", "Reddy", "Gupta", "Nair", "Tan", "Lim"),
    ),
    Region(
        weight=4,
        time_zones=("America/Toronto", "America/Vancouver"),
        male=("Liam", "Owen", "Benjamin", "Nathan", "Samuel"),
        female=("Olivia", "Charlotte", "Emily", "Claire", "Maëlle"),
        last=("Tremblay", "Gagnon", "Roy", "MacDonald", "Campbell", "Wong", "Singh", "Bouchard"),
        imperial_share=0.15,
    ),
)

# Letters that Unicode decomposition does not reduce to ASCII.
_TRANSLITERATION = str.maketrans({"ß": "ss", "ø": "o", "Ø": "O", "æ": "ae", "Æ": "AE", "ł": "l", "Ł": "L"})


def ascii_slug(text: str) -> str:
    """`Müller` → `muller`, `Mei Ling` → `meiling`: usernames stay plain ASCII."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_TRANSLITERATION))
    return "".join(ch for ch in decomposed.encode("ascii", "ignore").decode().lower() if ch.isalnum())


def city_of(time_zone: str) -> str:
    """The city an IANA zone is named after: "America/New_York" → "New York"."""
    return time_zone.rsplit("/", 1)[-1].replace("_", " ")
