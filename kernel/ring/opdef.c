/*
 * The ring operations by opcode, with their properties (opdef.h says what
 * each means).  Every opcode below IORING_OP_LAST has an entry, so that the
 * table names them all; one without .issue is refused with -EINVAL, as an
 * unknown opcode.  Read-only; no locking.
 */
#include "core/types.h"
#include "ring/opdef.h"
#include "uapi/io_uring.h"

/* one initializer per line, as Linux's opdef.c */
/* clang-format off */
const struct io_op_def io_op_defs[] = {
	[IORING_OP_NOP] = {
		.name = "NOP",
		.prep = nop_prep,
		.issue = nop_issue,
	},
	[IORING_OP_READV] = {
		.name = "READV",
		.needs_file = 1,
		.pollin = 1,
		.vectored = 1,
		.prep = rw_prep,
		.issue = read_issue,
	},
	[IORING_OP_WRITEV] = {
		.name = "WRITEV",
		.needs_file = 1,
		.pollout = 1,
		.vectored = 1,
		.prep = rw_prep,
		.issue = write_issue,
	},
	[IORING_OP_FSYNC] = {
		.name = "FSYNC",
		.needs_file = 1,
		.prep = fsync_prep,
		.issue = fsync_issue,
	},
	[IORING_OP_READ_FIXED] = {
		.name = "READ_FIXED",
		.needs_file = 1,
		.pollin = 1,
		.fixed_buf = 1,
		.prep = rw_prep,
		.issue = read_fixed_issue,
	},
	[IORING_OP_WRITE_FIXED] = {
		.name = "WRITE_FIXED",
		.needs_file = 1,
		.pollout = 1,
		.fixed_buf = 1,
		.prep = rw_prep,
		.issue = write_fixed_issue,
	},
	[IORING_OP_POLL_ADD] = {
		.name = "POLL_ADD",
		.needs_file = 1,
		.prep = poll_add_prep,
		.issue = poll_add_issue,
	},
	[IORING_OP_POLL_REMOVE] = {
		.name = "POLL_REMOVE",
		.prep = poll_remove_prep,
		.issue = poll_remove_issue,
	},
	[IORING_OP_SYNC_FILE_RANGE] = { .name = "SYNC_FILE_RANGE" },
	[IORING_OP_SENDMSG] = { .name = "SENDMSG" },
	[IORING_OP_RECVMSG] = { .name = "RECVMSG" },
	[IORING_OP_TIMEOUT] = {
		.name = "TIMEOUT",
		.prep = timeout_prep,
		.issue = timeout_issue,
	},
	[IORING_OP_TIMEOUT_REMOVE] = {
		.name = "TIMEOUT_REMOVE",
		.prep = timeout_remove_prep,
		.issue = timeout_remove_issue,
	},
	[IORING_OP_ACCEPT] = { .name = "ACCEPT" },
	[IORING_OP_ASYNC_CANCEL] = {
		.name = "ASYNC_CANCEL",
		.prep = cancel_prep,
		.issue = cancel_issue,
	},
	[IORING_OP_LINK_TIMEOUT] = {
		.name = "LINK_TIMEOUT",
		.prep = link_timeout_prep,
		.issue = link_timeout_issue,
	},
	[IORING_OP_CONNECT] = { .name = "CONNECT" },
	[IORING_OP_FALLOCATE] = { .name = "FALLOCATE" },
	[IORING_OP_OPENAT] = {
		.name = "OPENAT",
		.file_index = 1,
		.prep = openat_prep,
		.issue = openat_issue,
	},
	[IORING_OP_CLOSE] = {
		.name = "CLOSE",
		.file_index = 1,
		.prep = close_prep,
		.issue = close_issue,
	},
	[IORING_OP_FILES_UPDATE] = {
		.name = "FILES_UPDATE",
		.prep = files_update_prep,
		.issue = files_update_issue,
	},
	[IORING_OP_STATX] = { .name = "STATX" },
	[IORING_OP_READ] = {
		.name = "READ",
		.needs_file = 1,
		.pollin = 1,
		.prep = rw_prep,
		.issue = read_issue,
	},
	[IORING_OP_WRITE] = {
		.name = "WRITE",
		.needs_file = 1,
		.pollout = 1,
		.prep = rw_prep,
		.issue = write_issue,
	},
};
/* clang-format on */

_Static_assert(ARRAY_SIZE(io_op_defs) == IORING_OP_LAST,
	       "io_op_defs: one entry per opcode below IORING_OP_LAST");
