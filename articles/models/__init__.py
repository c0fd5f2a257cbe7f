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
from .jobs import Job, JobEvent, TranslationOverview
from .memory import MemoryStem, MemoryStemCount, MemoryUnit
from .people import Author
from .slugs import SlugRedirect
from .terms import Concept
from .topics import Topic
from .tour import TourPage
from .translators import AdminLanguage, LanguageRole

__all__ = [
    "AdminLanguage",
    "Article",
    "ArticleQuerySet",
    "Author",
    "Brand",
    "Concept",
    "Content",
    "Job",
    "JobEvent",
    "LanguageRole",
    "MemoryStem",
    "MemoryStemCount",
    "MemoryUnit",
    "SlugRedirect",
    "Topic",
    "TourPage",
    "TranslationOverview",
    "TranslationStatus",
    "availability",
    "has_content",
    "next_publication",
]
