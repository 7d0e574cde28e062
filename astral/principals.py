"""Who is calling, as the domain sees it: a person (a `User`) or an organization's API key
(`organizations.api.authentication.ApiKeyPrincipal`, which reads that organization only)."""


def is_api_key(principal) -> bool:
    return getattr(principal, "is_api_key", False)
