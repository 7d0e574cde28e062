"""Strava's OAuth2 endpoints, as a part of StravaDouble: the consent page and its decision,
POST /oauth/token (authorization_code and refresh_token grants) and the token records behind
the API's Bearer check. The double's state (codes, access, refresh, athletes, lock) lives on
StravaDouble."""

import html
import secrets
import time
import urllib.parse

from tests.strava_double import payloads
from tests.strava_double.payloads import BAD_REQUEST


class OAuth:
    def _authorize(self, params: dict, approve: bool) -> tuple[int, str | dict]:
        if params.get("client_id") != self.client_id:
            return 400, payloads.fault(BAD_REQUEST, "Application", "client_id", "invalid")
        if not params.get("redirect_uri"):
            return 400, payloads.fault(BAD_REQUEST, "Application", "redirect_uri", "invalid")
        if params.get("response_type") != "code":
            return 400, payloads.fault(BAD_REQUEST, "Application", "response_type", "invalid")
        state = params.get("state", "")
        if not approve:
            return 302, with_query(params["redirect_uri"], {"state": state, "error": "access_denied"})
        with self.lock:
            athlete_id = self.signed_in or next(reversed(self.athletes), None)
        assert athlete_id, "nobody is signed in to the Strava double: add_athlete() first"
        asked = [s for s in (self.accepted_scope or params.get("scope") or "read").split(",") if s]
        scope = ",".join(dict.fromkeys(["read", *asked]))  # Strava reports "read" with whatever else was accepted
        code = self.issue_code(athlete_id, scope)
        return 302, with_query(params["redirect_uri"], {"state": state, "code": code, "scope": scope})

    def _consent_page(self, params: dict):
        status, problem = self._authorize(params, approve=False)
        if status != 302:
            return status, problem, {}
        hidden = "".join(
            f'<input type="hidden" name="{name}" value="{html.escape(params.get(name, ""))}">'
            for name in ("client_id", "redirect_uri", "response_type", "scope", "state", "approval_prompt")
        )
        page = (
            f"<!doctype html><title>Authorize | Strava double</title><h1>Authorize application {self.client_id}</h1>"
            f"<p>Scope: {html.escape(params.get('scope', 'read'))}</p>"
            f'<form method="post" action="/oauth/authorize">{hidden}'
            '<button type="submit" name="decision" value="authorize" id="authorize">Authorize</button>'
            '<button type="submit" name="decision" value="cancel" id="cancel">Cancel</button></form>'
        )
        return 200, page, {}

    def _token(self, params: dict) -> tuple[int, dict]:
        if params.get("client_id") != self.client_id:
            return 400, payloads.fault(BAD_REQUEST, "Application", "client_id", "invalid")
        if params.get("client_secret") != self.client_secret:
            return 401, payloads.fault("Authorization Error", "Application", "", "invalid")
        grant = params.get("grant_type")
        if grant == "authorization_code":
            if params.get("code") not in self.codes:
                return 400, payloads.fault(BAD_REQUEST, "AuthorizationCode", "code", "invalid")
            athlete_id, scope = self.codes.pop(params["code"])
            return 200, payloads.tokens(self._issue(athlete_id, scope), self.athletes[athlete_id])
        if grant == "refresh_token":
            old = self.refresh.get(params.get("refresh_token"))
            if not old:
                return 400, payloads.fault(BAD_REQUEST, "RefreshToken", "refresh_token", "invalid")
            if self.rotate_refresh_tokens:
                del self.refresh[old["refresh_token"]]
            keep = None if self.rotate_refresh_tokens else old["refresh_token"]
            return 200, payloads.tokens(self._issue(old["athlete_id"], old["scope"], keep), None)
        return 400, payloads.fault(BAD_REQUEST, "Application", "grant_type", "invalid")

    def _issue(self, athlete_id: int, scope: str, refresh_token: str | None = None) -> dict:
        record = {
            "access_token": secrets.token_hex(20),
            "refresh_token": refresh_token or secrets.token_hex(20),
            "athlete_id": athlete_id,
            "scope": scope,
            "expires_at": int(time.time()) + self.token_lifetime,
        }
        self.access[record["access_token"]] = self.refresh[record["refresh_token"]] = record
        return record

    def _record(self, access_token: str | None) -> dict | None:
        record = self.access.get(access_token or "")
        return record if record and record["expires_at"] > time.time() else None

    def _revoke(self, athlete_id: int) -> None:
        with self.lock:
            for tokens in (self.access, self.refresh):
                for token in [t for t, r in tokens.items() if r["athlete_id"] == athlete_id]:
                    del tokens[token]


def query_values(text: str) -> dict[str, str]:
    return {k: v[-1] for k, v in urllib.parse.parse_qs(text, keep_blank_values=True).items()}


def with_query(url: str, extra: dict) -> str:
    parts = urllib.parse.urlsplit(url)
    query = "&".join(q for q in (parts.query, urllib.parse.urlencode(extra)) if q)
    return urllib.parse.urlunsplit(parts._replace(query=query))
