/*
 * run: the first process of a conformance boot (hosttools/conformance.py).
 *   /liburing/run TEST [ARGS...]
 * changes to the test's folder (liburing's tests create their files in the
 * cwd, and timeout.t runs ./exec-target.t), runs the test as a child (so
 * that it is not pid 1), reaps every child, prints the test's outcome
 * between markers the host reads
 *   conformance: start TEST
 *   ...the test's own output...
 *   conformance: end TEST exit=N    (or signal=N)
 * and exits with the test's status (128 + N for a signal), which QEMU
 * returns.  A Linux program (glibc, static); no locking.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static int start_test(char **argv)
{
	pid_t pid = fork();

	if (pid < 0) {
		perror("run: fork");
		return -1;
	}
	if (pid == 0) {
		execv(argv[0], argv);
		fprintf(stderr, "run: %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	return pid;
}

/* wait for the test; orphans it leaves behind are reaped on the way */
static int wait_test(pid_t test)
{
	int status;
	pid_t pid;

	for (;;) {
		pid = waitpid(-1, &status, 0);
		if (pid < 0 && errno == EINTR)
			continue;
		if (pid < 0) {
			perror("run: waitpid");
			return -1;
		}
		if (pid == test)
			return status;
	}
}

int main(int argc, char **argv)
{
	char dir[4096], *name, *slash;
	int status, code;
	pid_t pid;

	if (argc < 2) {
		fprintf(stderr, "usage: run TEST [ARGS...]\n");
		return 2;
	}
	snprintf(dir, sizeof(dir), "%s", argv[1]);
	slash = strrchr(dir, '/');
	name = slash ? slash + 1 : dir;
	if (slash && slash != dir)
		*slash = '\0';
	if (slash && chdir(slash == dir ? "/" : dir) < 0) {
		perror("run: chdir");
		return 2;
	}
	printf("conformance: start %s\n", name);
	fflush(stdout);
	pid = start_test(argv + 1);
	if (pid < 0)
		return 2;
	status = wait_test(pid);
	if (status < 0)
		return 2;
	fflush(stdout);
	if (WIFSIGNALED(status)) {
		code = 128 + WTERMSIG(status);
		printf("\nconformance: end %s signal=%d\n", name, WTERMSIG(status));
	} else {
		code = WEXITSTATUS(status);
		printf("\nconformance: end %s exit=%d\n", name, code);
	}
	return code;
}
