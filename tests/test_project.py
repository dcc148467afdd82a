"""kb.Project: a project loaded one way for the CLI, the site, the MkDocs
plugin and the Python API; the README's example runs as written."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import kb
from kb.errors import KbError

ROOT = Path(__file__).resolve().parent.parent
SLUG = "what-do-security-warning-codes-mean"


def test_loads_configuration_library_registry_and_articles():
    project = kb.Project.load(ROOT)
    assert project.config.product("firefox") is not None
    assert [a.slug for a in project.articles] == [SLUG]
    assert project.registry.get("SEC_ERROR_UNKNOWN_ISSUER").value == -8179
    assert project.library.template("profileFolder") is not None
    assert project.article("What do the security warning codes mean?") is project.article(SLUG)
    with pytest.raises(KbError, match="no article 'nothing'"):
        project.article("nothing")


def test_renders_with_templates_expanded():
    project = kb.Project.load(ROOT)
    article = project.article(SLUG)
    text = project.render(article, "text", project.reader("fx60 mac"))
    assert "does not exist" not in text and "[[T:" not in text
    # The same article with no library around it: the templates are missing.
    assert "does not exist" in kb.render_text(article.doc, project.reader("fx60 mac"))


def test_a_folder_without_content_has_no_library_and_no_codes(tmp_path):
    project = kb.Project.load(tmp_path)
    assert project.library is None and project.articles == [] and len(project.registry) == 0
    with pytest.raises(KbError, match="no such content folder"):
        project.knowledge


def test_the_readme_example_runs(monkeypatch, capsys):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    code = re.search(r"```python\n(.*?)```", readme, re.DOTALL).group(1)
    monkeypatch.chdir(ROOT)
    exec(compile(code, "README.md", "exec"), {})
    assert "SEC_ERROR_UNKNOWN_ISSUER" in capsys.readouterr().out
