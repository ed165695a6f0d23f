"""The outbox backend of the fault tests' workers: it "hands over" a message by appending a line to the file
FAULT_SEND_LOG, after FAULT_SEND_SECONDS of pretend gateway time, so a test can count real sends per
message. While the file FAULT_HOLD exists a send waits (after writing its "start" line): the test knows a
send is under way when it kills the worker or drops its database connection."""

import os
import time
from pathlib import Path


def _append(line: str) -> None:
    with open(os.environ["FAULT_SEND_LOG"], "a") as log:  # O_APPEND: one write per line, no interleaving
        log.write(line + "\n")


class RecordingBackend:
    def send(self, message) -> None:
        _append(f"start {message.pk}")
        hold = os.environ.get("FAULT_HOLD")
        while hold and Path(hold).exists():
            time.sleep(0.05)
        time.sleep(float(os.environ.get("FAULT_SEND_SECONDS", "0")))
        _append(f"sent {message.pk}")


def sends(log_path: Path) -> dict[int, int]:
    """Message id → how many times it was handed over."""
    counts: dict[int, int] = {}
    if log_path.exists():
        for line in log_path.read_text().splitlines():
            kind, pk = line.split()
            if kind == "sent":
                counts[int(pk)] = counts.get(int(pk), 0) + 1
    return counts


def started(log_path: Path) -> list[int]:
    """Message ids in the order their sends started."""
    if not log_path.exists():
        return []
    return [int(line.split()[1]) for line in log_path.read_text().splitlines() if line.startswith("start ")]
