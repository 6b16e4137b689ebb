"""Typed errors of the PyTorch side; each message says what was wrong and what is valid."""


class HafrecError(Exception):
    """Base of every error this package raises on bad input."""


class DataFormatError(HafrecError):
    """A dataset file is missing, unreadable or has a malformed row."""


class WeightsFormatError(HafrecError):
    """A weights folder or manifest is missing, unreadable or inconsistent."""


class CatalogMismatchError(HafrecError):
    """Weights or features were made for another catalog."""


class FeatureMismatchError(HafrecError):
    """Feature tables do not match the catalog or what the weights were trained with."""


class UsageError(HafrecError):
    """A command-line option is missing or invalid."""


def run_cli(main, argv) -> None:
    """Runs a command's main: a HafrecError becomes one line on stderr and exit 1 (2 for a usage error), never a traceback."""
    import sys

    try:
        main(argv)
    except HafrecError as error:
        print(f'{type(error).__name__}: {error}', file=sys.stderr)
        sys.exit(2 if isinstance(error, UsageError) else 1)
