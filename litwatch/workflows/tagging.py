"""Tag and grade stored records: new, changed, or tagged under an older claim catalogue."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from litwatch.claims.catalogue import DEFAULT_CATALOGUE, Catalogue, CatalogueError, load_catalogue
from litwatch.claims.design import grade_design
from litwatch.claims.tagger import Tagger
from litwatch.config import find_bundled
from litwatch.models import Article, TaggedRecord
from litwatch.workflows.progress import RunProgress

if TYPE_CHECKING:
    from litwatch.store import Store


def find_catalogue(path: Path | None) -> Path:
    """`--claims FILE`, else data/claims.toml here or in the litwatch checkout."""
    found = find_bundled(DEFAULT_CATALOGUE, path)
    if found is not None:
        return found
    raise CatalogueError(
        f"no claim catalogue at {DEFAULT_CATALOGUE}: run from the litwatch checkout or use --claims FILE"
    )


def _grade_and_tag(
    tagger: Tagger,
    pmid: int,
    title: str,
    sections: list[tuple[str | None, str | None, str]],
    mesh: list[str],
    terms: list[str],
    publication_types: list[str],
) -> TaggedRecord:
    abstract = " ".join(text for _, _, text in sections)
    grade = grade_design(title, abstract, publication_types, mesh)
    tags = tagger.tag_record(title, sections, " ".join(mesh + terms), publication_types)
    return TaggedRecord(pmid, grade.design, grade.population, tuple(tags))


def tag_one(tagger: Tagger, record: dict[str, Any]) -> TaggedRecord:
    """Tags and design grade of one stored record (a dict from `Store.records_to_tag`)."""
    return _grade_and_tag(
        tagger, record["pmid"], record["title"],
        [(s.get("label"), s.get("category"), s["text"]) for s in record["sections"]],
        [m["descriptor"] for m in record["mesh"]], record["keywords"] + record["chemicals"],
        record["publication_types"],
    )  # fmt: skip


def tag_article(tagger: Tagger, article: Article) -> TaggedRecord:
    """Tags and design grade of a parsed record (an import tags while it parses)."""
    return _grade_and_tag(
        tagger, article.pmid, article.title,
        [(s.label, s.category, s.text) for s in article.abstract],
        [m.descriptor for m in article.mesh], [*article.keywords, *article.chemicals],
        list(article.publication_types),
    )  # fmt: skip


def tag_store(store: Store, catalogue: Catalogue, progress: RunProgress | None = None) -> int:
    """Tag every record that needs it; returns how many were tagged. A read-only store is
    read with the tags it holds (it cannot take new ones)."""
    if store.read_only:
        return 0
    waiting = store.count_untagged(catalogue.version)
    if not waiting:  # no bar, and no tagger to build (~0.1 s of compiling)
        return 0
    tagger = Tagger(catalogue)
    if progress is not None:
        progress.start("tag claims", waiting)
    done = 0
    for batch in store.records_to_tag(catalogue.version):
        store.replace_tags([tag_one(tagger, r) for r in batch], catalogue.version)
        done += len(batch)
        if progress is not None:
            progress.advance(len(batch))
    return done


def load_catalogue_for(path: Path | None) -> Catalogue:
    return load_catalogue(find_catalogue(path))
