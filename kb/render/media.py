"""What a ``[[V:…]]``/``[[Video:…]]`` names, for every renderer.

Kitsune embeds a YouTube URL's player from ``www.youtube.com`` and plays an
uploaded video (``Video`` objects of its gallery) in a ``<video>``. Here a
YouTube video is played from the privacy-enhanced host, and only when the
reader asks for it unless ``kb.yaml`` allows embeds; an uploaded video is
the files ``content/videos/Title.webm|.mp4|.ogv`` (and a poster picture).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, urlparse

from kb.content.library import VIDEO_TYPES

#: Where the YouTube player is loaded from: the host that sets no cookie
#: until the reader plays the video.
YOUTUBE_EMBED = "https://www.youtube-nocookie.com/embed/"
YOUTUBE_HOSTS = frozenset({"youtu.be", "youtube.com", "www.youtube.com", "m.youtube.com",
                           "youtube-nocookie.com", "www.youtube-nocookie.com"})
_VIDEO_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")


def youtube_id(url: str) -> str | None:
    """The video id of a YouTube URL (``watch?v=ID``, ``youtu.be/ID``,
    ``/embed/ID``), or None. The id ends where its characters do: a real
    article writes ``watch?v=ID?rel=0``."""
    parsed = urlparse(url.strip())
    host = parsed.netloc.lower()
    if parsed.scheme.lower() not in ("http", "https") or host not in YOUTUBE_HOSTS:
        return None
    if host == "youtu.be":
        candidate = parsed.path[1:]
    elif parsed.path.startswith("/embed/"):
        candidate = parsed.path[len("/embed/"):]
    else:
        candidate = (parse_qs(parsed.query).get("v") or [""])[0]
    m = _VIDEO_ID.match(candidate)
    return m.group(0) if m else None


@dataclass
class VideoRef:
    """A video as renderers show it: a YouTube video (``embed`` is its
    player's URL), an uploaded one (``sources``: (URL, media type)), or a
    missing one (``missing`` is the message to show)."""

    name: str
    embed: str | None = None
    sources: list[tuple[str, str]] = field(default_factory=list)
    poster: str | None = None
    missing: str | None = None

    @property
    def label(self) -> str:
        """What a link to the video says."""
        return "Play the video (from YouTube)" if self.embed else "Play the video"

    @property
    def url(self) -> str:
        """Where the video can be watched: the player, or the first file."""
        return self.embed or (self.sources[0][0] if self.sources else "")


def video_ref(name: str, files: tuple[list[Path], Path | None], url_of) -> VideoRef:
    """``name`` read: a YouTube URL, else an uploaded video whose
    ``files`` (sources, poster) ``url_of(path)`` addresses."""
    video = youtube_id(name)
    if video is not None:
        return VideoRef(name, embed=YOUTUBE_EMBED + video)
    sources, poster = files
    if not sources:
        return VideoRef(name, missing=f'The video "{name}" does not exist.')
    return VideoRef(name, sources=[(url_of(path), VIDEO_TYPES[path.suffix.lower()]) for path in sources],
                    poster=url_of(poster) if poster is not None else None)
