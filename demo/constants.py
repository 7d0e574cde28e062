"""Names shared by the demo builder, its reset and the `seed_demo` command."""

DEMO_ORG_NAME = "Astral Demo Running Club"
DEMO_PASSWORD = "astral-demo"
# Every account the seeder creates has an address at this reserved `.example` domain (RFC 2606):
# no real account can own one, which is how --reset tells demo users from real ones.
DEMO_EMAIL_DOMAIN = "astral-demo.example"

COACH_USERNAME = "coach"
SECOND_COACH_USERNAME = "coach2"
ADMIN_USERNAME = "admin"
STAFF_USERNAMES = (COACH_USERNAME, SECOND_COACH_USERNAME, ADMIN_USERNAME)

LABELS = {  # name → colour
    "5k-focus": "#0ea5e9",
    "half-marathon": "#8b5cf6",
    "marathon": "#6366f1",
    "trail": "#16a34a",
    "injury-watch": "#dc2626",
    "masters": "#d97706",
    "new": "#64748b",
}

GROUPS = {  # name → description
    "Marathon Block A": "Spring marathon build: long runs on Sunday, tempo Thursday.",
    "5K Speed": "Short-race specialists: track intervals on Tuesday.",
    "Trail Squad": "Hills, dirt and the occasional ultra.",
    "Beginners": "First year of structured running: easy volume and consistency.",
    "Masters 40+": "Forty and over: quality over quantity, recovery first.",
}
