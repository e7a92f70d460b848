/*
 * iodemo: the four ways of using the ring from the design notes, on the
 * same work (read a 64 KiB file in 16 reads of 4 KiB and check it):
 *   raw-poll   submit, then poll the CQ until everything is there
 *   coroutine  four user-level coroutines whose co_read() looks
 *              synchronous; each parks until its CQE comes (coro.h)
 *   yield      submit, then sched_yield() between looks at the CQ
 *   wait       submit, then sleep in io_uring_enter(GETEVENTS) until done
 * One line per style:  iodemo: style=NAME ops=16 ok=1 <what it did>
 */
#include <coro.h>
#include <fcntl.h>
#include <liburing.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CHUNK 4096
#define NCHUNK 16
#define PATH "/tmp/iodemo.dat"

static struct io_uring ring;
static char data[NCHUNK][CHUNK];
static int fd;

static char pattern(int chunk, int i)
{
	return (char)('a' + (chunk * 7 + i) % 26);
}

static int check(void)
{
	for (int c = 0; c < NCHUNK; c++)
		for (int i = 0; i < CHUNK; i++)
			if (data[c][i] != pattern(c, i))
				return 0;
	return 1;
}

static void submit_all(void)
{
	memset(data, 0, sizeof(data));
	for (int c = 0; c < NCHUNK; c++) {
		struct io_uring_sqe *sqe = io_uring_get_sqe(&ring);

		io_uring_prep_read(sqe, fd, data[c], CHUNK, (uint64_t)c * CHUNK);
		io_uring_sqe_set_data64(sqe, c);
	}
	io_uring_submit(&ring);
}

/* Reap what is there; returns how many CQEs were good reads. */
static int reap(void)
{
	struct io_uring_cqe *cqe;
	unsigned head, n = 0;
	int good = 0;

	io_uring_for_each_cqe(&ring, head, cqe) {
		good += cqe->res == CHUNK;
		n++;
	}
	io_uring_cq_advance(&ring, n);
	return good;
}

static void style_raw_poll(void)
{
	long polls = 0;
	int done = 0;

	submit_all();
	while (done < NCHUNK) {
		polls++;
		done += reap();
	}
	printf("iodemo: style=raw-poll ops=%d ok=%d polls=%ld\n", NCHUNK,
	       check(), polls);
}

static void reader(void *arg)
{
	int first = (int)(long)arg;

	for (int c = first; c < NCHUNK; c += 4)
		if (co_read(fd, data[c], CHUNK, (off_t)c * CHUNK) != CHUNK)
			data[c][0] = 0; /* check() will fail */
}

static void style_coroutine(void)
{
	struct co_sched s;

	memset(data, 0, sizeof(data));
	co_init(&s, &ring);
	for (long i = 0; i < 4; i++)
		co_spawn(&s, reader, (void *)i);
	int err = co_run(&s);

	printf("iodemo: style=coroutine ops=%d ok=%d coroutines=4 switches=%ld "
	       "waits=%ld%s\n",
	       NCHUNK, !err && check(), s.switches, s.waits, err ? " error" : "");
}

static void style_yield(void)
{
	long yields = 0;
	int done = 0;

	submit_all();
	while ((done += reap()) < NCHUNK) {
		sched_yield();
		yields++;
	}
	printf("iodemo: style=yield ops=%d ok=%d yields=%ld\n", NCHUNK, check(),
	       yields);
}

static void style_wait(void)
{
	long waits = 0;
	int done = 0;

	submit_all();
	while ((done += reap()) < NCHUNK) {
		io_wait(&ring, NCHUNK - done);
		waits++;
	}
	printf("iodemo: style=wait ops=%d ok=%d waits=%ld\n", NCHUNK, check(),
	       waits);
}

int main(void)
{
	int r;

	for (int c = 0; c < NCHUNK; c++)
		for (int i = 0; i < CHUNK; i++)
			data[c][i] = pattern(c, i);
	fd = open(PATH, O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || write(fd, data, sizeof(data)) != sizeof(data)) {
		printf("iodemo: error: cannot write " PATH "\n");
		return 1;
	}
	r = io_uring_queue_init(NCHUNK, &ring, IORING_SETUP_SQPOLL);
	if (r) {
		printf("iodemo: error: io_uring_queue_init: %s\n", strerror(-r));
		return 1;
	}
	style_raw_poll();
	style_coroutine();
	style_yield();
	style_wait();
	io_uring_queue_exit(&ring);
	close(fd);
	unlink(PATH);
	return 0;
}
