"""What kb prints: no control character from an article, the registry, a
file name or a message reaches the terminal (the installed ``kb`` command,
run as a user runs it)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from kb.conditions.context import Context
from kb.markup import parse
from kb.render.text import render_text

ROOT = Path(__file__).resolve().parent.parent
#: Retitle the window, clear the screen, colour, NUL, an 8-bit CSI, a carriage return.
ATTACK = "\x1b]0;pwned\x07\x1b[2J\x1b[31m\x00\x9b2J\r"
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
#: Every place an article's own text reaches the terminal from.
BODY = (f"__TOC__\n== Head{ATTACK}ing ==\nSee [[Other{ATTACK} title#Sec{ATTACK}tion|the other]], "
        f"[[#An{ATTACK}chor]], [http://a.example/x{ATTACK}y a site], [[Image:a{ATTACK}.png|alt=A{ATTACK}]], "
        f"<img alt='I{ATTACK}' src='https://a.example/i.png'>, [[T:no{ATTACK}pe]], {{key Ctrl{ATTACK}+Q}}, "
        f"{{for mac{ATTACK}}}mac{{/for}} and <span title='x'>{ATTACK}</span>.\n")


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    project = tmp_path_factory.mktemp("terminal")
    shutil.copytree(ROOT / "content", project / "content")
    # YAML writes control characters as escapes ("\e", "\0", "\x9b").
    yaml_attack = '\\e]0;pwned\\a\\e[2J\\0\\x9b2J\\r'
    (project / "content" / "hostile.wiki").write_text(
        f'---\ntitle: "Hos{yaml_attack}tile"\nslug: hostile\n---\n{BODY}', encoding="utf-8")
    codes = project / "content" / "codes.yaml"
    text = codes.read_text(encoding="utf-8")
    assert "title: Expired certificate" in text
    codes.write_text(text.replace("title: Expired certificate", f'title: "Expired{yaml_attack} certificate"', 1)
                     .replace("summary: ", f'summary: "Sum{yaml_attack}mary" # ', 1), encoding="utf-8")
    return project


def kb(project: Path, *args: str) -> subprocess.CompletedProcess:
    done = subprocess.run(["kb", *args], cwd=project, capture_output=True, text=True, timeout=120,
                          errors="surrogateescape")
    assert "Traceback" not in done.stderr and "internal error" not in done.stderr, done.stderr
    return done


@pytest.mark.parametrize("args", [
    ["preview", "content/hostile.wiki"],
    ["preview", "content/hostile.wiki", "--os", "mac"],
    ["preview", "content/hostile.wiki", "--format", "markdown"],
    ["variants", "content/hostile.wiki"],
    ["parse", "content/hostile.wiki"],
    ["parse", "content/hostile.wiki", "--format", "json"],
    ["convert", "content/hostile.wiki"],
    ["check", "content/hostile.wiki"],
    ["check", "content/hostile.wiki", "--format", "github"],
    ["lookup", "SEC_ERROR_EXPIRED_CERTIFICATE", "--version", "60", "--os", "mac"],
    ["lookup", "--list"],
    ["lookup", f"NO_SUCH{ATTACK.replace(chr(0), '')}_CODE"],
    ["preview", f"content/no{ATTACK.replace(chr(0), '')}such.wiki"],
], ids=lambda args: " ".join(args[:3]).replace("\x1b", "ESC"))
def test_no_control_character_reaches_the_terminal(project, args):
    done = kb(project, *args)
    assert done.stdout or done.stderr
    for stream in (done.stdout, done.stderr):
        assert not CONTROL.search(stream), repr(stream[max(CONTROL.search(stream).start() - 60, 0):][:120])


def test_the_text_is_still_there_without_its_controls(project):
    done = kb(project, "preview", "content/hostile.wiki")
    assert done.returncode == 0
    out = done.stdout
    assert out.startswith("Hos]0;pwned[2J2Jtile\n")
    assert out.count("Head]0;pwned[2J[31m2J") == 2  # the heading and its line in the contents
    assert "https://support.mozilla.org/en-US/kb/other-0-pwned-2j-31m-2j-title#Sec]0;pwned[2J[31m2J" in out


@pytest.mark.parametrize("color", [False, True])
@pytest.mark.parametrize("context", [None, Context("firefox", 60, "mac")], ids=["all-variants", "reader"])
def test_the_text_renderer_writes_no_controls_but_its_own_bold(color, context):
    text = render_text(parse(BODY), context, color=color)
    own = text.replace("\x1b[1m", "").replace("\x1b[0m", "") if color else text
    assert not CONTROL.search(own), repr(own)
    assert ("\x1b[1mContents\x1b[0m" in text) is color
