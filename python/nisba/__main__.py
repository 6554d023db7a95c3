"""``python -m nisba`` runs the command line."""

from nisba._cli import main

main()
