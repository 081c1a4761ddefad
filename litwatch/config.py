"""Settings resolved once: command-line options, then LITWATCH_*/NCBI_* variables, then a file.

The optional config file is TOML (`$LITWATCH_CONFIG`, else `~/.config/litwatch/config.toml`)
with keys `email`, `api_key`, `eutils_url`. The API key is a secret: it is held in a
`SecretStr` so it never appears in a repr, a log line or an error message.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ConfigDict, SecretStr, ValidationError

from litwatch.errors import ConfigError
from litwatch.validation import field_problem

DEFAULT_EUTILS_URL = "https://eutils.ncbi.nlm.nih.gov/entrez/eutils/"
DEFAULT_DB = Path("data/litwatch.db")
SAMPLE_DB = Path("data/sample.db")


class _ConfigFile(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)
    email: str | None = None
    api_key: SecretStr | None = None
    eutils_url: str | None = None


@dataclass(frozen=True)
class NetworkSettings:
    """How litwatch talks to E-utilities."""

    email: str | None
    api_key: SecretStr | None
    eutils_url: str
    timeout: float
    retry_deadline: float
    backoff_base: float

    @property
    def max_requests_per_second(self) -> int:
        # NCBI's published limits: 3 requests/s without a key, 10 with one.
        return 10 if self.api_key else 3


def _config_path() -> Path:
    explicit = os.environ.get("LITWATCH_CONFIG")
    if explicit:
        return Path(explicit)
    return Path.home() / ".config" / "litwatch" / "config.toml"


def load_config_file(path: Path | None = None) -> _ConfigFile:
    """Read the optional config file; a missing file means no settings from it."""
    path = path or _config_path()
    if not path.exists():
        return _ConfigFile()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        return _ConfigFile.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(f"{path}: {field_problem(exc)}") from None
    except (tomllib.TOMLDecodeError, OSError) as exc:
        raise ConfigError(f"{path}: {str(exc).splitlines()[0] if str(exc) else exc!r}") from None


def _float_env(name: str, default: float) -> float:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a number of seconds, not {raw!r}") from None
    if value <= 0:
        raise ConfigError(f"{name} must be positive, not {raw!r}")
    return value


def load_network_settings() -> NetworkSettings:
    """Resolve E-utilities settings from the environment, then the config file."""
    file = load_config_file()
    key = os.environ.get("NCBI_API_KEY")
    url = os.environ.get("LITWATCH_EUTILS_URL") or file.eutils_url or DEFAULT_EUTILS_URL
    if not url.startswith(("http://", "https://")):
        raise ConfigError(f"LITWATCH_EUTILS_URL must be an http(s) URL, not {url!r}")
    return NetworkSettings(
        email=os.environ.get("NCBI_EMAIL") or file.email,
        api_key=SecretStr(key) if key else file.api_key,
        eutils_url=url if url.endswith("/") else url + "/",
        timeout=_float_env("LITWATCH_TIMEOUT", 60.0),
        retry_deadline=_float_env("LITWATCH_RETRY_DEADLINE", 300.0),
        backoff_base=_float_env("LITWATCH_BACKOFF_BASE", 1.0),
    )


CHECKOUT = Path(__file__).resolve().parents[1]
# The same files inside the installed package (symlinks in a checkout; copies in a wheel).
BUNDLED = Path(__file__).resolve().parent / "bundled"


def find_bundled(relative: Path, option: Path | None = None) -> Path | None:
    """A file the project ships (`data/...`): the given option, else in the working folder,
    else in the litwatch checkout or installed package this code runs from; None when none
    has it."""
    if option is not None:
        return option
    for candidate in (relative, CHECKOUT / relative, BUNDLED / relative):
        if candidate.is_file():
            return candidate
    return None


QUERIES = Path("queries")


def find_queries(option: Path | None, sample: bool) -> Path:
    """`--queries`, else `queries/` here; a sample run falls back on the shipped searches,
    so `litwatch run --sample` works from any folder after `pip install`."""
    if option is not None:
        return option
    if QUERIES.is_dir() or not sample:
        return QUERIES
    for candidate in (CHECKOUT / QUERIES, BUNDLED / QUERIES):
        if candidate.is_dir():
            return candidate
    return QUERIES


def resolve_db_path(option: Path | None, *, sample: bool = False) -> Path:
    """`--db`, else `LITWATCH_DB`, else the default; sample runs default to their own file."""
    if option is not None:
        return option
    if sample:
        return SAMPLE_DB
    env = os.environ.get("LITWATCH_DB")
    return Path(env) if env else DEFAULT_DB
