"""A transition map: the one place per entity that says which state may follow which."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from youjie.core.errors import InvalidTransition


@dataclass(frozen=True)
class TransitionMap:
    name: str
    allowed: Mapping[str, frozenset[str]] = field(default_factory=dict)
    labels: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def build(
        cls, name: str, edges: Mapping[str, Iterable[str]], labels: Mapping[str, str]
    ) -> TransitionMap:
        return cls(name, {src: frozenset(dst) for src, dst in edges.items()}, dict(labels))

    def can(self, source: str, target: str) -> bool:
        return target in self.allowed.get(source, frozenset())

    def check(self, source: str, target: str) -> None:
        if not self.can(source, target):
            raise InvalidTransition(
                f"{self.name}当前状态“{self.labels.get(source, source)}”"
                f"不能变更为“{self.labels.get(target, target)}”",
                extra={"from": source, "to": target},
            )
