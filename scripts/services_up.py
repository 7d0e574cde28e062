"""Exit 0 when this machine's PostgreSQL and Redis answer (used by `make test-services`)."""

import socket
import sys

SERVICES = {"PostgreSQL": ("127.0.0.1", 5432), "Redis": ("127.0.0.1", 6379)}


def reachable(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def main() -> int:
    missing = [name for name, address in SERVICES.items() if not reachable(*address)]
    if missing and "--quiet" not in sys.argv:
        print("not reachable:", ", ".join(missing))
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
