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
    parser.add_argument("--token-lifetime", type=int, default=3600, help="PISTE token lifetime (s)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s sandbox %(message)s")
    sandbox = Sandbox(
        seed=args.seed, boamp_notices=args.boamp_notices, token_lifetime=args.token_lifetime
    )
    print(f"sandbox listening on http://{args.host}:{args.port}", flush=True)
    try:
        sandbox.serve_forever(args.host, args.port)
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
