"""``python -m sandboxes [--app-url URL] [--print-env]``: start every registered sandbox on
its demo port (sandboxes.DEMO_PORT_BASE + index), beside the app, until interrupted.

``--print-env`` only prints the environment that points the app at them (shell syntax)."""

from __future__ import annotations

import argparse
import os
import signal
import threading

from sandboxes import DEMO_PORT_BASE, REGISTRY
from sandboxes.server import load, start_all


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m sandboxes")
    parser.add_argument(
        "--app-url", default=os.environ.get("SANDBOX_APP_URL", "http://127.0.0.1:8000")
    )
    parser.add_argument("--port-base", type=int, default=DEMO_PORT_BASE)
    parser.add_argument("--print-env", action="store_true")
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()
    config = {"app_url": args.app_url, "verbose": args.verbose, **os.environ}
    if args.print_env:
        for index, name in enumerate(REGISTRY):
            url = f"http://127.0.0.1:{args.port_base + index}"
            for key, value in load(name, config).settings_for(url).items():
                print(f"export {key}={value}")
        return
    running = start_all(config, port_base=args.port_base)
    for name, r in running.items():
        print(f"sandbox {name}: {r.url}", flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    stop.wait()
    for r in running.values():
        r.stop()


if __name__ == "__main__":
    main()
