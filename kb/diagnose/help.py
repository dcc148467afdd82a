"""The knowledge base, as ``kb diagnose`` needs it: who the reader is, and
the reader's variant of a code's page. This is the only module of the
package that touches the knowledge base, through the same calls
``kb lookup`` makes (``Project.load(root).knowledge``, ``registry.get``,
``KnowledgeBase.answer``)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kb.errors import UsageError

#: Firefox trusts roots added to the operating system's store from this
#: version on, by default, on these platforms (support article
#: "Automatically trust third-party root certificates").
OS_ROOTS_FROM_VERSION = 120


@dataclass(frozen=True)
class Help:
    code: str
    registered: bool  # the registry knows the code
    variant: str | None
    url: str | None
    text: str

    def to_dict(self) -> dict:
        return {"code": self.code, "registered": self.registered, "variant": self.variant,
                "url": self.url, "text": self.text}


class ReaderHelp:
    def __init__(self, root: Path, product: str | None, version: str | None, platform: str | None) -> None:
        from kb.codes.knowledge import host_platform
        from kb.conditions.config import Config
        from kb.conditions.context import Context, ContextError
        from kb.errors import KbError
        from kb.project import Project

        # Outside a project there is no knowledge base: the diagnosis still
        # stands, only the tailored help is missing.
        try:
            self.kb = Project.load(root).knowledge
        except KbError:
            self.kb = None
        config = self.kb.config if self.kb else Config.load(root)
        self.config = config
        product = product or config.default_product.slug
        if config.product(product) is not None and not platform:
            platform = host_platform(config, config.product(product).slug)
        try:
            self.context = Context.make(product, version, platform, config)
        except ContextError as exc:
            raise UsageError(str(exc)) from None

    def describe(self) -> str:
        return self.context.describe(self.config)

    @property
    def trusts_os_store(self) -> bool:
        """Whether this reader's Firefox trusts roots added to the OS."""
        groups = self.config.platform_groups
        platform = self.context.platform or ""
        on_windows_or_mac = platform == "mac" or platform in groups.get("win", ())
        version = self.context.version or 0
        return self.context.product == "firefox" and on_windows_or_mac and version >= OS_ROOTS_FROM_VERSION

    def to_dict(self) -> dict:
        return {"product": self.context.product, "version": self.context.version,
                "os": self.context.platform, "description": self.describe(),
                "trusts_os_store": self.trusts_os_store}

    def for_code(self, code: str) -> Help:
        entry = self.kb.registry.get(code) if self.kb else None
        if entry is None:
            return Help(code, False, None, None, "")
        answer = self.kb.answer(entry, self.context)
        return Help(code, True, answer.variant.label if answer.variant else None,
                    answer.url, answer.text(width=80))
