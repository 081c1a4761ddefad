"""`python -m litwatch`."""

from litwatch.cli import main

main()
