"""``python -m establishment``."""

from establishment.cli.main import entry

if __name__ == "__main__":
    entry()
