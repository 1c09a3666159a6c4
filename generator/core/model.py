"""What a record holds once loaded and structurally checked."""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Callable

Locate = Callable[[tuple], tuple[int, int]]


@dataclass
class BudgetRow:
    name: str
    initial: Decimal | None = None
    budget: Decimal | None = None
    executed: Decimal | None = None
    rate: Decimal | None = None
    key: tuple = ()  # key path in the TOML, for diagnostics


@dataclass
class Balance:
    unallocated: Decimal | None = None
    appropriated: Decimal | None = None
    paid: Decimal | None = None
    balance: Decimal | None = None
    carried: Decimal | None = None
    recovered: Decimal | None = None


@dataclass
class Budget:
    unit: str = "万元"
    initial: Decimal | None = None
    adjustment: Decimal | None = None
    budget: Decimal | None = None
    arrived: Decimal | None = None
    executed: Decimal | None = None
    rate: Decimal | None = None
    adjustment_rate: Decimal | None = None
    sources: list[BudgetRow] = field(default_factory=list)
    items: list[BudgetRow] = field(default_factory=list)
    balance: Balance | None = None

    @property
    def base(self) -> Decimal | None:
        """The budget the execution rate is measured against: adjusted if given, else initial."""
        return self.budget if self.budget is not None else self.initial


@dataclass
class RuleRef:
    name: str | None = None  # a named rule
    inline: dict | None = None  # an inline rule table


@dataclass
class Group:
    path: tuple[str, ...]
    weight: Decimal | None = None
    split: str | None = None
    index: int = 0


@dataclass
class Indicator:
    index: int
    path: tuple[str, ...]
    name: str
    target: str | None = None
    actual: str | None = None
    weight: Decimal | None = None
    score: Decimal | None = None
    reason: str | None = None
    rule: RuleRef | None = None
    level: str | None = None
    discretion: Decimal | None = None
    failed: int | None = None
    applicable: bool = True
    review_score: Decimal | None = None
    explanation: str | None = None
    criteria: str | None = None

    @property
    def full_path(self) -> tuple[str, ...]:
        return self.path + (self.name,)

    @property
    def key(self) -> tuple:
        return ("indicator", self.index)


@dataclass
class MonitoringRow:
    name: str
    path: tuple[str, ...] = ()
    target: str | None = None
    progress: str | None = None
    deviation: bool | None = None
    likelihood: str | None = None
    reason: str | None = None


@dataclass
class Monitoring:
    period: str | None = None
    budget: Decimal | None = None
    executed: Decimal | None = None
    summary: str | None = None
    deviation_reasons: str | None = None
    next_steps: str | None = None
    rows: list[MonitoringRow] = field(default_factory=list)


@dataclass
class Record:
    file: str  # path as given (for diagnostics)
    slug: str
    id: str
    name: str
    year: int
    region: str
    department: str
    evaluation: str
    evaluator: str
    date: str
    status: str
    implementer: str | None = None
    publish_date: str | None = None
    source: str | None = None
    scheme: str | None = None
    grade_bands: str | None = None
    scored: bool = True
    max_score: Decimal | None = None
    total: Decimal | None = None
    grade: str | None = None
    goals_expected: list[str] = field(default_factory=list)
    goals_achieved: list[str] = field(default_factory=list)
    budget: Budget | None = None
    groups: list[Group] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)
    rules: dict[str, dict] = field(default_factory=dict)
    monitoring: Monitoring | None = None
    narrative: str | None = None  # Markdown text; None when the file is missing
    narrative_file: str = ""
    toml_text: str = ""
    locate: Locate = field(default=lambda path: (1, 1), repr=False, compare=False)

