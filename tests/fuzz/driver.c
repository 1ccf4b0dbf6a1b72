/* driver.c - runs a fuzz harness on files without libFuzzer: seeds and regressions in make check */
/**
 * DOC: Theory of operation
 *
 * In a build without --enable-fuzzing each harness of tests/fuzz is linked with this main()
 * instead of libFuzzer's, so that the committed inputs are run in every build (also the
 * --enable-sanitizers one) as a test of its own. Given files or directories, it runs the
 * harness once on each file (a directory's files in name order); given nothing, it runs the
 * harness's seed corpus and regression inputs, tests/fuzz/corpus/NAME and
 * tests/fuzz/regress/NAME under $top_srcdir (NAME is the program's name without "fuzz_").
 * A harness that crashes or aborts on an input fails the test; the file being run is
 * named first, so the log says which one.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"
#include "util.h"

/* Largest input file read: every seed and regression input is far smaller */
#define DRIVER_MAX_INPUT ((size_t)1024 * 1024)

/**
 * LLVMFuzzerInitialize() - Placeholder for harnesses that need no set-up
 * @argc:	argument count
 * @argv:	arguments
 *
 * Weak: a harness's own definition replaces it.
 *
 * Return: 0
 */
__attribute__((weak)) int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	return 0;
}

/**
 * driver_run_file() - Run the harness on one file
 * @path:	the input
 *
 * Return: 0, or -errno if it cannot be read
 */
static int driver_run_file(const char *path)
{
	cleanup_fclose FILE *f = fopen(path, "rbe");
	cleanup_free uint8_t *buf = NULL;
	size_t n;

	if (!f)
		return -errno;
	buf = malloc(DRIVER_MAX_INPUT);
	if (!buf)
		return -ENOMEM;
	n = fread(buf, 1, DRIVER_MAX_INPUT, f);
	if (ferror(f))
		return -EIO;
	if (!feof(f))
		return -EFBIG;
	info("running %s (%zu bytes)", path, n);
	LLVMFuzzerTestOneInput(buf, n);
	return 0;
}

/**
 * driver_is_input() - Whether a directory entry is an input (scandir() filter)
 * @d:		entry
 *
 * Return: false for hidden files (".gitkeep", ".", "..")
 */
static int driver_is_input(const struct dirent *d)
{
	return d->d_name[0] != '.';
}

/**
 * driver_run_path() - Run the harness on a file, or on each file of a directory
 * @path:	file or directory
 * @count:	incremented for each input run
 * @missing_ok:	a directory that does not exist holds no inputs (no regressions yet)
 *
 * Return: 0, or -errno (the reason is logged)
 */
static int driver_run_path(const char *path, unsigned int *count, bool missing_ok)
{
	struct dirent **names = NULL;
	struct stat st;
	int n, ret = 0;

	if (stat(path, &st) < 0) {
		if (errno == ENOENT && missing_ok)
			return 0;
		ret = -errno;
		err_errno(ret, "cannot read %s", path);
		return ret;
	}
	if (!S_ISDIR(st.st_mode)) {
		ret = driver_run_file(path);
		if (ret)
			err_errno(ret, "cannot read %s", path);
		else
			(*count)++;
		return ret;
	}
	n = scandir(path, &names, driver_is_input, alphasort);
	if (n < 0) {
		ret = -errno;
		err_errno(ret, "cannot list %s", path);
		return ret;
	}
	for (int i = 0; i < n; i++) {
		cleanup_free char *sub = NULL;

		if (!ret && asprintf(&sub, "%s/%s", path, names[i]->d_name) < 0) {
			sub = NULL;
			ret = -ENOMEM;
		}
		if (!ret)
			ret = driver_run_path(sub, count, false);
		free(names[i]);
	}
	free(names);
	return ret;
}

/**
 * driver_name() - The harness's name: the program's, without directory and "fuzz_"
 * @argv0:	program path
 *
 * Return: a pointer into @argv0
 */
static const char *driver_name(const char *argv0)
{
	const char *base = strrchr(argv0, '/');

	base = base ? base + 1 : argv0;
	if (!strncmp(base, "fuzz_", 5))
		base += 5;
	return base;
}

/**
 * main() - Run the harness on the given files, or on its committed inputs
 * @argc:	argument count
 * @argv:	files or directories; none: the seed corpus and regression inputs
 *
 * Return: 0 when every input ran, 1 when one could not be read
 */
int main(int argc, char **argv)
{
	unsigned int count = 0;
	int ret = 0;

	log_set_role("fuzz-driver");
	LLVMFuzzerInitialize(&argc, &argv);
	if (argc > 1) {
		for (int i = 1; i < argc && !ret; i++)
			ret = driver_run_path(argv[i], &count, false);
	} else {
		const char *top = getenv("top_srcdir");
		const char *name = driver_name(argv[0]);
		cleanup_free char *seeds = NULL;
		cleanup_free char *regress = NULL;

		if (!top || !*top)
			top = RN_FUZZ_SRCDIR;
		if (asprintf(&seeds, "%s/tests/fuzz/corpus/%s", top, name) < 0 ||
		    asprintf(&regress, "%s/tests/fuzz/regress/%s", top, name) < 0) {
			err("out of memory");
			return 1;
		}
		ret = driver_run_path(seeds, &count, false);
		if (!ret)
			ret = driver_run_path(regress, &count, true);
	}
	if (ret)
		return 1;
	info("%u inputs run", count);
	return 0;
}
