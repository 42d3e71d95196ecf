"""The whole site under load: `make bench-web` (docs/performance.md has the figures).

Seeds (or reuses) the 20,000-volunteer data in its own PostgreSQL database (BENCH_DATABASE_URL,
default trustee_bench; never the tests' `test`), brings it to the newest migration, starts
gunicorn on 127.0.0.1:5113 in production mode (tools/bench_wsgi.py: plain-HTTP cookies, for the
benchmark only) with the ranker-run and outbox workers, runs locust headless with the mix in
tools/locustfile.py, then stops everything it started. Staff log in with a code after the
password: tools/bench_staff.py sets up their accounts' authenticator secrets through the app's
own service, and locust gets them in BENCH_STAFF_TOTP. It prints requests/s, p50/p95/p99 per
page type, errors, and SQL statements per page; the last line is one JSON object.

The semantic signal is off (RANKER_SEMANTIC=0) unless `--semantic`: on a newly seeded database
the ranker-run worker would spend about an hour of one core embedding 20,000 profiles, which is
a one-off backlog (docs/deploy.md), not the site under load.

`--app-dir` serves another checkout of the code (e.g. `git archive main | tar -x -C dir`) with
this benchmark, for a before-and-after comparison.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import re
import runpy
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/trustee_bench"
PASSWORD = "trustee-demo-2026"  # noqa: S105 - the published demo password


def _say(message: str) -> None:
    print(message, flush=True)


def _ensure_database(url: str) -> None:
    parsed = make_url(url)
    if parsed.get_backend_name() != "postgresql" or parsed.database in {"test", None}:
        raise SystemExit("bench-web needs a PostgreSQL database of its own, not the tests' 'test'")
    admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        found = conn.scalar(
            text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": parsed.database}
        )
        if not found:
            conn.execute(text(f'CREATE DATABASE "{parsed.database}"'))
    admin.dispose()


def _flask(env: dict, app_dir: Path, *args: str) -> None:
    subprocess.run([str(BIN / "flask"), *args], cwd=app_dir, env=env, check=True)


def _staff_accounts(users: int) -> int:
    # A code works once per 30-s step and account, and each simulated staff member (1 in 9
    # users) logs in about twice a step: enough accounts that a login rarely waits a step.
    return users // 3 + 2


def _prepare(env: dict, app_dir: Path, args: argparse.Namespace) -> None:
    """Schema at the newest migration of the code served; demo data once (~20 min)."""
    _flask(env, app_dir, "db", "upgrade")
    _flask(env, app_dir, "taxonomy", "load")
    _flask(
        env,
        app_dir,
        "seed",
        "demo",
        "--skip-if-seeded",
        "--volunteers",
        str(args.volunteers),
        "--charities",
        str(args.charities),
        "--needs",
        str(args.needs),
    )
    # A bulk load leaves the planner without statistics until autovacuum gets round to them
    # (on a new machine it had not, 14 minutes after seeding): the roles list took seconds.
    engine = create_engine(env["DATABASE_URL"], isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text("ANALYZE"))
    engine.dispose()


def _set_up_staff(env: dict, app_dir: Path, count: int, out: Path) -> dict:
    """The bench staff accounts and their authenticator secrets (None: code without them)."""
    subprocess.run(
        [
            str(BIN / "python"),
            str(ROOT / "tools" / "bench_staff.py"),
            "--count",
            str(count),
            "--out",
            str(out),
        ],
        cwd=app_dir,
        env=env,
        check=True,
    )
    return json.loads(out.read_text())


def _accounts(url: str, staff: list[str]) -> dict:
    """Who the simulated people log in as, and what they open."""
    engine = create_engine(url)
    rng = random.Random(7)
    with engine.connect() as conn:
        volunteers = list(
            conn.scalars(
                text(
                    "SELECT u.email FROM users u JOIN volunteer_profiles p ON p.user_id = u.id "
                    "WHERE u.active AND u.email_verified_at IS NOT NULL ORDER BY u.id LIMIT 2000"
                )
            )
        )
        charities: dict[str, list[int]] = {}
        for email, need_id in conn.execute(
            text(
                "SELECT u.email, n.id FROM users u JOIN charity_members m ON m.user_id = u.id "
                "JOIN charities c ON c.id = m.charity_id JOIN needs n ON n.charity_id = c.id "
                "WHERE c.status = 'verified' AND u.active AND u.email_verified_at IS NOT NULL "
                "ORDER BY u.id LIMIT 2000"
            )
        ):
            charities.setdefault(email, []).append(need_id)
        needs = list(
            conn.scalars(
                text(
                    "SELECT n.id FROM needs n JOIN charities c ON c.id = n.charity_id "
                    "WHERE n.status = 'open' AND c.status = 'verified' ORDER BY n.id"
                )
            )
        )
        skills = list(conn.scalars(text("SELECT slug FROM skills ORDER BY id")))
        regions = list(
            conn.scalars(text("SELECT DISTINCT region FROM needs WHERE region IS NOT NULL"))
        )
    engine.dispose()
    return {
        "password": PASSWORD,
        "volunteers": rng.sample(volunteers, min(500, len(volunteers))),
        "charities": [[e, ids] for e, ids in list(charities.items())[:300]],
        "needs": rng.sample(needs, min(1000, len(needs))),
        "skills": skills,
        "regions": sorted(regions),
        "staff": staff,
    }


def _wait_healthy(base: str, seconds: float) -> dict:
    deadline = time.monotonic() + seconds
    last = "no answer"
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=5) as response:  # noqa: S310
                return json.loads(response.read() or b"{}")
        except urllib.error.HTTPError as error:
            last = f"{error.code} {error.read()[:300]!r}"
        except OSError as error:
            last = str(error)
        time.sleep(0.5)
    raise SystemExit(f"gunicorn did not become healthy: {last}")


def _rss_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        return None
    return None


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time a process has used so far."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _machine_cpu() -> tuple[float, float]:
    """Seconds of CPU the whole machine has spent so far: busy, and stolen by the host."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    user, nice, system, _idle, _iowait, irq, softirq, steal = fields[:8]
    tick = os.sysconf("SC_CLK_TCK")
    return (user + nice + system + irq + softirq) / tick, steal / tick


def _processes_named(name: str) -> list[int]:
    found = []
    for comm in Path("/proc").glob("[0-9]*/comm"):
        try:
            if comm.read_text().strip() == name:
                found.append(int(comm.parent.name))
        except OSError:
            continue
    return found


class CpuMeter(threading.Thread):
    """Where the machine's CPU goes during the load, second by second: our processes,
    PostgreSQL's backends, and everything else on the machine.

    On a shared machine another tenant's work shows as "other" (or as steal): a slow second
    with a large "other" was the machine, not the site."""

    def __init__(self, groups: dict[str, list[int]]) -> None:
        super().__init__(daemon=True)
        self.groups = groups
        self.seconds: list[dict] = []  # one entry a second: UTC time and each group's CPU
        self._done = threading.Event()

    def _read(self) -> dict[str, float]:
        busy, steal = _machine_cpu()
        now = {"busy": busy, "steal": steal}
        for group, pids in self.groups.items():
            now[group] = sum(_cpu_seconds(pid) for pid in pids)
        # Per backend, so that a connection opened during the load counts from zero.
        now.update({f"pg{pid}": _cpu_seconds(pid) for pid in _processes_named("postgres")})
        return now

    def run(self) -> None:
        last = self._read()
        while not self._done.wait(1.0):
            now = self._read()
            spent = {k: v - last.get(k, 0.0) for k, v in now.items() if k[:2] != "pg"}
            spent["postgres"] = sum(v - last.get(k, 0.0) for k, v in now.items() if k[:2] == "pg")
            spent["other"] = spent["busy"] - sum(spent[k] for k in (*self.groups, "postgres"))
            spent["time"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
            self.seconds.append(spent)
            last = now

    def stop(self) -> None:
        self._done.set()
        self.join()

    def total(self) -> dict[str, float]:
        keys = [k for k in (self.seconds[0] if self.seconds else {}) if k != "time"]
        return {k: round(sum(s[k] for s in self.seconds), 1) for k in keys}

    def at(self, moments: list[str]) -> dict[str, dict[str, float]]:
        """Each group's CPU in the given seconds (UTC, as the access log writes them)."""
        return {
            s["time"]: {k: round(v, 2) for k, v in s.items() if k != "time"}
            for s in self.seconds
            if s["time"] in moments
        }


@contextmanager
def _environment(values: dict[str, str]) -> Iterator[None]:
    saved = dict(os.environ)
    os.environ.update(values)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


def _wait_for_workers(pid: int, expected: int, seconds: float) -> list[int]:
    """The web processes, once all have booted: the first answers /healthz before the last
    has forked, and a process missing from the list is missing from the CPU figures."""
    deadline = time.monotonic() + seconds
    while len(found := _children(pid)) < expected and time.monotonic() < deadline:
        time.sleep(0.2)
    return found


def _children(pid: int) -> list[int]:
    try:
        found = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return []
    return [int(p) for p in found]


def _stop(processes: list[subprocess.Popen]) -> None:
    for process in processes:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    for process in processes:
        try:
            process.wait(timeout=40)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def _read_stats(prefix: str) -> tuple[dict, dict]:
    pages, total = {}, {}
    with open(f"{prefix}_stats.csv", newline="") as handle:
        for row in csv.DictReader(handle):
            figures = {
                "requests": int(row["Request Count"]),
                "errors": int(row["Failure Count"]),
                "rps": float(row["Requests/s"]),
                "p50": float(row["50%"] or 0),
                "p95": float(row["95%"] or 0),
                "p99": float(row["99%"] or 0),
            }
            if row["Name"] == "Aggregated":
                total = figures
            else:
                pages[row["Name"]] = figures
    return pages, total


def _server_times(web_log: Path) -> dict:
    """What gunicorn's access log says each request took inside the server: if locust's p95
    is high while this is low, the time went outside the app (the machine, or locust itself)."""
    by_page: dict[str, list[float]] = {}
    slow_seconds: dict[str, int] = {}
    for line in web_log.read_text(errors="replace").splitlines():
        if '"gunicorn.access"' not in line:
            continue
        try:
            entry = json.loads(line)
            ms = float(entry["ms"])
        except (ValueError, KeyError, TypeError):
            continue
        page = re.sub(r"/\d+", "/N", f"{entry.get('method')} {entry.get('path')}")
        page = re.sub(r"/[\w-]{20,}", "/T", page)
        by_page.setdefault(page, []).append(ms)
        if ms >= 300:
            slow_seconds[entry["time"]] = slow_seconds.get(entry["time"], 0) + 1
    every = sorted(ms for times in by_page.values() for ms in times)
    if not every:
        return {}
    p95 = {
        page: round(_percentile(sorted(times), 0.95))
        for page, times in by_page.items()
        if len(times) >= 20
    }
    return {
        "requests": len(every),
        "p50_ms": round(_percentile(every, 0.5)),
        "p95_ms": round(_percentile(every, 0.95)),
        "over_300_ms": sum(slow_seconds.values()),
        "slowest_pages_p95_ms": dict(sorted(p95.items(), key=lambda kv: -kv[1])[:5]),
        "seconds_with_most_over_300_ms": dict(
            sorted(slow_seconds.items(), key=lambda kv: -kv[1])[:3]
        ),
    }


def _percentile(ordered: list[float], q: float) -> float:
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--spawn-rate", type=float, default=10.0, help="users started a second")
    parser.add_argument("--port", type=int, default=5113)
    parser.add_argument("--workers", type=int, help="gunicorn processes (default: its config)")
    parser.add_argument("--app-dir", type=Path, default=ROOT, help="the code to serve")
    parser.add_argument("--volunteers", type=int, default=20_000)
    parser.add_argument("--charities", type=int, default=2_000)
    parser.add_argument("--needs", type=int, default=6_400)
    parser.add_argument(
        "--semantic", action="store_true", help="keep the semantic signal on (see above)"
    )
    args = parser.parse_args()

    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    _ensure_database(url)
    app_dir = args.app_dir.resolve()
    env = {
        **os.environ,
        "TRUSTEE_MATCH_ENV": "production",
        "DATABASE_URL": url,
        "SECRET_KEY": "bench-only-not-secret",
        "FLASK_APP": "bench_wsgi:app",
        "PYTHONPATH": os.pathsep.join([str(app_dir), str(ROOT / "tools")]),
        "RUN_OUTBOX_WORKER_IN_PROCESS": "0",
        "LOG_FORMAT": "json",
        "RANKER_SEMANTIC": "1" if args.semantic else "0",
    }
    _say(f"Preparing {make_url(url).database} (seeded once, then reused)...")
    _prepare({**env, "FLASK_APP": "wsgi", "TRUSTEE_MATCH_ENV": "development"}, app_dir, args)
    work = Path(tempfile.mkdtemp(prefix="bench_web_"))
    staff = _set_up_staff(env, app_dir, _staff_accounts(args.users), work / "staff.json")
    accounts = _accounts(url, sorted(staff))
    _say(
        f"  {len(accounts['volunteers'])} volunteer, {len(accounts['charities'])} charity, "
        f"{len(staff)} staff logins (staff with a code: {all(staff.values())}); "
        f"{len(accounts['needs'])} open roles to open"
    )
    (work / "accounts.json").write_text(json.dumps(accounts))
    base = f"http://127.0.0.1:{args.port}"
    gunicorn_cmd = [
        str(BIN / "gunicorn"),
        "-c",
        str(app_dir / "gunicorn.conf.py"),
        "-b",
        f"127.0.0.1:{args.port}",
        "bench_wsgi:app",
    ]
    if args.workers:
        gunicorn_cmd[3:3] = ["-w", str(args.workers)]
    # The count gunicorn's own config computes: the load starts once every worker is up.
    with _environment(env):
        configured = runpy.run_path(str(app_dir / "gunicorn.conf.py"))["workers"]
    expected_workers = args.workers or configured
    started: list[subprocess.Popen] = []
    logs = {name: open(work / f"{name}.log", "w") for name in ("web", "runs", "outbox")}  # noqa: SIM115
    try:
        started.append(
            subprocess.Popen(
                gunicorn_cmd, cwd=app_dir, env=env, stdout=logs["web"], stderr=subprocess.STDOUT
            )
        )
        for name, command in (("runs", ["matches", "work"]), ("outbox", ["outbox", "work"])):
            started.append(
                subprocess.Popen(
                    [str(BIN / "flask"), *command],
                    cwd=app_dir,
                    env=env,
                    stdout=logs[name],
                    stderr=subprocess.STDOUT,
                )
            )
        # The master builds the ranker index before it answers: ~2.5 min on a busy 2-core machine.
        health = _wait_healthy(base, 360)
        _say(f"gunicorn is up on {base}: {health.get('status', health)}")
        web_pid = started[0].pid
        _say(
            f"Running locust: {args.users} users for {args.seconds} s "
            f"({len(_children(web_pid))} web processes)..."
        )
        prefix = str(work / "locust")
        workers = _wait_for_workers(web_pid, expected_workers, 60)
        background = [process.pid for process in started[1:]]
        locust = subprocess.Popen(
            [
                str(BIN / "locust"),
                "-f",
                str(ROOT / "tools" / "locustfile.py"),
                "--headless",
                "-u",
                str(args.users),
                "-r",
                str(args.spawn_rate),
                "-t",
                f"{args.seconds}s",
                "--host",
                base,
                "--csv",
                prefix,
                "--only-summary",
                "--stop-timeout",
                "10",
                "--loglevel",
                "WARNING",
            ],
            env={
                **os.environ,
                "BENCH_ACCOUNTS": str(work / "accounts.json"),
                "BENCH_QUERIES": str(work / "queries.json"),
                "BENCH_STAFF_TOTP": json.dumps(staff),
            },
            stdout=subprocess.DEVNULL,
        )
        meter = CpuMeter({"web": workers, "workers": background, "locust": [locust.pid]})
        meter.start()
        locust.wait()
        meter.stop()
        rss = [_rss_mb(pid) for pid in _children(web_pid)]
        cpu = meter.total()
        # The machine's load: on a shared machine, other work queues with ours.
        load = Path("/proc/loadavg").read_text().split()[:3]
    finally:
        _stop(started)
        for handle in logs.values():
            handle.close()

    pages, total = _read_stats(prefix)
    queries = (
        json.loads((work / "queries.json").read_text()) if (work / "queries.json").exists() else {}
    )
    _say(
        f"\n{'page':28} {'requests':>8} {'errors':>6} {'p50 ms':>7} {'p95 ms':>7} "
        f"{'p99 ms':>7} {'queries':>7}"
    )
    for name, row in sorted(pages.items()):
        q = queries.get(name, {}).get("median", "")
        _say(
            f"{name:28} {row['requests']:8d} {row['errors']:6d} {row['p50']:7.0f} "
            f"{row['p95']:7.0f} {row['p99']:7.0f} {q!s:>7}"
        )
    _say(
        f"\nTotal: {total.get('requests', 0)} requests, {total.get('rps', 0):.1f} requests/s, "
        f"{total.get('errors', 0)} errors; p50 {total.get('p50', 0):.0f} ms, "
        f"p95 {total.get('p95', 0):.0f} ms. Web processes' memory: {rss} MB. Load average "
        f"{' '.join(load)}. Logs: {work}"
    )
    _say(
        f"CPU in the {args.seconds} s ({os.cpu_count()} cores, {os.cpu_count() * args.seconds} "
        f"core-seconds): the machine {cpu['busy']} s busy, {cpu['steal']} s stolen by the host; "
        f"web {cpu['web']} s, ranker and outbox workers {cpu['workers']} s, locust "
        f"{cpu['locust']} s, PostgreSQL {cpu['postgres']} s, anything else {cpu['other']} s"
    )
    server = _server_times(work / "web.log")
    if server:
        _say(
            f"Inside the server (gunicorn's access log): p50 {server['p50_ms']} ms, p95 "
            f"{server['p95_ms']} ms over {server['requests']} requests; "
            f"{server['over_300_ms']} took 300 ms or more, most in the seconds "
            f"{server['seconds_with_most_over_300_ms']}; slowest p95: "
            f"{server['slowest_pages_p95_ms']}"
        )
        slow = meter.at(list(server["seconds_with_most_over_300_ms"]))
        server["cpu_in_slowest_seconds"] = slow
        for moment, spent in sorted(slow.items()):
            _say(
                f"  CPU in {moment}: machine {spent['busy']} s busy (of {os.cpu_count()}), web "
                f"{spent['web']} s, PostgreSQL {spent['postgres']} s, locust {spent['locust']} "
                f"s, anything else {spent['other']} s, stolen {spent['steal']} s"
            )
    print(
        json.dumps(
            {
                "users": args.users,
                "seconds": args.seconds,
                "rps": round(total.get("rps", 0.0), 1),
                "errors": total.get("errors", 0),
                "p95_ms": {name: row["p95"] for name, row in sorted(pages.items())},
                "p50_ms": {name: row["p50"] for name, row in sorted(pages.items())},
                "p99_ms": {name: row["p99"] for name, row in sorted(pages.items())},
                "queries": {name: q["median"] for name, q in sorted(queries.items())},
                "rss_mb": rss,
                "web_cpu_s": cpu["web"],
                "cpu_s": cpu,
                "load_avg": [float(x) for x in load],
                "server": server,
            }
        )
    )


if __name__ == "__main__":
    main()
