"""python bench/make_dataset.py --scale S --seed N [--reset] (or python -m bench.dataset): see bench/README.md."""

import argparse
import sys
import time


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Generate the three-site, three-year benchmark dataset "
                                                 "(PostgreSQL; sites BSH, BBJ, BGZ).")
    parser.add_argument("--scale", type=float, default=1.0,
                        help="share of the full size (600,000 repair orders); 0.05 for a quick run")
    parser.add_argument("--seed", type=int, default=1, help="the same seed and scale give the same data")
    parser.add_argument("--reset", action="store_true", help="drop the bench sites' data first, then generate")
    parser.add_argument("--drop-only", action="store_true", help="drop the bench sites' data and stop")
    args = parser.parse_args(argv)
    if not 0 < args.scale <= 2:
        parser.error("--scale must be above 0 and at most 2")

    from django.db import connection

    if connection.vendor != "postgresql":
        sys.exit("The dataset needs PostgreSQL: set DATABASE_URL, e.g. "
                 "postgres://servicedesk:servicedesk@127.0.0.1:5432/sd_bench (then manage.py migrate).")
    from . import build

    progress = build.Progress()
    if args.reset or args.drop_only:
        build.reset.drop(progress)
        progress("bench sites' data dropped")
        if args.drop_only:
            return
    if (orders := build.existing_orders()):
        sys.exit(f"The bench sites already hold {orders:,} repair orders; pass --reset to rebuild them.")
    started = time.perf_counter()
    counts = build.build(scale=args.scale, seed=args.seed, progress=progress)
    took = time.perf_counter() - started
    print(f"\n{'table':<18}{'rows':>12}")
    for name, count in counts.items():
        print(f"{name:<18}{count:>12,}")
    print(f"{'total':<18}{sum(counts.values()):>12,}")
    print(f"\nScale {args.scale}, seed {args.seed}: generated in {took:.0f} s; "
          f"database size {build.database_size()}.")
