"""What a rule base says beyond its rules: the sources it cites and its short explainers.

Plain frozen data with no imports from the rest of gutcheck: the rule-base model and the
learn topics are made of it, and an assessment carries it so that a saved one can be rendered
again without the rule base.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["LearnParagraph", "LearnTopic", "ReferenceInfo"]


@dataclass(frozen=True)
class ReferenceInfo:
    """A cited source with its checked identifiers and the links made from them."""

    id: str
    cite: str
    kind: str
    doi: str | None = None
    pmid: str | None = None
    pmcid: str | None = None
    url: str | None = None

    @property
    def links(self) -> tuple[str, ...]:
        """https links: DOI resolver, PubMed, PubMed Central, then the plain URL."""
        links: list[str] = []
        if self.doi:
            links.append(f"https://doi.org/{self.doi}")
        if self.pmid:
            links.append(f"https://pubmed.ncbi.nlm.nih.gov/{self.pmid}/")
        if self.pmcid:
            links.append(f"https://www.ncbi.nlm.nih.gov/pmc/articles/{self.pmcid}/")
        if self.url and self.url.startswith("https://"):
            links.append(self.url)
        return tuple(links)


@dataclass(frozen=True)
class LearnParagraph:
    """One paragraph of a learn topic and the sources it cites."""

    text: str
    references: tuple[str, ...]


@dataclass(frozen=True)
class LearnTopic:
    """A short, sourced explainer (``gutcheck learn TOPIC``)."""

    id: str
    title: str
    summary: str
    paragraphs: tuple[LearnParagraph, ...]
