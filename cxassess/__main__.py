"""Allow `python -m cxassess`."""

from cxassess.cli import main

main()
