"""``python -m tests.sandbox --port 8899``: serve every emulated service on loopback."""

import argparse
import logging

from .core import Sandbox


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8899)
    parser.add_argument("--seed", type=int, default=20261123, help="generator seed")
    parser.add_argument(
        "--boamp-notices", type=int, default=300, help="generated BOAMP notices to serve"
    )
    parser.add_argument("--boamp-day", help="reference publication day (YYYY-MM-DD, default today)")
    parser.add_argument("--token-lifetime", type=int, default=3600, help="PISTE token lifetime (s)")
    parser.add_argument(
        "--flow-delay", type=int, help="Chorus flow consultations before processing"
    )
    parser.add_argument(
        "--auto-advance-seconds", type=float, help="Chorus statuses move by themselves"
    )
    parser.add_argument("--password-expiry-days", type=int, help="Chorus technical password expiry")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s sandbox %(message)s")
    options = {
        "seed": args.seed,
        "boamp_notices": args.boamp_notices,
        "boamp_day": args.boamp_day,
        "token_lifetime": args.token_lifetime,
        "flow_delay": args.flow_delay,
        "auto_advance_seconds": args.auto_advance_seconds,
        "password_expiry_days": args.password_expiry_days,
    }
    sandbox = Sandbox(**{key: value for key, value in options.items() if value is not None})
    print(f"sandbox listening on http://{args.host}:{args.port}", flush=True)
    try:
        sandbox.serve_forever(args.host, args.port)
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
