"""gunicorn reads this from the working directory: `gunicorn wsgi:app` (docs/deploy.md).

Every figure can be changed from the environment without editing this file. Access lines go to
stdout with UTC times (JSON in production, trustee_match/logs.py); emailed-link tokens and query
strings are redacted, because those URLs are as good as a password for a while.
"""

import gc
import multiprocessing
import os


def _int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Pages wait on PostgreSQL more than they compute, so a few threads per process serve more at
# once than more processes would; each process holds its own ranker index (memory), so the
# process count follows the cores: 2 per core, at least 2 (one can restart while one serves).
workers = _int("WEB_CONCURRENCY", max(2, multiprocessing.cpu_count() * 2))
worker_class = "gthread"
threads = _int("GUNICORN_THREADS", 4)
# A request that takes longer than this is stuck: its worker is killed and replaced.
timeout = _int("GUNICORN_TIMEOUT", 30)
# On SIGTERM or SIGHUP (a deploy), each worker finishes the requests it has before it exits.
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = 5
# Each worker is replaced after this many requests (plus jitter, so they don't all restart at
# once): what a long-lived process accumulates is returned to the system.
max_requests = _int("GUNICORN_MAX_REQUESTS", 2000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 200)
# The heartbeat file on tmpfs: a slow disk must not make the master think a worker hung.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108
# Only the proxy in front of us may set X-Forwarded-*; the app's ProxyFix decides how many hops.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")

logger_class = "trustee_match.logs.GunicornLogger"
accesslog = "-"
errorlog = "-"
access_log_format = '%(h)s %(t)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"'

# The ranker index (every volunteer and open role, tens of seconds to build at 20,000) is built
# once, in the master, before the workers fork: each worker starts with it in shared memory and
# only applies the change log from there, instead of each building its own on its first page.
preload_app = os.environ.get("GUNICORN_PRELOAD", "1") != "0"
# A worker forked from an index older than this rebuilds its own in the background (serving
# the inherited one, synced, meanwhile): the change log keeps a day (ranking/changes.py).
_REBUILD_AFTER_SECONDS = _int("RANKER_INHERITED_INDEX_MAX_AGE", 6 * 3600)


def _flask_app(server):  # type: ignore[no-untyped-def]
    app = server.app.wsgi()
    return app if hasattr(app, "app_context") else None


def when_ready(server):  # type: ignore[no-untyped-def]
    app = _flask_app(server) if preload_app else None
    if app is None:
        return
    from trustee_match.extensions import db
    from trustee_match.ranking.live_index import live_index

    with app.app_context():
        try:
            live_index().get()
            server.log.info("ranker index built in the master; workers share it")
        except Exception:  # the workers build their own on first use, as without preloading
            server.log.exception("could not build the ranker index before forking")
        finally:
            db.session.remove()
            db.engine.dispose()  # no connection may be shared by the forked workers
    from trustee_match.templating import compile_templates

    server.log.info("%d templates compiled in the master", compile_templates(app))
    # What the master holds now (the app, the index's ~270,000 small objects) lives as long
    # as the workers: out of the collector's sight, a full collection in a worker no longer
    # walks all of it (a pause of a tenth of a second, mid-request), nor writes to its pages,
    # which the workers then keep sharing with the master instead of copying.
    gc.freeze()


def post_fork(server, worker):  # type: ignore[no-untyped-def]
    app = _flask_app(server) if preload_app else None
    if app is None:
        return
    from trustee_match.extensions import db
    from trustee_match.ranking.live_index import live_index

    with app.app_context():
        db.engine.dispose(close=False)  # connections opened in the master stay the master's
        holder = live_index()
        status = holder.status()
        if status.built_at is not None:
            holder.mark_stale()  # apply the change log at the first page
            from trustee_match.models.base import utcnow

            if (utcnow() - status.built_at).total_seconds() > _REBUILD_AFTER_SECONDS:
                holder.rebuild_in_background()
