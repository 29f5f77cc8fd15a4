"""gunicorn's settings for Accord: `gunicorn -c deploy/gunicorn.conf.py config.wsgi`.

Every value can be changed from the environment, so one file serves `make serve-prod`, the
systemd unit and a Procfile platform (docs/deploy.md explains each choice).
"""

import os
from pathlib import Path

# Where to listen. Behind nginx on the same machine keep 127.0.0.1; a platform that routes to
# $PORT on every interface sets HOST=0.0.0.0.
bind = os.environ.get(
    "GUNICORN_BIND", f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
)

# Synchronous worker processes: Accord's requests are short and database-bound. Two per core is
# a good start; WEB_CONCURRENCY is the name hosting platforms use for it.
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))

# A request is killed after `timeout` seconds. It must outlast WEB_STATEMENT_TIMEOUT_MS (one SQL
# statement, 20 s by default), so that a slow statement ends as Accord's 503 page, not as a
# worker killed mid-response; the spreadsheet upload (MAX_UPLOAD_SIZE) reads its body within it.
_statement_seconds = int(os.environ.get("WEB_STATEMENT_TIMEOUT_MS", "20000")) // 1000
timeout = int(os.environ.get("GUNICORN_TIMEOUT", str(max(30, _statement_seconds + 10))))
# On SIGTERM (a deploy, `systemctl stop`) workers finish the requests they hold, for this long.
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
# nginx keeps connections to gunicorn open for a few seconds between requests.
keepalive = 5

# Each worker is replaced after about this many requests, so slow memory growth never builds up;
# the jitter keeps them from restarting all at once.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "1000"))
max_requests_jitter = max_requests // 10

# Logs to stdout and stderr, where systemd's journal or the platform collects them.
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")

# Which addresses may tell gunicorn, through X-Forwarded-Proto, that a request came over HTTPS:
# the proxy in front (nginx on this machine by default). Django reads the same header through
# SECURE_PROXY_SSL_HEADER; TRUSTED_PROXIES says how many proxies append to X-Forwarded-For.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# The workers' heartbeat files live in memory rather than on a disk that may stall.
if Path("/dev/shm").is_dir():  # nosec B108
    worker_tmp_dir = "/dev/shm"  # nosec B108

proc_name = "accord-web"
# gunicorn's control socket (gunicornc) defaults to one path per user, which a second gunicorn
# on the same machine (two web processes, a blue-green deploy) would fight over; Accord does not
# use it.
control_socket_disable = True
