"""The content models, a module per family; imported from here as `articles.models`."""

from .article import (
    Article,
    ArticleQuerySet,
    TranslationStatus,
    availability,
    has_content,
    next_publication,
)
from .brand import Brand
from .content import Content
from .memory import MemoryStem, MemoryStemCount, MemoryUnit
from .people import Author
from .slugs import SlugRedirect
from .terms import Concept
from .topics import Topic
from .tour import TourPage

__all__ = [
    "Article",
    "ArticleQuerySet",
    "Author",
    "Brand",
    "Concept",
    "Content",
    "MemoryStem",
    "MemoryStemCount",
    "MemoryUnit",
    "SlugRedirect",
    "Topic",
    "TourPage",
    "TranslationStatus",
    "availability",
    "has_content",
    "next_publication",
]
