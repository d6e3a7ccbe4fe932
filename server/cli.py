"""``gulou-server``: serve, seed-demo, create-user, escalate."""

from __future__ import annotations

import argparse
import getpass
import logging
import sys

from gulou_desk.records import new_id
from server.database import make_engine, migrate, writer
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
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8700)
    serve.add_argument("--demo", action="store_true",
                       help="demo mode: make up secrets, seed demo data if empty")
    serve.add_argument("--escalate-every", type=float, default=300.0, metavar="SECONDS",
                       help="escalate overdue tickets (督办) this often; 0: never "
                       "(default 300)")
    serve.add_argument("--performance-every", type=float, default=3600.0, metavar="SECONDS",
                       help="compute the performance records of the current month this "
                       "often; 0: never (default 3600)")
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
        try:
            settings = Settings.from_env(db_url=args.db, demo=args.demo)
        except SettingsError as exc:
            print(f"gulou-server: {exc}", file=sys.stderr)
            return 2
        import uvicorn

        from server.app import create_app

        engine = make_engine(settings.db_url)
        migrate(engine)
        if args.demo:
            from server.seed import is_seeded
            from server.seed import seed as run_seed

            if not is_seeded(engine):
                run_seed(engine, "demo")
        escalator = None
        if args.escalate_every > 0:
            from server.escalation import Escalator

            escalator = Escalator(engine, args.escalate_every)
            escalator.start()
        scheduler = None
        if args.performance_every > 0:
            from server.performance import PerformanceScheduler

            scheduler = PerformanceScheduler(engine, args.performance_every)
            scheduler.start()
        try:
            uvicorn.run(create_app(settings, engine), host=args.host, port=args.port,
                        log_level="warning")
        finally:
            if escalator is not None:
                escalator.stop()
            if scheduler is not None:
                scheduler.stop()
        return 0

    url = args.db or Settings.from_env(demo=True).db_url
    engine = make_engine(url)
    migrate(engine)
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


if __name__ == "__main__":
    sys.exit(main())
