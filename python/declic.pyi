"""Run, check and compare Zendesk-style ticket triggers written as text.

Every answer is the JSON the command line prints, as Python values: an outcome is what
``declic run`` prints for the event, a diagnostic what ``declic check --format json``
lists.
"""

from os import PathLike
from typing import TYPE_CHECKING, Any, Dict, Iterable, List, Literal, Optional, Union

if TYPE_CHECKING:
    import pyarrow

__version__: str

Path = Union[str, "PathLike[str]"]
#: An update event: a dict in the shape of ``schema/event.schema.json``, or its JSON text.
Event = Union[Dict[str, Any], str, bytes]
#: What ``declic run`` prints for one event (``{"error": {...}}`` for an invalid one in
#: ``run_many``).
Outcome = Dict[str, Any]
#: What the run methods give for each event: ``"outcome"`` (the default), or ``"changes"``
#: for what ``declic run --output changes`` prints, the outcome without the ticket
#: (``fired``, ``effects``, ``passes``, ``warnings``, ``skipped``, ``unsupported``,
#: ``routing``; ``schema/changes.schema.json``). Any other value raises ``DeclicError``
#: with the code ``"declic::unknown_output"``.
Output = Literal["outcome", "changes"]
#: One diagnostic, as ``declic check --format json`` lists it: ``code``, ``severity``,
#: ``message``, ``file``, ``line``, ``column``, ``offset``, ``length``, ``label``,
#: ``help``, ``related``.
Diagnostic = Dict[str, Any]

class DeclicError(Exception):
    """Base of declic's errors."""

    #: The stable code of the problem, e.g. ``"declic::invalid_event"``.
    code: str

class RulesError(DeclicError):
    """The rule set has errors, or its files cannot be read."""

    #: Every diagnostic of the rule set, errors and warnings.
    diagnostics: List[Diagnostic]

class EventError(DeclicError):
    """An event is not valid JSON, or not a valid event."""

    #: The JSON path of the bad value (``"ticket.status"``), if there is one.
    path: Optional[str]
    #: The 1-based line in the event's JSON text, if known.
    line: Optional[int]
    #: The 1-based column in that line, if known.
    column: Optional[int]

class Rules:
    """A checked and compiled rule set; threads may share one and run events at once."""

    @staticmethod
    def load(path: Path, account: Optional[Path] = None) -> "Rules":
        """Loads, checks and compiles the rule set at ``path`` (a ``.declic`` file or a
        folder), for the account whose API exports are in the folder ``account``.

        Raises ``RulesError`` when the rules have errors, ``DeclicError`` when the account
        folder cannot be used."""
    @property
    def triggers(self) -> List[str]:
        """The triggers' titles, in the order they run."""
    @property
    def warnings(self) -> List[Diagnostic]:
        """The warnings of checking the rule set: it runs all the same."""
    def run(self, event: Event, output: Output = "outcome") -> Outcome:
        """The outcome of one event, or with ``output="changes"`` the outcome without the
        ticket, the event read only as far as the rules read it. Raises ``EventError`` for
        an invalid event."""
    def run_many(self, events: Iterable[Event], output: Output = "outcome") -> List[Outcome]:
        """The outcomes (or changes, as ``output`` says) of many events, in order, run on
        all cores without the GIL. An invalid event has ``{"error": {"code", "message",
        "path", "line", "column"}}`` in its place."""
    def run_arrow(
        self,
        batch: Union["pyarrow.RecordBatch", "pyarrow.Table"],
        column: str = "event",
        output: Output = "outcome",
    ) -> "pyarrow.RecordBatch":
        """Runs every event of ``column`` (JSON text: ``string``, ``large_string``, or
        any type that casts to it) on all cores without the GIL. Returns a batch of
        ``outcome`` (``string``: the JSON ``declic run`` prints, or ``{"error": ...}``;
        with ``output="changes"`` the column is ``changes``, the JSON ``declic run
        --output changes`` prints), ``fired`` (``list<string>``: the titles of the
        triggers that fired, null for an event that did not run) and ``error``
        (``string``: its code, null for an event that ran), a row per event in order.
        Raises ``KeyError`` when the column is missing, ``TypeError`` when it does not hold
        text."""
    def __repr__(self) -> str: ...

def check(path: Path, account: Optional[Path] = None) -> List[Diagnostic]:
    """Checks and lints the rule set at ``path`` as ``declic check`` does, with the account
    its ``declic.toml`` names unless ``account`` is given."""

def diff(
    old: Union[Rules, Path],
    new: Union[Rules, Path],
    events: Iterable[Event],
    *,
    show: int = 3,
    names: Optional[Iterable[str]] = None,
) -> Dict[str, Any]:
    """Runs every event through the ``old`` and the ``new`` rule set (each a ``Rules`` or
    the path of one) on all cores without the GIL: the report ``declic diff --format
    json`` prints (``events``, ``compared``, ``changed``, ``triggers`` with how often each
    fired ``before`` and ``after``, ``differences`` grouped by ``kind`` and ``subject``
    with ``examples``, ``unreadable``). Events are named by ``names`` (one each) or by
    their position from 1; ``show`` is how many examples of each difference to keep.
    Raises ``ValueError`` when ``names`` and ``events`` differ in length."""
