"""`make serve-prod`: the production shape on this machine, stopped together by Ctrl-C.

gunicorn with two workers (deploy/gunicorn.conf.py) and two django-q2 clusters of one worker
each, as two worker hosts would run them, on DATABASE_URL and REDIS_URL, with DEBUG off: static
files compressed and fingerprinted by collectstatic and served by WhiteNoise, the templates
cached, errors as pages rather than tracebacks. Only what needs TLS is relaxed (no HTTPS
redirect, HSTS or secure-only cookies on http://127.0.0.1). Without SECRET_KEY a random one is
made for this run (logins end when it stops).

honcho starts each process in its own process group, sends SIGTERM to all on Ctrl-C and SIGKILL
after five seconds, so nothing outlives the command.
"""

import os
import secrets
import subprocess
import sys

from honcho.manager import Manager
from honcho.printer import Printer

PYTHON = sys.executable
WORKERS = 2


def production_env(environ: dict[str, str]) -> dict[str, str]:
    """The environment every process gets: production settings, TLS-only parts off locally."""
    env = {**environ, "DEBUG": "0", "PYTHONUNBUFFERED": "1"}
    env.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    env.setdefault("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
    env.setdefault("PORT", "8000")
    for name in ("SECURE_SSL_REDIRECT", "SESSION_COOKIE_SECURE", "SECURE_HSTS_SECONDS"):
        env.setdefault(name, "0")
    # Password resets by e-mail need SMTP in production; here the console shows the messages.
    env.setdefault("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
    return env


def prepare(env: dict[str, str]) -> None:
    """What a deploy runs before starting the processes (docs/deploy.md, "Upgrading")."""
    for command in (
        ["compile_catalogs"],
        ["migrate", "--no-input"],
        ["setup_schedules"],
        ["collectstatic", "--no-input", "--verbosity", "0"],
    ):
        subprocess.run([PYTHON, "manage.py", *command], env=env, check=True)


def main() -> None:
    env = production_env(dict(os.environ))
    if "SECRET_KEY" not in os.environ:
        print("SECRET_KEY is not set: using a random one for this run.", flush=True)
    database = env.get("DATABASE_URL", "")
    if not database.startswith(("postgres://", "postgresql://")):
        print("DATABASE_URL is not PostgreSQL: production runs on PostgreSQL.", flush=True)
    prepare(env)
    manager = Manager(printer=Printer(sys.stdout))
    web = {**env, "WEB_CONCURRENCY": env.get("WEB_CONCURRENCY", "2")}
    manager.add_process(
        "web", f"{PYTHON} -m gunicorn -c deploy/gunicorn.conf.py config.wsgi", env=web
    )
    for number in range(1, WORKERS + 1):
        worker = {**env, "Q_WORKERS": env.get("Q_WORKERS", "1")}
        manager.add_process(f"worker.{number}", f"{PYTHON} manage.py worker", env=worker)
    print(
        f"\n  Accord (production settings) on http://127.0.0.1:{env['PORT']}/"
        f"  ·  health: http://127.0.0.1:{env['PORT']}/healthz"
        f"\n  gunicorn with {web['WEB_CONCURRENCY']} workers, {WORKERS} django-q2 clusters;"
        " Ctrl-C stops them all.\n",
        flush=True,
    )
    manager.loop()
    sys.exit(manager.returncode)


if __name__ == "__main__":
    main()
