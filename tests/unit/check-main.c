/* SPDX-License-Identifier: BSD-2-Clause */
/* The one Check runner: every suite listed in suites.def, in fork mode so
 * that a crash or libgcov's process-wide state stays inside one test. */
#include <check.h>
#include <stdlib.h>

#define HVCOV_SUITE(name) Suite *name(void);
#include "suites.def"
#undef HVCOV_SUITE

int main(void)
{
	SRunner *runner = srunner_create(NULL);
	int failed;

#define HVCOV_SUITE(name) srunner_add_suite(runner, name());
#include "suites.def"
#undef HVCOV_SUITE

	srunner_run_all(runner, CK_ENV);
	failed = srunner_ntests_failed(runner);
	srunner_free(runner);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
