"""litwatch: track what the published literature says about a set of claims."""

__version__ = "0.1.0"
