/* ls: list directories (type, size, name), or name files. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

static int list(const char *path)
{
	struct stat st;
	struct dirent *e;
	DIR *d;

	if (stat(path, &st) < 0) {
		fprintf(stderr, "ls: %s: %s\n", path, strerror(errno));
		return 1;
	}
	if (!S_ISDIR(st.st_mode)) {
		printf("%c %8ld %s\n", S_ISCHR(st.st_mode) ? 'c' : '-',
		       (long)st.st_size, path);
		return 0;
	}
	d = opendir(path);
	if (!d) {
		fprintf(stderr, "ls: %s: %s\n", path, strerror(errno));
		return 1;
	}
	while ((e = readdir(d))) {
		char full[512];

		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		snprintf(full, sizeof(full), "%s/%s", path, e->d_name);
		if (stat(full, &st) < 0)
			st.st_size = 0;
		printf("%c %8ld %s\n",
		       e->d_type == DT_DIR ? 'd' : e->d_type == DT_CHR ? 'c' : '-',
		       (long)st.st_size, e->d_name);
	}
	closedir(d);
	return 0;
}

int main(int argc, char **argv)
{
	int status = 0;

	if (argc < 2)
		return list("/");
	for (int i = 1; i < argc; i++)
		status |= list(argv[i]);
	return status;
}
