"""``python -m gutcheck`` runs the command line."""

from gutcheck.cli import main

main()
