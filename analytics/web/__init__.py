"""The coach web UI (server-rendered pages). Pages call the same selectors and services as the
API — never the API over HTTP — so numbers cannot differ between the two."""
