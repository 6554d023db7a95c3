#!/usr/bin/env bash
# One command for the benchmark report: installs the Python package (release build) and matplotlib
# into the active environment, then runs benches/report.py, which runs the criterion benches and the
# peer scripts and writes benches/README.md and benches/img/*.png. Extra arguments go to report.py
# (e.g. --quick). Runs at low priority: the report measures a shared machine.
set -euo pipefail
cd "$(dirname "$0")/.."
python -c 'import nisba' 2>/dev/null || pip install -q .
python -c 'import matplotlib' 2>/dev/null || pip install -q matplotlib
exec nice -n 10 python benches/report.py "$@"
