"""One measured row of the benchmark's tables."""

from __future__ import annotations

from dataclasses import dataclass, field

BUILD_KINDS = ("site", "bare-material")  # measurements that are site builds: their rows form the second table


@dataclass
class Row:
    measurement: str  # a key of cli.MEASUREMENTS: validate, site, bare-material
    records: int
    seconds: float  # wall clock
    cpu_seconds: float  # CPU time of the measuring process (less sensitive to a busy machine)
    peak_mb: float
    diagnostics: int  # validate: diagnostics reported; a build: WARNING lines in its log
    extra: dict = field(default_factory=dict)

    @property
    def ms_per_record(self) -> float:
        return self.seconds * 1000 / self.records if self.records else 0.0
