"""The project's rooms and their imports (docs/design.md): operations depends on
nothing of ours, and no module of ours imports itself round a circle.

Imports are read from the source (ast), those inside functions included, so an
import moved into a function to dodge a cycle is still seen.
"""

import ast
from collections import deque
from pathlib import Path

from django.conf import settings as django_settings

ROOT = Path(__file__).resolve().parent.parent
APPS = ("articles", "marketing", "operations", "cxcs")
# The apps operations must know nothing of.
ABOVE_OPERATIONS = ("articles", "marketing")


def modules(*packages, migrations=False):
    """{dotted name: path} of every module in `packages`."""
    found = {}
    for package in packages:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            if "migrations" in parts and not migrations:
                continue
            if parts[-1] == "__init__":
                parts = parts[:-1]
            found[".".join(parts)] = path
    return found


PROJECT = modules(*APPS)


def imported(name, path):
    """Every module the module `name` at `path` imports, anywhere in it, as dotted
    names: relative imports resolved, and for `from x import y`, x.y when that is
    a module of ours, else x."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            source = node.module or ""
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                source = ".".join([*base, source] if source else base)
            for alias in node.names:
                submodule = f"{source}.{alias.name}"
                yield submodule if submodule in PROJECT else source


def import_graph():
    """{module: the modules of ours it imports} for every module of ours."""
    return {
        name: {target for target in imported(name, path) if target in PROJECT}
        for name, path in PROJECT.items()
    }


def cycle_through(graph, start):
    """The shortest chain of imports from `start` back to itself, or None."""
    came_from = {}
    queue = deque([start])
    while queue:
        module = queue.popleft()
        for target in sorted(graph[module]):
            if target == start:
                chain = [module]
                while chain[-1] != start:
                    chain.append(came_from[chain[-1]])
                return [*reversed(chain), start]
            if target not in came_from:
                came_from[target] = module
                queue.append(target)
    return None


def settings_read(path):
    """The names of the settings a module reads: `settings.NAME`, `getattr(settings, "NAME")`."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id == "settings"
        ):
            yield node.attr
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in ("getattr", "hasattr")
            and len(node.args) > 1
            and isinstance(node.args[0], ast.Name)
            and node.args[0].id == "settings"
            and isinstance(node.args[1], ast.Constant)
        ):
            yield node.args[1].value


def names_code_above_operations(value):
    """Whether a setting's value is a dotted name (or list of them) in articles or marketing."""
    values = value if isinstance(value, list | tuple) else [value]
    return any(
        isinstance(item, str) and item.startswith(tuple(f"{app}." for app in ABOVE_OPERATIONS))
        for item in values
    )


def test_operations_imports_nothing_of_articles_or_marketing():
    found = [
        f"{path.relative_to(ROOT)} imports {target}"
        for name, path in modules("operations", migrations=True).items()
        for target in imported(name, path)
        if target.split(".")[0] in ABOVE_OPERATIONS
    ]
    assert found == []


def test_operations_reads_no_setting_naming_code_of_articles_or_marketing():
    read = {
        setting
        for path in modules("operations", migrations=True).values()
        for setting in settings_read(path)
    }
    naming = {
        setting
        for setting in read
        if names_code_above_operations(getattr(django_settings, setting, None))
    }
    assert naming == set()
    # The settings that named the apps' functions are gone for good, not merely unread.
    source = (ROOT / "cxcs" / "settings.py").read_text(encoding="utf-8")
    assert "PAGE_CACHE_NEXT_CHANGE" not in source
    assert "PAGE_CACHE_ALTERNATIVES" not in source


def test_operations_imports_nothing_by_name_at_run_time():
    found = [
        f"{path.relative_to(ROOT)} calls {word}"
        for path in modules("operations", migrations=True).values()
        for word in ("import_string", "import_module", "__import__")
        if word in path.read_text(encoding="utf-8")
    ]
    assert found == []


def test_project_modules_import_no_cycle():
    graph = import_graph()
    cycles = [
        " -> ".join(cycle) for module in sorted(graph) if (cycle := cycle_through(graph, module))
    ]
    assert cycles == []


BELOW_MODELS = {"articles.languages", "articles.images", "articles.text"}
CONTENT = {*BELOW_MODELS, "articles.models"}
# What each room may import besides itself: the map of docs/design.md.
MAY_IMPORT = {
    "articles.languages": set(),
    "articles.images": set(),
    "articles.text": {"articles.languages"},
    "articles.models": BELOW_MODELS,
    "articles.translation": CONTENT,
    "articles.writing": {*CONTENT, "operations"},
    "articles.translating": {*CONTENT, "articles.writing"},
    "articles.launch": {*CONTENT, "articles.writing"},
    "articles.site": {*CONTENT, "operations"},
    "articles.templatetags": {*BELOW_MODELS, "articles.site"},
    "articles.admin": {*CONTENT, "articles.writing", "articles.translating"},
    "articles.management": {
        *CONTENT,
        "articles.writing",
        "articles.translating",
        "articles.launch",
        "operations",
    },
    "articles.apps": {*CONTENT, "articles.writing", "articles.translating", "operations"},
    "marketing": {*CONTENT, "articles.writing", "articles.site", "articles.admin", "operations"},
    "operations": set(),
}


def room(module):
    """The room a module is in: a wing of articles (articles.text), or an app."""
    parts = module.split(".")
    return ".".join(parts[:2]) if parts[0] == "articles" and len(parts) > 1 else parts[0]


def test_each_room_imports_only_what_the_map_allows():
    found = sorted(
        f"{module} imports {target}"
        for module, targets in import_graph().items()
        if room(module) in MAY_IMPORT
        for target in targets
        if room(target) != room(module) and room(target) not in MAY_IMPORT[room(module)]
    )
    assert found == []
