"""The kernel's user-space ABI as host tools and tests see it: everything
here is read from the headers in include/uapi (the single source of truth),
never written out again.  Imported by hosttools/trace.py and pytests/.

    record           struct.Struct of struct trace_rec (trace.h)
    TRACE_MAGIC      a record's magic
    EVENTS           {id: (name, arg0 name, arg1 name)} (trace.h)
    EVENT_IDS        {name: id}
    PARK_WHY         {CORO_PARK's why: "timer", ...} (trace.h)
    UTRACE_RECS      records in a process's user trace area (trace.h)
    OPCODES          {IORING_OP_ number: "READ", ...} (io_uring.h)
    SYSCALLS         {number: name} (syscalls.h)
    IORING_MAX_ENTRIES, IORING_MAX_CQ_ENTRIES (io_uring.h)
"""
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


_trace = header("trace.h")
_uring = header("io_uring.h")

record = struct_format(_trace, "trace_rec")
TRACE_MAGIC = define(_trace, "TRACE_MAGIC")
EVENTS = {int(m[1]): (m[2], m[3], m[4]) for m in re.finditer(
    r'TRACE_EVENT\((\d+),\s*(\w+),\s*"([^"]*)",\s*"([^"]*)"\)', _trace)}
EVENT_IDS = {name: i for i, (name, _, _) in EVENTS.items()}
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
