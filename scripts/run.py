"""`make run`: the web server and the django-q2 worker together, stopped together by Ctrl-C.

honcho starts each in its own process group, sends SIGTERM to both on Ctrl-C and SIGKILL after
five seconds, so a qcluster stuck in "stopping" cannot outlive the command.
"""

import os
import sys

from honcho.manager import Manager

PORT = os.environ.get("PORT", "8000")
PYTHON = sys.executable


def listen_address(*, debug: bool, host: str | None, port: str) -> str:
    """Where runserver listens: HOST if given, else this machine only in development (DEBUG on
    is no server to expose to the network), else every interface."""
    host = (host or "").strip() or ("127.0.0.1" if debug else "0.0.0.0")  # nosec B104
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"
    return f"{host}:{port}"


def banner(address):
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    from pages.demo.leads import DEMO_PASSWORD, DEMO_USERS

    lines = [
        "",
        f"  Accord is starting on http://{address}/",
        f"  Demo logins (password for all: {DEMO_PASSWORD}):",
    ]
    for username, (_first, _last, roles) in DEMO_USERS.items():
        lines.append(f"    {username:<10} {', '.join(roles)}")
    lines += ["  Press Ctrl-C to stop the web server and the worker.", ""]
    print("\n".join(lines), flush=True)


def main():
    sys.path.insert(0, os.getcwd())
    from config.env import env_bool

    address = listen_address(debug=env_bool("DEBUG"), host=os.environ.get("HOST"), port=PORT)
    banner(address)
    manager = Manager()
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    manager.add_process("web", f"{PYTHON} manage.py runserver {address}", env=env)
    manager.add_process("worker", f"{PYTHON} manage.py qcluster", env=env)
    manager.loop()
    sys.exit(manager.returncode)


if __name__ == "__main__":
    main()
