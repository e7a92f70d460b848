/*
 * ringcp: copy a file through the ring, with up to QD reads and writes in
 * flight: each read's completion starts the write of the same block.
 * Result line:  ringcp: bytes=N reads=R writes=W
 */
#include <fcntl.h>
#include <liburing.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define QD 8
#define BS 4096

struct block {
	off_t off;
	int len;
	int writing;
	char buf[BS];
};

int main(int argc, char **argv)
{
	struct io_uring ring;
	struct block blocks[QD];
	struct stat st;
	long reads = 0, writes = 0, copied = 0;
	int in, out, inflight = 0, r;
	off_t next = 0;

	if (argc != 3) {
		fprintf(stderr, "usage: ringcp SRC DST\n");
		return 2;
	}
	in = open(argv[1], O_RDONLY);
	out = open(argv[2], O_WRONLY | O_CREAT | O_TRUNC, 0755);
	if (in < 0 || out < 0 || fstat(in, &st) < 0) {
		perror("ringcp: open");
		return 1;
	}
	r = io_uring_queue_init(2 * QD, &ring, IORING_SETUP_SQPOLL);
	if (r) {
		fprintf(stderr, "ringcp: %s\n", strerror(-r));
		return 1;
	}
	for (int i = 0; i < QD; i++)
		blocks[i].len = 0;
	while (copied < st.st_size) {
		/* start reads into the free blocks */
		for (int i = 0; i < QD && next < st.st_size; i++) {
			struct block *b = &blocks[i];
			struct io_uring_sqe *sqe;

			if (b->len)
				continue;
			b->off = next;
			b->len = st.st_size - next < BS ? st.st_size - next : BS;
			b->writing = 0;
			next += b->len;
			sqe = io_uring_get_sqe(&ring);
			io_uring_prep_read(sqe, in, b->buf, b->len, b->off);
			io_uring_sqe_set_data(sqe, b);
			inflight++;
			reads++;
		}
		io_uring_submit(&ring);

		struct io_uring_cqe *cqe;

		r = io_uring_wait_cqe(&ring, &cqe);
		if (r) {
			fprintf(stderr, "ringcp: wait: %s\n", strerror(-r));
			return 1;
		}
		struct block *b = io_uring_cqe_get_data(cqe);
		int res = cqe->res;

		io_uring_cqe_seen(&ring, cqe);
		inflight--;
		if (res != b->len) {
			fprintf(stderr, "ringcp: %s at %ld: %s\n",
				b->writing ? "write" : "read", (long)b->off,
				res < 0 ? strerror(-res) : "short");
			return 1;
		}
		if (!b->writing) {
			struct io_uring_sqe *sqe = io_uring_get_sqe(&ring);

			b->writing = 1;
			io_uring_prep_write(sqe, out, b->buf, b->len, b->off);
			io_uring_sqe_set_data(sqe, b);
			inflight++;
			writes++;
		} else {
			copied += b->len;
			b->len = 0;
		}
	}
	io_uring_queue_exit(&ring);
	close(in);
	close(out);
	printf("ringcp: bytes=%ld reads=%ld writes=%ld\n", copied, reads, writes);
	return 0;
}
