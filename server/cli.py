"""``gulou-server``: serve, jobs, migrate, seed-demo, create-user, escalate,
compute-performance (``docs/deployment.md`` tells how they fit together)."""

from __future__ import annotations

import argparse
import getpass
import logging
import os
import signal
import sys
import threading
from collections.abc import Sequence

import sqlalchemy as sa

from gulou_desk.records import new_id
from server.database import SchemaNotCurrent, check_schema_current, make_engine, migrate, writer
from server.jobs import job_names, make_jobs, parse_interval
from server.periodic import PeriodicJob
from server.settings import Settings, SettingsError


def _db_url(args: argparse.Namespace) -> str | None:
    url: str | None = args.db
    return url


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="gulou-server", description="Gulou Desk central server")
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="run the server")
    serve.add_argument("--db", help="database URL (sqlite:///… or postgresql://…); "
                       "default GULOU_DB_URL")
    serve.add_argument("--host", default=None,
                       help="address to listen on (default 127.0.0.1; in demo mode any "
                       "other address is warned about loudly: demo data and made-up "
                       "secrets are not for a network)")
    serve.add_argument("--port", type=int, default=8700)
    serve.add_argument("--demo", action="store_true",
                       help="demo mode: make up secrets, seed demo data if empty")
    serve.add_argument("--workers", type=int, default=1, metavar="N",
                       help="server processes (uvicorn's process manager; default 1). "
                       "Nothing is kept in a process's memory that another needs: any "
                       "request may reach any process, on this host or another")
    serve.add_argument("--no-migrate", dest="migrate", action="store_false",
                       help="do not migrate the database; refuse to start unless it is at "
                       "the migrations' head (run `gulou-server migrate` once, before)")
    _job_options(serve, "; --no-jobs: none here (run `gulou-server jobs` elsewhere)")
    serve.add_argument("--no-jobs", dest="jobs", action="store_false",
                       help="run no periodic job in this process")
    jobs = sub.add_parser("jobs", help="run the periodic jobs only (no HTTP), until "
                          "stopped; each runs once across every process on the database")
    jobs.add_argument("--db")
    jobs.add_argument("--once", action="store_true",
                      help="run each job that is due now, then exit (for cron)")
    _job_options(jobs, "")
    mig = sub.add_parser("migrate", help="bring the database to the current schema (run it "
                         "once, before starting the new version's processes)")
    mig.add_argument("--db")
    seed = sub.add_parser("seed-demo", help="fill an empty database with demo data")
    seed.add_argument("--db")
    seed.add_argument("--size", choices=("demo", "street", "district"), default="demo")
    seed.add_argument("--seed", type=int, default=2018)
    escalate = sub.add_parser("escalate", help="escalate overdue tickets (督办) once")
    escalate.add_argument("--db")
    user = sub.add_parser("create-user", help="create a staff account")
    user.add_argument("--db")
    user.add_argument("--username", required=True)
    user.add_argument("--display-name", required=True)
    user.add_argument("--role", choices=("social_worker", "clerk", "supervisor", "admin"),
                      required=True)
    user.add_argument("--community-id")
    user.add_argument("--street-id")
    perf = sub.add_parser("compute-performance",
                          help="create or refresh the social workers' performance records "
                               "of a month (run it nightly for the current month)")
    perf.add_argument("--db")
    perf.add_argument("--period", help="YYYY-MM; default the current month (Asia/Shanghai)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")

    if args.command == "serve":
        return _serve(args)
    if args.command == "jobs":
        return _jobs(args)

    url = args.db or Settings.from_env(demo=True).db_url
    engine = make_engine(url)
    migrate(engine)
    if args.command == "migrate":
        from server.database import schema_revision

        print(f"the database is at migration {schema_revision(engine)}")
        return 0
    if args.command == "seed-demo":
        from server.seed import AlreadySeeded
        from server.seed import seed as run_seed

        try:
            report = run_seed(engine, args.size, seed_value=args.seed)
        except AlreadySeeded as exc:
            print(f"gulou-server: {exc}", file=sys.stderr)
            return 1
        print(f"seeded {args.size} in {report.seconds:.1f} s")
        for entity, count in report.counts.items():
            print(f"  {entity}: {count}")
        return 0
    if args.command == "escalate":
        from gulou_desk.records import now
        from server.escalation import escalate_overdue

        count = escalate_overdue(engine, now())
        engine.dispose()
        print(f"escalated {count} overdue ticket(s)")
        return 0

    if args.command == "compute-performance":
        from gulou_desk.domain.performance import PeriodError, period_of
        from gulou_desk.records import now
        from server.performance import compute_period_report

        moment = now()
        period = args.period or period_of(moment)
        try:
            result = compute_period_report(engine, period, moment)
        except PeriodError as exc:
            print(f"gulou-server: {exc}", file=sys.stderr)
            return 2
        print(f"performance {period} through {result.through}: {len(result.created)} created, "
              f"{len(result.refreshed)} refreshed, {len(result.unchanged)} unchanged, "
              f"{len(result.held)} submitted or approved left as they are")
        return 0

    password = getpass.getpass("password: ")
    if len(password) < 8:
        print("gulou-server: the password needs at least 8 characters", file=sys.stderr)
        return 2
    from server.auth import create_account
    from server.store import RecordWriter

    staff_id = new_id()
    with writer(engine).begin() as conn:
        RecordWriter(conn).save("staff", staff_id, {
            "username": args.username, "display_name": args.display_name, "role": args.role,
            "community_id": args.community_id, "street_id": args.street_id, "active": True})
        create_account(conn, staff_id, args.username, password)
    print(f"created {args.username} ({args.role}) with id {staff_id}")
    return 0


def _job_options(parser: argparse.ArgumentParser, extra: str) -> None:
    parser.add_argument(
        "--job", action="append", default=[], metavar="NAME=SECONDS",
        help=f"run job NAME every SECONDS (0: never); jobs: {', '.join(job_names())}{extra}")
    parser.add_argument("--escalate-every", type=float, metavar="SECONDS",
                        help="= --job escalation=SECONDS (default 300)")
    parser.add_argument("--performance-every", type=float, metavar="SECONDS",
                        help="= --job performance=SECONDS (default 3600)")


def _intervals(args: argparse.Namespace) -> dict[str, float]:
    intervals = dict(parse_interval(text) for text in args.job)
    if args.escalate_every is not None:
        intervals["escalation"] = args.escalate_every
    if args.performance_every is not None:
        intervals["performance"] = args.performance_every
    return intervals


def _start_jobs(engine: sa.Engine, args: argparse.Namespace) -> list[PeriodicJob]:
    jobs = make_jobs(engine, _intervals(args))
    for job in jobs:
        job.start()
    return jobs


def _stop_jobs(jobs: Sequence[PeriodicJob]) -> None:
    for job in jobs:
        job._stop.set()
    for job in jobs:
        job.stop()


def _serve(args: argparse.Namespace) -> int:
    try:
        settings = Settings.from_env(db_url=args.db, demo=args.demo)
        _intervals(args)  # a typo in --job fails before anything starts
    except (SettingsError, ValueError) as exc:
        print(f"gulou-server: {exc}", file=sys.stderr)
        return 2
    if args.workers < 1:
        print("gulou-server: --workers must be at least 1", file=sys.stderr)
        return 2
    import uvicorn

    engine = make_engine(settings.db_url)
    try:
        if args.migrate:
            migrate(engine)
        else:
            check_schema_current(engine)
    except SchemaNotCurrent as exc:
        print(f"gulou-server: {exc}", file=sys.stderr)
        return 2
    if args.demo:
        from server.seed import is_seeded
        from server.seed import seed as run_seed

        if not is_seeded(engine):
            run_seed(engine, "demo")
    # uvicorn shuts down gracefully on SIGTERM/SIGINT (in-flight requests finish), then
    # raises the signal again: this handler turns it into a clean exit that stops the jobs.
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, _exit_cleanly)
    jobs = _start_jobs(engine, args) if args.jobs else []
    try:
        if args.workers == 1:
            from server.app import create_app

            uvicorn.run(create_app(settings, engine), host=bind_host(args.host, args.demo),
                        port=args.port,
                        log_level="warning", timeout_graceful_shutdown=20)
        else:
            # The workers build their app from the environment (server/asgi.py): the same
            # settings, the secrets made up in demo mode included.
            os.environ.update({
                "GULOU_DB_URL": settings.db_url, "GULOU_SECRET_KEY": settings.secret_key,
                "GULOU_WECHAT_SECRET": settings.wechat_secret,
                "GULOU_DEMO": "1" if settings.demo else "0"})
            uvicorn.run("server.asgi:app", factory=True, workers=args.workers,
                        host=bind_host(args.host, args.demo), port=args.port, log_level="warning",
                        timeout_graceful_shutdown=20)
    finally:
        _stop_jobs(jobs)
        engine.dispose()
    return 0


def _exit_cleanly(_signum: int, _frame: object) -> None:
    raise SystemExit(0)


def _jobs(args: argparse.Namespace) -> int:
    url = args.db or Settings.from_env(demo=True).db_url
    try:
        intervals = _intervals(args)
    except ValueError as exc:
        print(f"gulou-server: {exc}", file=sys.stderr)
        return 2
    engine = make_engine(url)
    try:
        check_schema_current(engine)
        jobs = make_jobs(engine, intervals)
    except (SchemaNotCurrent, ValueError) as exc:
        print(f"gulou-server: {exc}", file=sys.stderr)
        return 2
    if args.once:
        ran = [job.name for job in jobs if job.run_if_due()]
        print(f"ran: {', '.join(ran) or 'nothing (not due, or running elsewhere)'}")
        engine.dispose()
        return 0
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    for job in jobs:
        job.start()
    logging.getLogger(__name__).info("jobs running: %s", ", ".join(j.name for j in jobs))
    while not stop.wait(1.0):
        pass
    _stop_jobs(jobs)
    engine.dispose()
    return 0


LOOPBACK = "127.0.0.1"


def bind_host(host: str | None, demo: bool) -> str:
    """Where ``serve`` listens: 127.0.0.1 unless told otherwise. A demo server told to
    listen elsewhere does, with a loud warning: its secrets are made up at start and its
    accounts share one published password, so anyone who can reach it can sign in."""
    if host is None:
        return LOOPBACK
    if demo and not _is_loopback(host):
        banner = "!" * 78
        print(f"{banner}\ngulou-server: WARNING: the DEMO server listens on {host}, not only "
              "on this machine.\n  Its accounts share the published demo password and its "
              "secrets are made up:\n  anyone who can reach this address can sign in and read "
              f"the demo data.\n{banner}", file=sys.stderr)
        logging.getLogger("gulou.server").warning(
            "the demo server listens on %s (not only loopback)", host)
    return host


def _is_loopback(host: str) -> bool:
    import ipaddress

    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


if __name__ == "__main__":
    sys.exit(main())
