"""The kernel's user-space ABI as host tools and tests see it: everything
here is read from the headers in include/uapi (the single source of truth),
never written out again.  Imported by the trace decoder (hosttools/trace*.py)
and pytests/.

    record           struct.Struct of struct trace_rec (trace.h)
    TRACE_MAGIC      a record's magic
    EVENTS           {id: Event} (trace.h's TRACE_EVENTS): an Event has
                     its name, its two words' fields (Field: name, bits,
                     signed, shift), field(name), unpack(a0, a1) -> the
                     fields' values (a namedtuple) and pack(**values) ->
                     (a0, a1)
    EVENT_IDS        {name: id}
    EVENT_BY_NAME    {name: Event}
    PARK_WHY         {CORO_PARK's why: "timer", ...} (trace.h)
    UTRACE_RECS      records in a process's user trace area (trace.h)
    OPCODES          {IORING_OP_ number: "READ", ...} (io_uring.h)
    SYSCALLS         {number: name} (syscalls.h)
    IORING_MAX_ENTRIES, IORING_MAX_CQ_ENTRIES (io_uring.h)
"""
import collections
import os
import re
import struct

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
UAPI = os.path.join(ROOT, "include", "uapi")

CTYPES = {"uint8_t": "B", "uint16_t": "H", "uint32_t": "I", "uint64_t": "Q",
          "int32_t": "i", "int64_t": "q"}


class UapiError(Exception):
    """A header does not say what the tools need (a sign it changed)."""


def header(name):
    """A header's text, macro continuations joined."""
    with open(os.path.join(UAPI, name)) as f:
        return f.read().replace("\\\n", " ")


def define(text, name):
    """The value of an integer #define, whose body may use other defines
    of the same header (UTRACE_RECS, IORING_MAX_CQ_ENTRIES)."""
    m = re.search(rf"^#define {name}\s+(.*?)\s*(?:/\*.*)?$", text, re.M)
    if not m:
        raise UapiError(f"no #define {name}")
    body = re.sub(r"\b([A-Z_][A-Z0-9_]*)\b",
                  lambda w: str(define(text, w[1])), m[1])
    body = re.sub(r"\b(0x[0-9a-fA-F]+|\d+)[UL]*\b", r"\1", body)
    if not re.fullmatch(r"[0-9a-fA-Fx()+*/<> -]+", body):
        raise UapiError(f"#define {name}: not an integer: {m[1]}")
    return int(eval(body.replace("/", "//")))


def struct_format(text, name):
    """struct.Struct of a C struct of fixed-width integers (little endian,
    no padding: the layouts here are written so that none is needed)."""
    m = re.search(rf"struct {name} \{{(.*?)\n\}};", text, re.S)
    if not m:
        raise UapiError(f"no struct {name}")
    body = re.sub(r"/\*.*?\*/", "", m[1], flags=re.S)
    fmt = "<"
    for ctype, names in re.findall(r"(\w+)\s+([^;]+);", body):
        if ctype not in CTYPES:
            raise UapiError(f"struct {name}: field type {ctype}")
        fmt += CTYPES[ctype] * len(names.split(","))
    return struct.Struct(fmt)


class Field(collections.namedtuple("Field", "name bits signed shift")):
    """One field of a trace record's argument word: bits wide, from bit
    shift up; signed: two's complement in its bits."""

    @property
    def mask(self):
        return (1 << self.bits) - 1

    def get(self, word):
        v = word >> self.shift & self.mask
        return v - (1 << self.bits) if self.signed and v >> self.bits - 1 else v

    def put(self, value):
        """The field's bits in the word; ValueError if value does not fit."""
        lo, hi = ((-(1 << self.bits - 1), (1 << self.bits - 1) - 1)
                  if self.signed else (0, self.mask))
        if not lo <= value <= hi:
            raise ValueError(f"{self.name}: {value} does not fit in "
                             f"{self.bits} {'signed ' if self.signed else ''}"
                             f"bits")
        return (value & self.mask) << self.shift


class Event:
    """A trace event: id, name, words (a0's fields, a1's fields)."""

    def __init__(self, id_, name, words):
        self.id, self.name, self.words = id_, name, words
        self.fields = words[0] + words[1]
        self.values = collections.namedtuple(
            f"{name.title().replace('_', '')}Fields",
            [f.name for f in self.fields], rename=True)
        self._get = [(w, f.get) for w, fs in enumerate(words) for f in fs]

    def field(self, name):
        return next(f for f in self.fields if f.name == name)

    def unpack(self, a0, a1):
        words = (a0, a1)
        return self.values._make(get(words[w]) for w, get in self._get)

    def pack(self, **values):
        """(a0, a1) from every field's value (a missing one is 0)."""
        unknown = set(values) - {f.name for f in self.fields}
        if unknown:
            raise ValueError(f"{self.name}: no field {', '.join(unknown)}")
        return tuple(sum(f.put(values.get(f.name, 0)) for f in fs)
                     for fs in self.words)

    def __repr__(self):
        return f"Event({self.id}, {self.name})"


def trace_events(text):
    """{id: Event} from the EVENT(id, NAME, (fields), (fields)) entries of
    #define TRACE_EVENTS; U(name, bits) and S(name, bits) fill a word from
    bit 0 up."""
    m = re.search(r"^#define TRACE_EVENTS\(EVENT, U, S\)(.*)$", text, re.M)
    if not m:
        raise UapiError("no #define TRACE_EVENTS(EVENT, U, S)")
    body = re.sub(r"/\*.*?\*/", " ", m[1])
    word = r"\(((?:\s*[US]\(\w+,\s*\d+\))*)\s*\)"
    events = {}
    for e in re.finditer(rf"EVENT\((\d+),\s*(\w+),\s*{word},\s*{word}\)",
                         body):
        words = []
        for w in (e[3], e[4]):
            fields, at = [], 0
            for kind, name, bits in re.findall(r"([US])\((\w+),\s*(\d+)\)", w):
                fields.append(Field(name, int(bits), kind == "S", at))
                at += int(bits)
            words.append(tuple(fields))
        events[int(e[1])] = Event(int(e[1]), e[2], tuple(words))
    if len(events) != body.count("EVENT("):
        raise UapiError("TRACE_EVENTS: an entry could not be read")
    return events


_trace = header("trace.h")
_uring = header("io_uring.h")

record = struct_format(_trace, "trace_rec")
TRACE_MAGIC = define(_trace, "TRACE_MAGIC")
EVENTS = trace_events(_trace)
EVENT_IDS = {e.name: i for i, e in EVENTS.items()}
EVENT_BY_NAME = {e.name: e for e in EVENTS.values()}
PARK_WHY = {int(m[2]): m[1].lower() for m in re.finditer(
    r"#define TRACE_PARK_(\w+) (\d+)", _trace)}
UTRACE_RECS = define(_trace, "UTRACE_RECS")
OPCODES = {int(m[2]): m[1] for m in re.finditer(
    r"\bIORING_OP_(\w+) = (\d+)", _uring)}
SYSCALLS = {int(m[2]): m[1] for m in re.finditer(
    r"SYSCALL\((\w+), (\d+),", header("syscalls.h"))}
IORING_MAX_ENTRIES = define(_uring, "IORING_MAX_ENTRIES")
IORING_MAX_CQ_ENTRIES = define(_uring, "IORING_MAX_CQ_ENTRIES")

if (record.size != 32 or not EVENTS or not OPCODES or not PARK_WHY or
        not SYSCALLS or
        UTRACE_RECS * struct_format(_trace, "utrace_rec").size !=
        define(_trace, "UTRACE_REC_PAGES") * 4096):
    raise UapiError("include/uapi: the trace record, events, park reasons "
                    "or opcodes could not be read")
