"""The search index: each article's title, lede and body in each language, as
text.search makes them (the search_title, search_lede and search_body columns),
in the database's own full-text engine, and the searches that read it.

SQLite: an FTS5 table per language, contentless (the texts stay in the
article's columns), kept in step by triggers on the article table, so that
every writer keeps it: the write path's UPDATE, a script's save(), a bulk
insert, a delete, a data migration. A row's rowid is its article's publishing
second and id, negative where readers do not see that language version
(ID_SPAN): a page of results, newest first, and their count are read from
the index alone, without reading one article row (which holds every text
before its flags, and made search read gigabytes at 100,000 articles).

PostgreSQL: generated tsvector columns per language, one per tier below (the
title; the title and lede; all three, each field weighted so that a phrase is
found inside one field), each with a GIN index. Its `simple` configuration
takes the tokens as they are: the Turkish stemming and the Hebrew prefixes
were done when the columns were made, the same for both databases. (Its
`turkish` configuration lower-cases "IŞIK" to "işik" and cannot find "ışık"
from "isik".)

Results are ranked by where the words are: articles holding every word in
the title first, then those holding them in the title and lede, then the
rest, newest first within each. Scoring every match (BM25, ts_rank) would
read all of them for each page; these tiers read a page's worth, and the
count stops past SearchResults.MOST_RESULTS.

A migration makes the index, and `install` (run after every `migrate`, see
ArticlesConfig.ready) makes again whatever is missing or different, filling it
anew: SQLite drops a table's triggers when a migration rebuilds the table.
"""

from django.db import connection, models
from django.db.models.expressions import RawSQL
from django.utils import timezone

from articles import languages
from articles.languages import localized
from articles.text.search import body_text, excerpt, highlight, parse_query

from .article import Article, TranslationStatus

# A row's rowid: its article's publishing second × ID_SPAN + id, so that ids stay
# below a billion and rowids sort as lists do (newest first, then the highest
# id); negative for a language version readers do not see (unpublished, or
# without its texts), so that theirs are the rowids from 1 to now's.
ID_SPAN = 1_000_000_000
# The fields of each tier, best first, as FTS5 columns and tsvector weights.
TIERS = (("title",), ("title", "lede"), ("title", "lede", "body"))
WEIGHTS = {"title": "A", "lede": "B", "body": "C"}


def table(language):
    return f"articles_{localized('search', language)}"


def _columns(language):
    return [localized(field, language) for field in Article.SEARCH_FIELDS.values()]


# SQLite -------------------------------------------------------------------


def _key(row, language):
    """The SQL of the rowid of `row`'s `language` version (see ID_SPAN)."""
    present = ", ".join(f"'{status}'" for status in TranslationStatus if status != "missing")
    second = f"max(0, coalesce(CAST(strftime('%s', {row}.published_at) AS INTEGER), 0))"
    return (
        f"CASE WHEN {row}.{localized('is_published', language)} "
        f"AND {row}.{localized('translation_state', language)} IN ({present}) "
        f"AND {row}.published_at IS NOT NULL THEN 1 ELSE -1 END "
        f"* ({second} * {ID_SPAN} + {row}.id)"
    )


def _row_values(row, language):
    return ", ".join([_key(row, language), *(f"{row}.{c}" for c in _columns(language))])


def _fts_schema(language):
    return {
        table(language): (
            f"CREATE VIRTUAL TABLE {table(language)} USING fts5("
            "title, lede, body, content='', tokenize='ascii')"
        )
    }


def _triggers(language):
    name = table(language)
    target = f"{name} (rowid, title, lede, body)"
    removal = f"{name} ({name}, rowid, title, lede, body)"
    watched = ["published_at", localized("is_published", language)]
    watched += [localized("translation_state", language), *_columns(language)]
    changed = " OR ".join(f"old.{column} IS NOT new.{column}" for column in watched)
    return {
        f"{name}_insert": (
            f"CREATE TRIGGER {name}_insert AFTER INSERT ON articles_article BEGIN "
            f"INSERT INTO {target} VALUES ({_row_values('new', language)}); END"
        ),
        f"{name}_delete": (
            f"CREATE TRIGGER {name}_delete AFTER DELETE ON articles_article BEGIN "
            f"INSERT INTO {removal} VALUES ('delete', {_row_values('old', language)}); END"
        ),
        f"{name}_update": (
            f"CREATE TRIGGER {name}_update AFTER UPDATE OF {', '.join(watched)} "
            f"ON articles_article WHEN {changed} BEGIN "
            f"INSERT INTO {removal} VALUES ('delete', {_row_values('old', language)}); "
            f"INSERT INTO {target} VALUES ({_row_values('new', language)}); END"
        ),
    }


def _sqlite_install(cursor):
    wanted = {}
    for code in languages.CODES:
        wanted |= _fts_schema(code) | _triggers(code)
    # The FTS5 tables (not the tables they keep their index in) and the triggers.
    cursor.execute(
        "SELECT name, sql FROM sqlite_master WHERE name GLOB 'articles_search_*' "
        "AND (type = 'trigger' OR sql GLOB 'CREATE VIRTUAL TABLE *')"
    )
    present = dict(cursor.fetchall())
    stale = [name for name, sql in present.items() if wanted.get(name) != sql]
    for name in stale:
        kind = "TRIGGER" if present[name].startswith("CREATE TRIGGER") else "TABLE"
        cursor.execute(f"DROP {kind} IF EXISTS {name}")
    missing = [name for name in wanted if name not in present or name in stale]
    for name in missing:
        cursor.execute(wanted[name])
    if missing:
        _sqlite_fill(cursor)


def _sqlite_fill(cursor):
    for code in languages.CODES:
        name = table(code)
        cursor.execute(f"INSERT INTO {name} ({name}) VALUES ('delete-all')")
        cursor.execute(
            f"INSERT INTO {name} (rowid, title, lede, body) "
            f"SELECT {_row_values('article', code)} FROM articles_article AS article"
        )
        cursor.execute(f"INSERT INTO {name} ({name}) VALUES ('optimize')")


def _sqlite_remove(cursor):
    for code in languages.CODES:
        for name in _triggers(code):
            cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
        cursor.execute(f"DROP TABLE IF EXISTS {table(code)}")


def _fts_match(query, fields, *, not_in=None):
    """The FTS5 expression of `query` in `fields` (and not in `not_in`); every token
    quoted, so nothing the reader typed is read as an operator."""

    def within(columns):
        terms = [
            '"{}"'.format(" ".join(term.phrase).replace('"', '""'))
            if term.phrase
            else "({})".format(" OR ".join('"{}"'.format(f.replace('"', '""')) for f in term.forms))
            for term in query.terms
        ]
        expression = " AND ".join(terms)
        if columns == TIERS[-1]:
            return f"({expression})"
        return "({{{}}} : ({}))".format(" ".join(columns), expression)

    if not_in:
        return f"{within(fields)} NOT {within(not_in)}"
    return within(fields)


def _now_key():
    return int(timezone.now().timestamp()) * ID_SPAN + ID_SPAN - 1


class SQLiteTiers:
    """A query's tiers of published matches, read from the FTS5 table alone."""

    def __init__(self, query):
        self.query = query
        self.table = table(query.language)

    def _expression(self, tier):
        if tier is None:
            return _fts_match(self.query, TIERS[-1])
        return _fts_match(self.query, TIERS[tier], not_in=TIERS[tier - 1] if tier else None)

    def count(self, tier=None, *, up_to):
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT count(*) FROM (SELECT 1 FROM {self.table} WHERE {self.table} "
                "MATCH %s AND rowid BETWEEN 1 AND %s LIMIT %s)",
                [self._expression(tier), _now_key(), up_to],
            )
            return cursor.fetchone()[0]

    def ids(self, tier, offset, limit):
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT rowid FROM {self.table} WHERE {self.table} MATCH %s "
                "AND rowid BETWEEN 1 AND %s ORDER BY rowid DESC LIMIT %s OFFSET %s",
                [self._expression(tier), _now_key(), limit, offset],
            )
            return [key % ID_SPAN for (key,) in cursor.fetchall()]


def _sqlite_matching(query):
    name = table(query.language)
    return (
        f"SELECT abs(rowid) %% {ID_SPAN} FROM {name} WHERE {name} MATCH %s",
        [_fts_match(query, TIERS[-1])],
    )


# PostgreSQL ---------------------------------------------------------------


def _vectors(language):
    """The generated tsvector columns of `language` and what each is made of: one per
    tier (the title; the title and lede; all three), each field weighted, so that
    a phrase is found inside one field, as in FTS5."""
    made = [
        f"setweight(to_tsvector('simple', coalesce({localized(field, language)}, '')), "
        f"'{WEIGHTS[name]}')"
        for name, field in Article.SEARCH_FIELDS.items()
    ]
    return {vector(language, tier): " || ".join(made[: len(TIERS[tier])]) for tier in range(3)}


def vector(language, tier=2):
    return localized(("search_title_vector", "search_head_vector", "search_vector")[tier], language)


def _postgresql_install(cursor, columns):
    missing = {
        column: expression
        for code in languages.CODES
        for column, expression in _vectors(code).items()
        if column not in columns
    }
    if not missing:
        return
    # In one statement: each added column rewrites the table.
    cursor.execute(
        "ALTER TABLE articles_article "
        + ", ".join(
            f"ADD COLUMN {column} tsvector GENERATED ALWAYS AS ({expression}) STORED"
            for column, expression in missing.items()
        )
    )
    for column in missing:
        cursor.execute(f"CREATE INDEX {column}_index ON articles_article USING gin ({column})")


def _postgresql_remove(cursor):
    for code in languages.CODES:
        for column in _vectors(code):
            cursor.execute(f"ALTER TABLE articles_article DROP COLUMN IF EXISTS {column}")


def _tsquery(query, fields):
    """The tsquery text of `query` in the vector of `fields`: each token quoted, a
    phrase's tokens all in one field."""

    def lexeme(token, weight=""):
        token = token.replace("\\", "\\\\").replace("'", "''")
        return f"'{token}':{weight}" if weight else f"'{token}'"

    terms = []
    for term in query.terms:
        if term.phrase:
            variants = [
                " <-> ".join(lexeme(token, WEIGHTS[field]) for token in term.phrase)
                for field in fields
            ]
        else:
            # Unweighted: the GIN index then answers without reading the rows.
            variants = [lexeme(form) for form in term.forms]
        terms.append("({})".format(" | ".join(f"({variant})" for variant in variants)))
    return " & ".join(terms)


def _postgresql_condition(query, tier):
    """Matches in `tier`'s vector, and not in the one before."""
    sql = f"articles_article.{vector(query.language, tier)} @@ to_tsquery('simple', %s)"
    params = [_tsquery(query, TIERS[tier])]
    if tier:
        sql += (
            f" AND NOT articles_article.{vector(query.language, tier - 1)} "
            "@@ to_tsquery('simple', %s)"
        )
        params.append(_tsquery(query, TIERS[tier - 1]))
    return RawSQL(sql, params, output_field=models.BooleanField())


class PostgreSQLTiers:
    """A query's tiers of published matches, as querysets of articles.

    A tier is read as what it holds requires, not as the planner guesses: up to
    FEW of its matches are asked for in no order, which its GIN index answers,
    and sorted here; only a tier with more is read newest first down the list
    index, where its matches come soon. (Asked for a page in list order for a
    tier with no match, PostgreSQL guessed 500, walked the list index and read
    every article's vector: 3 s at 100,000 articles.)
    """

    FEW = 1000

    def __init__(self, query):
        self.query = query
        self.articles = Article.objects.published().available_in(query.language)
        self._few = {}

    def _matching(self, tier):
        if tier is None:
            return self.articles.filter(
                RawSQL(*_postgresql_matching(self.query), output_field=models.BooleanField())
            )
        return self.articles.filter(_postgresql_condition(self.query, tier))

    def _few_ids(self, tier):
        """The ids of `tier`'s matches in list order if it has at most FEW, else None."""
        if tier not in self._few:
            found = self._matching(tier).order_by().values_list("published_at", "pk")
            rows = list(found[: self.FEW + 1])
            rows.sort(reverse=True)
            self._few[tier] = [pk for _, pk in rows] if len(rows) <= self.FEW else None
        return self._few[tier]

    def count(self, tier=None, *, up_to):
        few = None if tier is None else self._few_ids(tier)
        if few is not None:
            return min(len(few), up_to)
        # In no order: in list order, a count of few matches walked the list index.
        return self._matching(tier).order_by()[:up_to].count()

    def ids(self, tier, offset, limit):
        few = self._few_ids(tier)
        if few is not None:
            return few[offset : offset + limit]
        # The order of lists, which the list index has: the order of SQLite's
        # rowids too, for publishing times in whole seconds (as the admin and
        # the first publication set them).
        ordered = self._matching(tier).order_by("-published_at", "-pk")
        return list(ordered.values_list("pk", flat=True)[offset : offset + limit])


def _postgresql_matching(query):
    return (
        f"articles_article.{vector(query.language)} @@ to_tsquery('simple', %s)",
        [_tsquery(query, TIERS[-1])],
    )


# Both ---------------------------------------------------------------------


def _article_columns(using, cursor):
    if "articles_article" not in using.introspection.table_names(cursor):
        return set()
    description = using.introspection.get_table_description(cursor, "articles_article")
    return {column.name for column in description}


def install(using=None):
    """Make the search index where it is missing or made otherwise, and fill it if it
    was: after a migration, and whenever a language is added to the settings. Does
    nothing while the article table lacks the search columns."""
    using = using or connection
    with using.cursor() as cursor:
        columns = _article_columns(using, cursor)
        if not all(column in columns for code in languages.CODES for column in _columns(code)):
            return
        if using.vendor == "sqlite":
            _sqlite_install(cursor)
        elif using.vendor == "postgresql":
            _postgresql_install(cursor, columns)


def remove(using=None):
    using = using or connection
    with using.cursor() as cursor:
        if using.vendor == "sqlite":
            _sqlite_remove(cursor)
        elif using.vendor == "postgresql":
            _postgresql_remove(cursor)


def refill():
    """Fill the index anew from the articles' search columns (PostgreSQL's generated
    columns follow them by themselves)."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            _sqlite_fill(cursor)


def matching(queryset, text):
    """The articles of `queryset` whose title, lede or body holds `text` in any
    language, published or not: for editors."""
    sql, params = [], []
    for code in languages.CODES:
        query = parse_query(text, language=code)
        if not query:
            continue
        if connection.vendor == "sqlite":
            part, values = _sqlite_matching(query)
        else:
            part, values = _postgresql_matching(query)
        sql.append(part)
        params += values
    if not sql:
        return queryset.none()
    if connection.vendor == "sqlite":
        found = RawSQL(f"articles_article.id IN ({' UNION '.join(sql)})", params)
    else:
        found = RawSQL(" OR ".join(f"({part})" for part in sql), params)
    return queryset.filter(models.ExpressionWrapper(found, output_field=models.BooleanField()))


class SearchResults:
    """Published articles available in `language` that hold every word of `text`,
    best first (see the module's docstring), as a sequence a Paginator pages: the
    first MOST_RESULTS of them (`has_more` says whether there are others).

    Each article shown has `marked_title` and `excerpt`: HTML, escaped, with the
    words found in <mark>.
    """

    # Counting every article that holds a word all 100,000 articles hold took
    # longer than the rest of the page; nobody reads that far.
    MOST_RESULTS = 1000

    def __init__(self, text, *, language):
        self.query = parse_query(text, language=language)
        tiers = SQLiteTiers if connection.vendor == "sqlite" else PostgreSQLTiers
        self.tiers = tiers(self.query)
        self._count = None

    def count(self):
        return min(self._counted(), self.MOST_RESULTS)

    @property
    def has_more(self):
        return self._counted() > self.MOST_RESULTS

    def _counted(self):
        if self._count is None:
            self._count = self.tiers.count(up_to=self.MOST_RESULTS + 1) if self.query else 0
        return self._count

    def __len__(self):
        return self.count()

    def __getitem__(self, index):
        if not isinstance(index, slice):
            raise TypeError("SearchResults are read a page at a time.")
        start, stop = index.start or 0, self.count() if index.stop is None else index.stop
        if not self.query or stop <= start:
            return []
        ids, offset = [], start
        for tier in range(len(TIERS)):
            found = self.tiers.ids(tier, offset, stop - start - len(ids))
            ids += found
            if len(ids) == stop - start:
                break
            # This tier ran out: the rest come from the start of the next, past
            # what earlier pages took from it.
            offset = 0 if found or not offset else offset - self.tiers.count(tier, up_to=offset)
        return self._shown(ids)

    def _shown(self, ids):
        language = self.query.language
        body = localized("body_html", language)
        # By primary key: filtered as the index was, SQLite would read the list
        # index whole. What the index found is checked once more all the same,
        # on the stored state (the texts are not read).
        found = Article.objects.filter(pk__in=ids).listed().with_byline().in_bulk()
        bodies = dict(Article.objects.filter(pk__in=ids).values_list("pk", body))
        present = {TranslationStatus.COMPLETE, TranslationStatus.OUTDATED}
        now = timezone.now()
        shown = []
        for pk in ids:
            article = found.get(pk)
            if (
                article is None
                or not getattr(article, localized("is_published", language))
                or getattr(article, localized("translation_state", language)) not in present
                or article.published_at is None
                or article.published_at > now
            ):
                continue
            title = getattr(article, localized("title", language)) or ""
            lede = getattr(article, localized("lede", language)) or ""
            article.marked_title = highlight(title, self.query)
            article.excerpt = excerpt([lede, body_text(bodies.get(pk) or "")], self.query)
            shown.append(article)
        return shown
