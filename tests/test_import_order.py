"""Dependencies point one way (docs/architecture.md, "Layers"):

    accounts ← organizations ← plans ← analytics ← demo

A lower app never imports a higher one — not even inside a function — and `astral/` (settings,
plumbing) imports no app; only the root URLconf, the composition root, names the apps' views.
Only an `api` package imports another app's `api` package, and the domain (services, selectors,
access rules, metrics) imports nothing that speaks HTTP.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ORDER = ("accounts", "organizations", "plans", "analytics", "demo")
COMPOSITION_ROOTS = {"astral/urls.py"}
HTTP_MODULES = ("rest_framework", "django.http", "astral.api", "astral.web_errors")


def imported_modules(source: str) -> list[tuple[int, str]]:
    """Every absolute import of a module, at any depth (function-level imports included)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
    return found


def _is_domain(path: str) -> bool:
    parts = path.split("/")
    name = parts[-1].removesuffix(".py")
    return parts[0] in ORDER and (
        name in {"services", "selectors", "access", "invitations"}
        or any(part in {"services", "selectors", "metrics"} for part in parts[1:-1])
    )


def violations(path: str, source: str) -> list[str]:
    """What is wrong with the imports of one module (`path` relative to the repository)."""
    parts = path.split("/")
    app, in_api = parts[0], "api" in parts[1:-1]
    wrong = []
    for line, module in imported_modules(source):
        target = module.split(".")[0]
        where = f"{path}:{line} imports {module}"
        if app == "astral" and target in ORDER and path not in COMPOSITION_ROOTS:
            wrong.append(f"{where}: astral/ depends on no app")
        elif app in ORDER and target in ORDER and ORDER.index(target) > ORDER.index(app):
            wrong.append(f"{where}: {app} is below {target}")
        if target in ORDER and target != app and module.split(".")[1:2] == ["api"] and not in_api:
            wrong.append(f"{where}: only an api package imports another app's api")
        if _is_domain(path) and module.startswith(HTTP_MODULES):
            wrong.append(f"{where}: the domain layer speaks no HTTP")
    return wrong


def _modules():
    for top in (*ORDER, "astral"):
        for file in sorted((ROOT / top).rglob("*.py")):
            relative = file.relative_to(ROOT).as_posix()
            if "/migrations/" not in relative:
                yield relative, file.read_text()


def test_every_import_points_down_the_layers():
    found = [problem for path, source in _modules() for problem in violations(path, source)]
    assert found == [], "\n".join(found)


def test_the_checker_sees_each_kind_of_violation():
    upward = "def f():\n    from analytics.tasks import refresh\n"
    assert violations("accounts/services.py", upward) == [
        "accounts/services.py:2 imports analytics.tasks: accounts is below analytics"
    ]
    assert violations("astral/views.py", "import organizations.selectors\n") == [
        "astral/views.py:1 imports organizations.selectors: astral/ depends on no app"
    ]
    assert violations("analytics/selectors/roster.py", "from plans.api.payloads import x\n") == [
        "analytics/selectors/roster.py:1 imports plans.api.payloads: only an api package imports another app's api"
    ]
    assert violations("plans/services.py", "from rest_framework.exceptions import ValidationError\n") == [
        "plans/services.py:1 imports rest_framework.exceptions: the domain layer speaks no HTTP"
    ]


def test_downward_imports_and_the_composition_root_are_fine():
    assert violations("analytics/selectors/roster.py", "from accounts.models import User\nimport plans.models\n") == []
    assert violations("astral/urls.py", "from accounts import views\n") == []
    assert violations("analytics/api/views.py", "from plans.api.serializers import PlanSerializer\n") == []
