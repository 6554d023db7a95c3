"""Entry point of the ``nisba`` console script: the same command line as the Rust binary."""

from __future__ import annotations

import sys

from nisba import _native


def main() -> None:
    """Run the ``nisba`` command line with ``sys.argv`` and exit with its status."""
    sys.stdout.flush()
    raise SystemExit(_native.run_cli(["nisba", *sys.argv[1:]]))


if __name__ == "__main__":
    main()
