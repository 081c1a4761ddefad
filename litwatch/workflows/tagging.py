"""Tag and grade stored records: new, changed, or tagged under an older claim catalogue."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from litwatch.claims.catalogue import DEFAULT_CATALOGUE, Catalogue, CatalogueError, load_catalogue
from litwatch.claims.design import grade_design
from litwatch.claims.tagger import Tagger
from litwatch.models import Article, TaggedRecord
from litwatch.workflows.progress import RunProgress

if TYPE_CHECKING:
    from litwatch.store import Store


def find_catalogue(path: Path | None) -> Path:
    """`--claims FILE`, else data/claims.toml here or in the litwatch checkout."""
    if path is not None:
        return path
    candidates = [DEFAULT_CATALOGUE, Path(__file__).resolve().parents[2] / DEFAULT_CATALOGUE]
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    raise CatalogueError(
        f"no claim catalogue at {DEFAULT_CATALOGUE}: run from the litwatch checkout or use --claims FILE"
    )


def tag_one(tagger: Tagger, record: dict[str, Any]) -> TaggedRecord:
    """Tags and design grade of one stored record (a dict from `Store.records_to_tag`)."""
    sections = [(s.get("label"), s.get("category"), s["text"]) for s in record["sections"]]
    mesh = [m["descriptor"] for m in record["mesh"]]
    extra = " ".join(mesh + record["keywords"] + record["chemicals"])
    abstract = " ".join(text for _, _, text in sections)
    grade = grade_design(record["title"], abstract, record["publication_types"], mesh)
    tags = tagger.tag_record(record["title"], sections, extra, record["publication_types"])
    return TaggedRecord(record["pmid"], grade.design, grade.population, tuple(tags))


def tag_article(tagger: Tagger, article: Article) -> TaggedRecord:
    """Tags and design grade of a parsed record (an import tags while it parses)."""
    mesh = [m.descriptor for m in article.mesh]
    extra = " ".join(mesh + list(article.keywords) + list(article.chemicals))
    sections = [(s.label, s.category, s.text) for s in article.abstract]
    grade = grade_design(article.title, article.abstract_text, article.publication_types, mesh)
    tags = tagger.tag_record(article.title, sections, extra, article.publication_types)
    return TaggedRecord(article.pmid, grade.design, grade.population, tuple(tags))


def tag_store(store: Store, catalogue: Catalogue, progress: RunProgress | None = None) -> int:
    """Tag every record that needs it; returns how many were tagged."""
    tagger = Tagger(catalogue)
    if progress is not None:
        progress.start("tag claims", store.count_untagged(catalogue.version))
    done = 0
    for batch in store.records_to_tag(catalogue.version):
        store.replace_tags([tag_one(tagger, r) for r in batch], catalogue.version)
        done += len(batch)
        if progress is not None:
            progress.advance(len(batch))
    return done


def load_catalogue_for(path: Path | None) -> Catalogue:
    return load_catalogue(find_catalogue(path))
